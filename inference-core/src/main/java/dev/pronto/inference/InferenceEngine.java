package dev.pronto.inference;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pronto.inference.internal.LoadedModel;
import dev.pronto.inference.internal.ModelCache;
import dev.pronto.inference.internal.ProviderIndex;
import dev.pronto.inference.internal.StorageFactory;
import dev.pronto.inference.spi.ModelSource;
import dev.pronto.inference.spi.ObjectInfo;
import dev.pronto.inference.spi.Pipeline;
import dev.pronto.inference.spi.PipelineLoader;
import dev.pronto.inference.spi.PipelineProvider;
import dev.pronto.inference.spi.Storage;
import dev.pronto.inference.spi.StorageProvider;
import dev.pronto.inference.toolkit.BoundedInputStream;
import dev.pronto.inference.toolkit.ProviderProperties;

/**
 * Scores records with models read from configured storage: the entry point of the library.
 *
 * <pre>{@code
 * try (InferenceEngine engine = InferenceEngine.create(Map.of("storage.nas.root", "/srv/models"))) {
 *     Prediction p = engine.predict("iris/model.pmml", Map.of(
 *             "sepal_length", 5.1, "sepal_width", 3.5, "petal_length", 1.4, "petal_width", 0.2));
 *     Object label = p.value();                      // e.g. "setosa"
 *     Map<Object, Double> byClass = p.probabilities(); // in the model's class order
 * }
 * }</pre>
 *
 * <h2>Configuration</h2>
 * A flat map of string keys; the engine never reads files, system properties or environment
 * variables itself. Its own keys:
 * <ul>
 *   <li>{@code cache.max-models} (default 20): models kept in memory, least recently used evicted;</li>
 *   <li>{@code cache.revalidate-interval} (default {@code 10s}): how often a loaded model is checked
 *       for a newer stored version, in the background; {@code 0} turns checks off;</li>
 *   <li>{@code model.max-bytes} (default 268435456, 256 MiB): the largest model file read.</li>
 * </ul>
 * Keys {@code storage.<name>.*} go to the storage provider of that name and {@code pipeline.<format>.*}
 * to the pipeline provider of that format. An unknown key stops {@link Builder#build()} with an
 * error naming it.
 *
 * <h2>Choosing the pipeline</h2>
 * {@code implementation} selects the pipeline format it names (e.g. {@code pmml}), ignoring case.
 * Any other text, such as the seed contract's {@code "Logistic Regression"}, is a free label and the
 * model file's extension chooses the format ({@code .pmml} and {@code .xml} for PMML).
 *
 * <h2>Sharing</h2>
 * Create one engine per application and share it: it is thread-safe, loads each model once, and
 * scores without locks. Concurrent first requests for one model cause a single load.
 *
 * <h2>Closing</h2>
 * {@link #close()} stops background work and closes storages and loaded pipelines; the engine must
 * not be used afterwards.
 *
 * <h2>Errors</h2>
 * Every method throws {@link InferenceException} for failures a caller can act on; its
 * {@link InferenceException#category() category} says who must act, and batch failures name the
 * record index and field.
 */
