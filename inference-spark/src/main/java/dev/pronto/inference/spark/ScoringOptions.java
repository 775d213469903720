package dev.pronto.inference.spark;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import dev.pronto.inference.ModelFormat;

/**
 * How {@link ProntoScorer} scores a dataset: the engine's configuration, shipped with the job to every
 * executor, and the shape of the added columns. Immutable and serializable: Spark sends it inside the
 * tasks.
 *
 * <pre>{@code
 * ScoringOptions options = ScoringOptions.of(Map.of("storage.nas.root", "/mnt/models"))
 *         .withBatchSize(500)
 *         .withAllFields(true);
 * }</pre>
 *
 * <p>{@link #toString()} names the configuration keys but never their values, which may be secrets
 * (a storage's access key): Spark prints tasks and their closures in logs and in its UI.
 *
 * @param config the engine configuration, as {@link dev.pronto.inference.InferenceEngine#create(Map)}
 *     takes it; executors create one engine per distinct map
 * @param format the pipeline format that loads the model whatever its file extension, or {@code null}
 *     to let the extension choose
 * @param batchSize rows scored per call to the engine within a partition
 * @param allFields add every named target and output field of the model instead of the default columns
 *     (the target, then {@code probability(<class>)} per class)
 */
public record ScoringOptions(Map<String, String> config, String format, int batchSize, boolean allFields)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The default rows per engine call: large enough to amortise the call, small enough to stay in cache. */
    public static final int DEFAULT_BATCH_SIZE = 1000;

    /**
     * Copies the configuration and checks the values.
     *
     * @throws IllegalArgumentException for a batch size below 1 or a malformed format name
     */
    public ScoringOptions {
        config = Map.copyOf(Objects.requireNonNull(config, "config"));
        if (format != null) {
            format = ModelFormat.of(format).name();
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, not " + batchSize);
        }
    }

    /** Options with this engine configuration and the defaults: format by extension, batches of 1000, default columns. */
    public static ScoringOptions of(Map<String, String> config) {
        return new ScoringOptions(config, null, DEFAULT_BATCH_SIZE, false);
    }

    /** These options with the model loaded by the given format's pipeline. */
    public ScoringOptions withFormat(String format) {
        return new ScoringOptions(config, Objects.requireNonNull(format, "format"), batchSize, allFields);
    }

    /** These options with another batch size. */
    public ScoringOptions withBatchSize(int batchSize) {
        return new ScoringOptions(config, format, batchSize, allFields);
    }

    /** These options with every result field as columns, or the default columns. */
    public ScoringOptions withAllFields(boolean allFields) {
        return new ScoringOptions(config, format, batchSize, allFields);
    }

    /** The options with the configuration's keys only: values may be secrets. */
    @Override
    public String toString() {
        return "ScoringOptions[config keys=" + new TreeMap<>(config).keySet() + ", format=" + format
                + ", batchSize=" + batchSize + ", allFields=" + allFields + "]";
    }
}
