package dev.pronto.pipeline.sklearn;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.pmml.PmmlPipelineProvider;
import dev.pronto.inference.spi.PipelineLoader;
import dev.pronto.inference.spi.PipelineProvider;
import dev.pronto.inference.toolkit.ProviderProperties;

/**
 * The {@code sklearn} format: scikit-learn pickles ({@code .pkl}, {@code .pickle}, {@code .joblib}),
 * converted to PMML at load time with JPMML-SkLearn and then served by the built-in PMML pipeline.
 *
 * <p>Accepted objects: a bare fitted estimator, a {@code sklearn.pipeline.Pipeline} (including one
 * whose first step is a {@code ColumnTransformer} or a sklearn_pandas {@code DataFrameMapper}), and
 * sklearn2pmml's {@code PMMLPipeline}. Pickles are read, never executed: see {@code docs/sklearn-pickles.md}.
 *
 * <p>Configuration keys (engine prefix {@code pipeline.sklearn.}):
 * <ul>
 *   <li>{@code cache-folder} (default: none): where converted PMML documents are kept, keyed by the
 *       pickle's SHA-256, so a restart does not convert again; without it every load converts.</li>
 *   <li>{@code feature-names.<location>}: input names, comma-separated in column order, for the
 *       pickle at that location when the pickle carries none (a model fitted on a numpy array).
 *       The location may be written in any form the engine accepts ({@code /s3-bucket/iris.pkl},
 *       {@code s3://bucket/iris.pkl}, {@code models/iris.pkl}).</li>
 *   <li>{@code feature-names} (default: none): the same for every pickle that carries no names and
 *       has no key of its own.</li>
 *   <li>{@code max-uncompressed-bytes} (default 1073741824, 1 GiB): the most bytes a pickle may
 *       unpack to; joblib files are often compressed, and a small file must not make the server
 *       inflate gigabytes.</li>
 *   <li>{@code warmup-evaluations}: as {@code pipeline.pmml.warmup-evaluations}, for converted models.</li>
 *   <li>{@code compile}: as {@code pipeline.pmml.compile}, for converted models (default {@code true}).</li>
 *   <li>{@code warm-up} (default {@code true}): whether {@link dev.pronto.inference.InferenceEngine#warmUp()}
 *       converts a small built-in pickle, so that the first client's pickle does not pay for loading
 *       the converter; {@code false} saves the memory of the converter's classes where no pickle is served.</li>
 * </ul>
 *
 * <p>Thread-safe after {@link #create(Map)}; the provider holds no state.
 */
public final class SkLearnPipelineProvider implements PipelineProvider {

    /** The format name, which callers may pass as a {@link dev.pronto.inference.ModelFormat}. */
    public static final String FORMAT = "sklearn";

    static final String PREFIX = "pipeline.sklearn.";
    static final String DEFAULT_NAMES_KEY = PREFIX + "feature-names";
    static final String NAMES_PREFIX_KEY = PREFIX + "feature-names.";
    static final long DEFAULT_MAX_UNCOMPRESSED_BYTES = 1L << 30;

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public Set<String> fileExtensions() {
        return Set.of("pkl", "pickle", "joblib");
    }

    /**
     * Creates the loader, and the cache folder if one is configured.
     *
     * @throws IllegalArgumentException naming the key, for an unknown key, a malformed list of
     *     names or location, or a cache folder that cannot be created
     */
    @Override
    public PipelineLoader create(Map<String, String> properties) {
        ProviderProperties config = new ProviderProperties(PREFIX, properties);
        Map<String, List<String>> namesByLocation = new LinkedHashMap<>();
        config.withPrefix("feature-names.").forEach((location, names) -> {
            String key = NAMES_PREFIX_KEY + location;
            namesByLocation.put(canonical(location, key), parseNames(names, key));
        });
        List<String> defaultNames = config.get("feature-names").map(names -> parseNames(names, DEFAULT_NAMES_KEY))
                .orElse(List.of());
        long maxUncompressedBytes = config.getLong("max-uncompressed-bytes", DEFAULT_MAX_UNCOMPRESSED_BYTES, 1, Long.MAX_VALUE);
        Optional<Path> folder = config.get("cache-folder").map(text -> path(text, PREFIX + "cache-folder"));
        boolean warmUp = config.getBoolean("warm-up", true);
        Map<String, String> pmmlKeys = new LinkedHashMap<>();
        if (config.get("warmup-evaluations").isPresent()) {
            // checked here so that a mistake is reported under this format's key, not pipeline.pmml's
            pmmlKeys.put("warmup-evaluations", String.valueOf(config.getInt("warmup-evaluations", 0, 0, 1_000_000)));
        }
        if (config.get("compile").isPresent()) {
            pmmlKeys.put("compile", String.valueOf(config.getBoolean("compile", true)));
        }
        config.rejectUnused();

        PipelineLoader pmmlLoader = new PmmlPipelineProvider().create(pmmlKeys);
        Optional<ConvertedPmmlStore> store = folder.map(root -> ConvertedPmmlStore.open(root, PREFIX + "cache-folder"));
        return new SkLearnPipelineLoader(pmmlLoader, store, defaultNames, namesByLocation, maxUncompressedBytes, warmUp);
    }

    private static String canonical(String location, String key) {
        try {
            return ModelLocation.parse(location).toString();
        } catch (InferenceException e) {
            throw new IllegalArgumentException(key + ": the part after feature-names. is not a model location ("
                    + e.getMessage() + ")", e);
        }
    }

    private static List<String> parseNames(String text, String key) {
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String part : text.split(",", -1)) {
            String name = part.trim();
            if (name.isEmpty()) {
                throw new IllegalArgumentException(key + ": expected input names separated by commas, found an empty name");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException(key + ": the input name \"" + name + "\" appears twice");
            }
            names.add(name);
        }
        return names;
    }

    private static Path path(String text, String key) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(key + ": expected a folder path", e);
        }
    }
}