public final class InferenceEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InferenceEngine.class);
    private static final int DEFAULT_MAX_MODELS = 20;
    private static final Duration DEFAULT_REVALIDATE_INTERVAL = Duration.ofSeconds(10);
    private static final long DEFAULT_MAX_MODEL_BYTES = 256L * 1024 * 1024;
    /** Bound on remembered location texts; far above the models a service uses, cheap to rebuild. */
    private static final int MAX_RESOLVED_LOCATIONS = 4096;

    private final Map<String, Storage> storagesByScheme;
    private final Map<String, PipelineLoader> loadersByFormat;
    private final Map<String, String> formatsByExtension;
    private final long maxModelBytes;
    private final ModelCache cache;
    private final List<Storage> storages;
    /**
     * Location text and implementation label, as clients send them, resolved to a cache key: the
     * hot path then skips parsing and format selection. Only successful resolutions are kept.
     */
    private final ConcurrentHashMap<Resolution, ModelCache.Key> resolved = new ConcurrentHashMap<>();

    private record Resolution(String location, String implementation) {
    }

    private InferenceEngine(Builder builder) {
        List<StorageProvider> discoveredStorage = builder.discover
                ? ProviderIndex.discover(StorageProvider.class, builder.classLoader) : List.of();
        List<PipelineProvider> discoveredPipelines = builder.discover
                ? ProviderIndex.discover(PipelineProvider.class, builder.classLoader) : List.of();
        Map<String, StorageProvider> storageProviders = ProviderIndex.index("scheme",
                builder.storageProviders, discoveredStorage, StorageProvider::schemes);
        Map<String, PipelineProvider> pipelineProviders = ProviderIndex.index("format",
                builder.pipelineProviders, discoveredPipelines, p -> Set.of(p.format().toLowerCase(Locale.ROOT)));
        Map<String, PipelineProvider> byExtension = ProviderIndex.index("file extension",
                builder.pipelineProviders, List.copyOf(pipelineProviders.values()), PipelineProvider::fileExtensions);

        ProviderProperties config = new ProviderProperties("", builder.config);
        int maxModels = config.getInt("cache.max-models", DEFAULT_MAX_MODELS, 1, 100_000);
        Duration revalidateInterval = config.getDuration("cache.revalidate-interval", DEFAULT_REVALIDATE_INTERVAL);
        this.maxModelBytes = config.getLong("model.max-bytes", DEFAULT_MAX_MODEL_BYTES, 1, Integer.MAX_VALUE - 8);

        Map<String, StorageProvider> storageByName = new TreeMap<>();
        for (StorageProvider provider : storageProviders.values()) {
            storageByName.put(provider.name(), provider);
        }
        Map<String, String> storageKeys = config.withPrefix("storage.");
        Map<String, String> pipelineKeys = config.withPrefix("pipeline.");
        config.rejectUnused();
        rejectUnclaimed("storage.", storageKeys, storageByName.keySet(), "storage provider");
        rejectUnclaimed("pipeline.", pipelineKeys, pipelineProviders.keySet(), "pipeline format");

        this.storages = new ArrayList<>();
        Map<String, Storage> byScheme = new TreeMap<>();
        try {
            for (StorageProvider provider : storageByName.values()) {
                Storage storage = StorageFactory.create(provider, sliceFor(storageKeys, provider.name()));
                storages.add(storage);
                for (String scheme : provider.schemes()) {
                    if (storageProviders.get(scheme) == provider) {
                        byScheme.put(scheme, storage);
                    }
                }
            }
            Map<String, PipelineLoader> loaders = new TreeMap<>();
            for (Map.Entry<String, PipelineProvider> entry : pipelineProviders.entrySet()) {
                loaders.put(entry.getKey(), entry.getValue().create(sliceFor(pipelineKeys, entry.getKey())));
            }
            this.loadersByFormat = Map.copyOf(loaders);
        } catch (RuntimeException e) {
            closeStorages();
            throw e;
        }
        this.storagesByScheme = Map.copyOf(byScheme);
        Map<String, String> extensions = new TreeMap<>();
        byExtension.forEach((extension, provider) -> extensions.put(extension, provider.format().toLowerCase(Locale.ROOT)));
        this.formatsByExtension = Map.copyOf(extensions);
        this.cache = new ModelCache(new CacheLoader(), maxModels, revalidateInterval);
    }

    /** Creates an engine from configuration, with the providers found on the class path. */
    public static InferenceEngine create(Map<String, String> config) {
        return builder().config(config).build();
    }

    /** Starts building an engine. */
    public static Builder builder() {
        return new Builder();
    }

    /** Scores one record; the model file's extension chooses the pipeline. */
    public Prediction predict(String location, Map<String, ?> record) {
        Objects.requireNonNull(record, "record");
        return score(load(location, null).pipeline(), record, 0);
    }

    /**
     * Scores records in order, all with the same model.
     *
     * @param location the model's location in any form {@link ModelLocation#parse} accepts
     * @param implementation a pipeline format name, or {@code null} or any other label to let the
     *     file extension choose (see the class documentation)
     * @param records input values by field name; see {@link Pipeline#predict(Map)}
     * @return one prediction per record, in the same order
     * @throws InferenceException for the first record that cannot be scored, with its index
     */
    public List<Prediction> predict(String location, String implementation, List<? extends Map<String, ?>> records) {
        Objects.requireNonNull(records, "records");
        return scoreAll(load(location, implementation).pipeline(), records);
    }

    /**
     * Scores records as {@link #predict(String, String, List)} does, but only if the model is
     * already in memory: never loads it, never waits for a load in progress. A server can so score on
     * the request's own thread, and hand only the calls that would load a model (slow, and bound by
     * storage) to threads it can stop waiting for.
     *
     * @return the predictions, or empty if the model is not in memory (or still loading)
     * @throws InferenceException for a malformed location or unknown format, or for the first
     *     record that cannot be scored, with its index
     */
    public Optional<List<Prediction>> predictIfLoaded(String location, String implementation,
            List<? extends Map<String, ?>> records) {
        Objects.requireNonNull(records, "records");
        Optional<LoadedModel> model = cache.getIfLoaded(key(location, implementation));
        return model.isEmpty() ? Optional.empty() : Optional.of(scoreAll(model.get().pipeline(), records));
    }

    private static List<Prediction> scoreAll(Pipeline pipeline, List<? extends Map<String, ?>> records) {
        List<Prediction> predictions = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            Map<String, ?> record = records.get(i);
            if (record == null) {
                throw new InferenceException(ErrorCategory.INVALID_REQUEST, "record is null", null, i, null);
            }
            predictions.add(score(pipeline, record, i));
        }
        return predictions;
    }

    private static Prediction score(Pipeline pipeline, Map<String, ?> record, int index) {
        try {
            return pipeline.predict(record);
        } catch (InferenceException e) {
            throw e.atRecord(index);
        } catch (RuntimeException e) {
            // a pipeline that breaks its contract: report it as our defect, not the client's
            throw new InferenceException(ErrorCategory.INTERNAL, "scoring failed unexpectedly", null, index, e);
        }
    }

    /**
     * Returns the model at the location, loading it first if it is not in memory.
     *
     * @param implementation as for {@link #predict(String, String, List)}
     */
    public ModelInfo model(String location, String implementation) {
        return load(location, implementation).info();
    }

    /**
     * Returns the PMML document the model at the location was converted to when its format is not
     * PMML itself (a scikit-learn pickle, for instance), loading the model first if it is not in
     * memory; for inspection and download.
     *
     * @param implementation as for {@link #predict(String, String, List)}
     * @return the UTF-8 document, or empty when the stored model is itself PMML or was not converted
     */
    public Optional<byte[]> convertedPmml(String location, String implementation) {
        return load(location, implementation).pipeline().convertedPmml();
    }

    /** The models in memory, most recently used first. */
    public List<ModelInfo> models() {
        List<ModelInfo> infos = new ArrayList<>();
        for (LoadedModel model : cache.loaded()) {
            infos.add(model.info());
        }
        return infos;
    }

    /** Checks every model in memory for a newer stored version now, and swaps in the ones that changed. */
    public void revalidate() {
        cache.revalidateAll();
    }

    /** The location schemes that configured storages serve. */
    public Set<String> schemes() {
        return new TreeSet<>(storagesByScheme.keySet());
    }

    /** The registered pipeline formats. */
    public Set<String> formats() {
        return new TreeSet<>(loadersByFormat.keySet());
    }

    private LoadedModel load(String location, String implementation) {
        return cache.get(key(location, implementation));
    }

    private ModelCache.Key key(String location, String implementation) {
        Resolution resolution = new Resolution(location, implementation);
        ModelCache.Key key = resolved.get(resolution);
        if (key == null) {
            key = resolve(location, implementation);
            if (resolved.size() >= MAX_RESOLVED_LOCATIONS) {
                resolved.clear();
            }
            resolved.put(resolution, key);
        }
        return key;
    }

    private ModelCache.Key resolve(String location, String implementation) {
        ModelLocation parsed = ModelLocation.parse(location);
        if (!storagesByScheme.containsKey(parsed.scheme())) {
            throw new InferenceException(ErrorCategory.INVALID_REQUEST, "no storage serves the scheme \"" + parsed.scheme()
                    + "\" of model location \"" + location + "\"; available: " + schemes(), ModelLocation.FIELD, -1, null);
        }
        return new ModelCache.Key(parsed, formatFor(parsed, implementation));
    }

    private String formatFor(ModelLocation location, String implementation) {
        if (implementation != null) {
            String named = implementation.trim().toLowerCase(Locale.ROOT);
            if (loadersByFormat.containsKey(named)) {
                return named;
            }
        }
        String format = formatsByExtension.get(location.extension());
        if (format == null) {
            throw new InferenceException(ErrorCategory.INVALID_REQUEST, "cannot tell the format of model \"" + location
                    + "\": its file extension is not one of " + new TreeSet<>(formatsByExtension.keySet())
                    + ", and the implementation does not name one of the formats " + formats(),
                    ModelLocation.FIELD, -1, null);
        }
        return format;
    }

    private final class CacheLoader implements ModelCache.Loader {

        @Override
        public LoadedModel load(ModelCache.Key key) {
            Storage storage = storagesByScheme.get(key.location().scheme());
            ObjectInfo object = stat(storage, key.location());
            return read(storage, key, object);
        }

        @Override
        public LoadedModel reloadIfChanged(ModelCache.Key key, LoadedModel current) {
            Storage storage = storagesByScheme.get(key.location().scheme());
            ObjectInfo object = stat(storage, key.location());
            if (object.version().equals(current.object().version())) {
                Optional<String> stale = StorageFactory.staleness(storage, key.location());
                if (stale.isPresent()) {
                    // reported like any failed check, so the model info and health show it until the store answers
                    throw new InferenceException(ErrorCategory.UNAVAILABLE, "model \"" + key.location() + "\": " + stale.get());
                }
                return current;
            }
            return read(storage, key, object, current);
        }

        private LoadedModel read(Storage storage, ModelCache.Key key, ObjectInfo object) {
            return read(storage, key, object, null);
        }

        private LoadedModel read(Storage storage, ModelCache.Key key, ObjectInfo object, LoadedModel current) {
            ModelLocation location = key.location();
            if (object.size() > maxModelBytes) {
                throw new InferenceException(ErrorCategory.INVALID_MODEL, "model \"" + location + "\" is "
                        + object.size() + " bytes, more than model.max-bytes (" + maxModelBytes + ")");
            }
            long started = System.nanoTime();
            byte[] content;
            try (InputStream in = storage.open(location)) {
                content = readAtMost(in, maxModelBytes, location);
            } catch (IOException e) {
                throw translate(e, location);
            }
            String sha256 = sha256(content);
            if (current != null && current.info().sha256().equals(sha256)) {
                // same bytes under a new version token (touched file, re-uploaded object): keep the pipeline
                return new LoadedModel(current.pipeline(), withVersion(current.info(), object.version(),
                        StorageFactory.staleness(storage, location)), object);
            }
            Pipeline pipeline = loadersByFormat.get(key.format()).load(new ModelSource(location, content, sha256));
            Duration loadTime = Duration.ofNanos(System.nanoTime() - started);
            ModelInfo info = new ModelInfo(location, key.format(), pipeline.schema(), sha256, content.length,
                    object.version(), Instant.now(), loadTime, StorageFactory.staleness(storage, location));
            String note = pipeline.scoringNote();
            log.info("loaded model {} ({}, {} bytes, sha256 {}) in {} ms{}", location, key.format(), content.length,
                    sha256, loadTime.toMillis(), note.isEmpty() ? "" : ", " + note);
            return new LoadedModel(pipeline, info, object);
        }
    }

    private static ModelInfo withVersion(ModelInfo info, String version, Optional<String> staleness) {
        return new ModelInfo(info.location(), info.format(), info.schema(), info.sha256(), info.sizeBytes(), version,
                info.loadedAt(), info.loadTime(), staleness);
    }

    private static ObjectInfo stat(Storage storage, ModelLocation location) {
        try {
            return storage.stat(location);
        } catch (IOException e) {
            throw translate(e, location);
        }
    }

    private static byte[] readAtMost(InputStream in, long limit, ModelLocation location) throws IOException {
        try {
            return new BoundedInputStream(in, limit).readAllBytes();
        } catch (BoundedInputStream.LimitExceededException e) {
            throw new InferenceException(ErrorCategory.INVALID_MODEL, "model \"" + location
                    + "\" is larger than model.max-bytes (" + limit + ")");
        }
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Maps the storage SPI's exceptions to categories, with messages that hold no server path. */
    private static InferenceException translate(IOException e, ModelLocation location) {
        if (e instanceof NoSuchFileException) {
            return new InferenceException(ErrorCategory.NOT_FOUND, "model not found: \"" + location + "\"", e);
        }
        if (e instanceof AccessDeniedException denied) {
            String reason = denied.getReason();
            return new InferenceException(ErrorCategory.ACCESS_DENIED, "access to model location \"" + location
                    + "\" is not allowed" + (reason == null ? "" : ": " + reason), ModelLocation.FIELD, -1, e);
        }
        return new InferenceException(ErrorCategory.UNAVAILABLE, "the storage of model \"" + location
                + "\" cannot be reached", e);
    }

    private static void rejectUnclaimed(String prefix, Map<String, String> keys, Set<String> names, String what) {
        for (String key : keys.keySet()) {
            int dot = key.indexOf('.');
            String name = dot < 0 ? key : key.substring(0, dot);
            if (dot < 0 || !names.contains(name)) {
                throw new InferenceException(ErrorCategory.CONFIGURATION, "unknown configuration key " + prefix + key
                        + ": no " + what + " named \"" + name + "\" is installed; installed: " + names);
            }
        }
    }

    private static Map<String, String> sliceFor(Map<String, String> keys, String name) {
        Map<String, String> slice = new LinkedHashMap<>();
        String prefix = name + ".";
        keys.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                slice.put(key.substring(prefix.length()), value);
            }
        });
        return slice;
    }

    private void closeStorages() {
        for (Storage storage : storages) {
            try {
                storage.close();
            } catch (IOException | RuntimeException e) {
                log.warn("closing storage {} failed", storage.getClass().getName(), e);
            }
        }
    }

    /** Stops background revalidation, closes loaded pipelines and storages. */
    @Override
    public void close() {
        cache.close();
        closeStorages();
    }

    /**
     * Builds an {@link InferenceEngine}. Not thread-safe; build once, then share the engine.
     */
    public static final class Builder {
        private final Map<String, String> config = new LinkedHashMap<>();
        private final List<StorageProvider> storageProviders = new ArrayList<>();
        private final List<PipelineProvider> pipelineProviders = new ArrayList<>();
        private ClassLoader classLoader = InferenceEngine.class.getClassLoader();
        private boolean discover = true;

        private Builder() {
        }

        /** Adds configuration entries; later entries override earlier ones. */
        public Builder config(Map<String, String> entries) {
            entries.forEach((key, value) -> config.put(Objects.requireNonNull(key, "config key"),
                    Objects.requireNonNull(value, () -> "value of config key " + key)));
            return this;
        }

        /** Sets one configuration entry. */
        public Builder config(String key, String value) {
            return config(Map.of(key, value));
        }

        /** Uses this storage provider for its schemes, overriding any discovered one. */
        public Builder storageProvider(StorageProvider provider) {
            storageProviders.add(Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /** Uses this pipeline provider for its format and extensions, overriding any discovered one. */
        public Builder pipelineProvider(PipelineProvider provider) {
            pipelineProviders.add(Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /** The class loader in which {@link java.util.ServiceLoader} looks for providers. */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = Objects.requireNonNull(loader, "loader");
            return this;
        }

        /** Whether to look for providers with {@link java.util.ServiceLoader}; on by default. */
        public Builder discoverProviders(boolean discover) {
            this.discover = discover;
            return this;
        }

        /**
         * Creates the engine and its storages.
         *
         * @throws InferenceException with category {@link ErrorCategory#CONFIGURATION} for an unknown
         *     or invalid key or two providers claiming one scheme, format or file extension
         */
        public InferenceEngine build() {
            try {
                return new InferenceEngine(this);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new InferenceException(ErrorCategory.CONFIGURATION, e.getMessage(), e);
            }
        }
    }
}
