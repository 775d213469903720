package dev.pronto.pipeline.sklearn;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.ModelSchema;
import dev.pronto.inference.Prediction;
import dev.pronto.inference.spi.ConvertedModel;
import dev.pronto.inference.spi.ModelSource;
import dev.pronto.inference.spi.Pipeline;
import dev.pronto.inference.spi.PipelineLoader;
import dev.pronto.inference.toolkit.Checksums;
import dev.pronto.inference.spi.ScoringNote;
import dev.pronto.inference.spi.WarmUp;

/**
 * Loads a pickle by converting it to PMML (or finding an earlier conversion in the store) and
 * handing the document to the PMML pipeline, so verification, warm-up and schema are exactly those
 * of a {@code .pmml} file. Thread-safe.
 */
final class SkLearnPipelineLoader implements PipelineLoader, WarmUp {

    private static final Logger log = LoggerFactory.getLogger(SkLearnPipelineLoader.class);
    private static final String WARM_UP_PICKLE = "warm-up.pkl";
    /** The warm-up pickle names its inputs itself (it was fitted on a DataFrame). */
    private static final PickleConverter.InputNames WARM_UP_NAMES = new PickleConverter.InputNames(List.of(),
            SkLearnPipelineProvider.DEFAULT_NAMES_KEY, SkLearnPipelineProvider.DEFAULT_NAMES_KEY);

    private final PipelineLoader pmmlLoader;
    private final Optional<ConvertedPmmlStore> store;
    private final List<String> defaultNames;
    /** Per-model names by canonical location text. */
    private final Map<String, List<String>> namesByLocation;
    private final long maxUncompressedBytes;
    private final boolean warmUp;
    private final AtomicLong conversions = new AtomicLong();

    SkLearnPipelineLoader(PipelineLoader pmmlLoader, Optional<ConvertedPmmlStore> store, List<String> defaultNames,
            Map<String, List<String>> namesByLocation, long maxUncompressedBytes, boolean warmUp) {
        this.pmmlLoader = pmmlLoader;
        this.maxUncompressedBytes = maxUncompressedBytes;
        this.warmUp = warmUp;
        this.store = store;
        this.defaultNames = List.copyOf(defaultNames);
        this.namesByLocation = Map.copyOf(namesByLocation);
    }

    @Override
    public Pipeline load(ModelSource source) {
        PickleConverter.InputNames names = namesFor(source);
        String key = storeKey(source.sha256(), names.names());
        if (store.isPresent()) {
            Optional<byte[]> stored = store.get().get(key);
            if (stored.isPresent()) {
                try {
                    return loadPmml(source, stored.get());
                } catch (InferenceException e) {
                    // a damaged or foreign file: convert again rather than fail a model that is fine
                    log.warn("converted PMML of {} does not load ({}); converting again", source.location(), e.getMessage());
                    store.get().remove(key);
                }
            }
        }
        byte[] pmml;
        long started = System.nanoTime();
        try {
            pmml = PickleConverter.convert(source.openStream(), names, maxUncompressedBytes);
        } catch (PickleConverter.ConversionException e) {
            throw new InferenceException(ErrorCategory.INVALID_MODEL, "model \"" + source.location()
                    + "\" cannot be loaded as a scikit-learn pickle: " + e.getMessage(), e);
        }
        conversions.incrementAndGet();
        log.info("converted scikit-learn pickle {} (sha256 {}) to PMML with pmml-sklearn {} in {} ms", source.location(),
                source.sha256(), PickleConverter.CONVERTER_VERSION, (System.nanoTime() - started) / 1_000_000);
        Pipeline pipeline = loadPmml(source, pmml);
        store.ifPresent(s -> s.put(key, pmml));
        return pipeline;
    }

    /**
     * Converts and loads a small built-in pickle, the seed's shape of model (a {@code DataFrameMapper}
     * with a {@code StandardScaler}, then a {@code LogisticRegression}: the bundled
     * {@code examples/models/iris/iris.pickle}), and throws the result away. A cold JVM spends most of
     * a first conversion loading and initialising the converter's classes; this pays for that before
     * the first client's pickle arrives, and (through {@code ./pronto}'s class-data sharing archive,
     * which records what a run loads) makes later starts of the server load those classes faster.
     */
    @Override
    public boolean warmUp() {
        if (!warmUp) {
            return false;
        }
        byte[] pmml;
        try (InputStream in = SkLearnPipelineLoader.class.getResourceAsStream(WARM_UP_PICKLE)) {
            if (in == null) {
                throw new IllegalStateException("the warm-up pickle " + WARM_UP_PICKLE + " is missing from the jar");
            }
            pmml = PickleConverter.convert(in, WARM_UP_NAMES, maxUncompressedBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ModelLocation location = ModelLocation.parse("pronto-warm-up.pkl");
        pmmlLoader.load(new ModelSource(location, pmml, Checksums.sha256Hex(pmml))).close();
        return true;
    }

    /** How many pickles this loader converted (store hits do not count); for tests. */
    long conversions() {
        return conversions.get();
    }

    private Pipeline loadPmml(ModelSource pickle, byte[] pmml) {
        Pipeline evaluated = pmmlLoader.load(new ModelSource(pickle.location(), pmml, Checksums.sha256Hex(pmml)));
        return new ConvertedPipeline(evaluated, pmml);
    }

    private PickleConverter.InputNames namesFor(ModelSource source) {
        String location = source.location().toString();
        String modelKey = SkLearnPipelineProvider.NAMES_PREFIX_KEY + location;
        List<String> own = namesByLocation.get(location);
        if (own != null) {
            return new PickleConverter.InputNames(own, modelKey, modelKey);
        }
        return new PickleConverter.InputNames(defaultNames, SkLearnPipelineProvider.DEFAULT_NAMES_KEY, modelKey);
    }

    /**
     * The pickle's checksum, plus a digest of the configured names when there are any: the same
     * pickle named differently converts to a different document.
     */
    static String storeKey(String pickleSha256, List<String> names) {
        if (names.isEmpty()) {
            return pickleSha256;
        }
        return pickleSha256 + "-names-" + Checksums.sha256Hex(String.join("\n", names).getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    /** The PMML pipeline, plus the document it was built from, offered as a {@link ConvertedModel}. */
    private static final class ConvertedPipeline implements Pipeline, ConvertedModel, ScoringNote {

        private final Pipeline delegate;
        private final byte[] pmml;

        ConvertedPipeline(Pipeline delegate, byte[] pmml) {
            this.delegate = delegate;
            this.pmml = pmml;
        }

        @Override
        public ModelSchema schema() {
            return delegate.schema();
        }

        @Override
        public Prediction predict(Map<String, ?> record) {
            return delegate.predict(record);
        }

        @Override
        public String scoringNote() {
            return delegate instanceof ScoringNote note ? note.scoringNote() : "";
        }

        @Override
        public byte[] convertedPmml() {
            return pmml.clone();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
