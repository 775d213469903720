package dev.pronto.inference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.pronto.inference.internal.LoadedModel;
import dev.pronto.inference.pmml.PmmlPipelineProvider;
import dev.pronto.inference.spi.Pipeline;
import dev.pronto.inference.spi.PipelineProvider;
import dev.pronto.inference.spi.StorageProvider;
import io.micrometer.core.instrument.MeterRegistry;

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
 * variables itself. Its own keys ({@code cache.*}, {@code model.*}) are listed in the
 * {@linkplain dev.pronto.inference package documentation}; keys {@code storage.<name>.*} go to the
 * storage provider of that name and {@code pipeline.<format>.*} to the pipeline provider of that
 * format. An unknown key or an invalid value stops {@link Builder#build()} with an error whose
 * {@link InferenceException#field() field} is the key.
 *
 * <h2>Choosing the pipeline</h2>
 * Without a {@link ModelFormat}, the model file's extension chooses the format ({@code .pmml} and
 * {@code .xml} for PMML, others as installed providers claim them). With one, that format's
 * pipeline loads the model whatever its extension. A model is cached per location and format.
 *
 * <h2>Facts and status</h2>
 * {@link #model(String)} and {@link #models()} give each loaded model's {@link ModelInfo}, fixed for
 * the version loaded; {@link #status(ModelInfo)} tells how it fares now (last check for a newer
 * version, its failure, a storage serving a possibly stale copy).
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
 * record index and field. Arguments are never {@code null}.
 */
public final class InferenceEngine implements AutoCloseable {

    // the loading and caching side; this class is the contract over it
    private final EngineModels models;

    private InferenceEngine(Builder builder) {
        this.models = new EngineModels(builder.config, builder.storageProviders, builder.pipelineProviders,
                builder.discover ? builder.classLoader : null, builder.registry, builder.modelNames, builder.versionFolders);
    }

    /**
     * Starts, on a daemon thread, the set-up every JVM pays once before its first PMML model loads
     * (jpmml's JAXB context: a few hundred ms of reflection), and returns at once. Optional: an
     * application that calls it first thing, before reading its configuration and building its engine,
     * finds that work done or under way when the first model loads; a load that comes first does it
     * itself, and it is never done twice. Idempotent and thread-safe.
     */
    public static void prepare() {
        PmmlPipelineProvider.prepareParser();
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
        return handle(location).predict(record);
    }

    /** Scores one record with the pipeline of the given format. */
    public Prediction predict(String location, ModelFormat format, Map<String, ?> record) {
        Objects.requireNonNull(record, "record");
        return handle(location, format).predict(record);
    }

    /**
     * Scores records in order, all with the same model; the model file's extension chooses the
     * pipeline.
     *
     * @param location the model's location in any form {@link ModelLocation#parse} accepts
     * @param records input values by field name; see {@link Pipeline#predict(Map)}
     * @return one prediction per record, in the same order
     * @throws InferenceException for the first record that cannot be scored, with its index
     */
    public List<Prediction> predict(String location, List<? extends Map<String, ?>> records) {
        Objects.requireNonNull(records, "records");
        return handle(location).predict(records);
    }

    /**
     * Scores records as {@link #predict(String, List)} does, with the pipeline of the given format
     * whatever the file extension.
     *
     * @throws InferenceException with category {@code INVALID_REQUEST} if no provider of the format
     *     is installed
     */
    public List<Prediction> predict(String location, ModelFormat format, List<? extends Map<String, ?>> records) {
        Objects.requireNonNull(records, "records");
        return handle(location, format).predict(records);
    }

    /**
     * Scores a batch given as columns and answers by column, as {@link ModelHandle#predict(Columns)} does;
     * the model file's extension chooses the pipeline ({@link #handle(String, ModelFormat)} for a format).
     */
    public BatchPrediction predict(String location, Columns columns) {
        Objects.requireNonNull(columns, "columns");
        return handle(location).predict(columns);
    }

    /**
     * Scores records as {@link #predict(String, List)} does, but only if the model is already in
     * memory: never loads it, never waits for a load in progress. A server can so score on the
     * request's own thread, and hand only the calls that would load a model (slow, and bound by
     * storage) to threads it can stop waiting for.
     *
     * @return the predictions, or empty if the model is not in memory (or still loading)
     * @throws InferenceException for a malformed location, or for the first record that cannot be
     *     scored, with its index
     */
    public Optional<List<Prediction>> predictIfLoaded(String location, List<? extends Map<String, ?>> records) {
        Objects.requireNonNull(records, "records");
        return handleIfLoaded(location).map(model -> model.predict(records));
    }

    /** Scores records as {@link #predictIfLoaded(String, List)} does, with the pipeline of the given format. */
    public Optional<List<Prediction>> predictIfLoaded(String location, ModelFormat format,
            List<? extends Map<String, ?>> records) {
        Objects.requireNonNull(records, "records");
        return handleIfLoaded(location, format).map(model -> model.predict(records));
    }

    /**
     * The model at the location as one lookup finds it, loading it first if it is not in memory: its
     * facts and scoring with that version (see {@link ModelHandle}).
     */
    public ModelHandle handle(String location) {
        return models.handle(models.key(location));
    }

    /** As {@link #handle(String)}, for the model as loaded by the given format. */
    public ModelHandle handle(String location, ModelFormat format) {
        return models.handle(models.key(location, format));
    }

    /** As {@link #handle(String)} if the model is in memory; never loads it or waits for a load, as {@link #predictIfLoaded}. */
    public Optional<ModelHandle> handleIfLoaded(String location) {
        return models.handleIfLoaded(models.key(location));
    }

    /** As {@link #handleIfLoaded(String)}, for the model as loaded by the given format. */
    public Optional<ModelHandle> handleIfLoaded(String location, ModelFormat format) {
        return models.handleIfLoaded(models.key(location, format));
    }

    /** Returns the facts of the model at the location, loading it first if it is not in memory. */
    public ModelInfo model(String location) {
        return models.loaded(models.key(location)).info();
    }

    /** Returns the facts of the model at the location as loaded by the given format, loading it if needed. */
    public ModelInfo model(String location, ModelFormat format) {
        return models.loaded(models.key(location, format)).info();
    }

    /** Returns the facts of the model at the location if it is in memory; never loads it or waits for a load. */
    public Optional<ModelInfo> modelIfLoaded(String location) {
        return models.ifLoaded(models.key(location)).map(LoadedModel::info);
    }

    /** As {@link #modelIfLoaded(String)}, for the model as loaded by the given format. */
    public Optional<ModelInfo> modelIfLoaded(String location, ModelFormat format) {
        return models.ifLoaded(models.key(location, format)).map(LoadedModel::info);
    }

    /**
     * Returns the PMML document the model at the location was converted to when its format is not
     * PMML itself (a scikit-learn pickle, for instance), loading the model first if it is not in
     * memory; for inspection and download.
     *
     * @return the UTF-8 document, or empty when the stored model is itself PMML or was not converted
     */
    public Optional<byte[]> convertedPmml(String location) {
        return models.loaded(models.key(location)).convertedPmml();
    }

    /** As {@link #convertedPmml(String)}, for the model as loaded by the given format. */
    public Optional<byte[]> convertedPmml(String location, ModelFormat format) {
        return models.loaded(models.key(location, format)).convertedPmml();
    }

    /**
     * Takes the model at the location out of memory, if it is there; the next request for it loads
     * it again. Requests already scoring with it finish with the pipeline they hold.
     *
     * @return whether the model was in memory (or loading)
     * @throws InferenceException for a malformed location or one whose format cannot be told
     */
    public boolean unload(String location) {
        return models.unload(models.key(location));
    }

    /**
     * Lists what is stored directly inside a folder, for instance the numbered version folders of a
     * model repository ({@code <root>/<name>/<version>/<model file>}). Always asks the store, never the
     * local file cache; only storages with the {@link dev.pronto.inference.spi.ListableStorage}
     * capability can list.
     *
     * @param folder the folder's location in any form {@link ModelLocation#parse} accepts
     * @return the entries sorted by name; empty if the folder holds nothing or does not exist
     * @throws InferenceException {@code INVALID_REQUEST} for a malformed location or a storage that
     *     cannot list, {@code ACCESS_DENIED} outside the allowed containers, {@code UNAVAILABLE} when the
     *     store cannot be reached
     */
    public List<FolderEntry> list(String folder) {
        return models.list(ModelLocation.parse(folder));
    }

    /** The facts of the models in memory, most recently used first. */
    public List<ModelInfo> models() {
        return models.inMemory();
    }

    /**
     * How the model stored where {@code model} says, under its format, fares now: its last check for
     * a newer version and why the storage may serve a stale copy. Composed when asked, never loads or
     * checks anything; a model not in memory has no checks to report.
     */
    public ModelStatus status(ModelInfo model) {
        return models.status(model);
    }

    /**
     * Checks every model in memory for a newer stored version now, and swaps in the ones that
     * changed; waits for checks already running in the background rather than skipping their models.
     */
    public void revalidate() {
        models.revalidate();
    }

    /**
     * Pays each pipeline format's one-time start-up cost now, in the calling thread, so that the
     * first model of that format loads faster (the scikit-learn format, for one, loads its converter
     * and converts a small built-in pickle). Optional and best effort: failures are logged, never
     * thrown. A server calls it in the background once it is ready; safe while models load.
     */
    public void warmUp() {
        models.warmUp();
    }

    /** The location schemes that configured storages serve. */
    public Set<String> schemes() {
        return models.schemes();
    }

    /** The registered pipeline formats, in lower case. */
    public Set<String> formats() {
        return models.formats();
    }

    /** Stops background revalidation, closes loaded pipelines and storages. */
    @Override
    public void close() {
        models.close();
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
        private MeterRegistry registry;
        private final Map<ModelLocation, String> modelNames = new LinkedHashMap<>();
        private final Map<ModelLocation, String> versionFolders = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Publishes the engine's meters (predictions, model loads, cache, storage requests; see
         * {@code docs/observability.md}) in this registry; without one the engine records none.
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Labels the meters of the model at {@code location} with {@code name} rather than its location.
         *
         * @throws InferenceException if the location is malformed
         */
        public Builder modelName(String name, String location) {
            modelNames.putIfAbsent(ModelLocation.parse(location), Objects.requireNonNull(name, "name"));
            return this;
        }

        /**
         * Labels the meters of the models stored in the numbered version folders of {@code folder}
         * ({@code <folder>/<version>/<model file>}) with {@code <name>@<version>}.
         *
         * @throws InferenceException if the location is malformed
         */
        public Builder modelVersionFolder(String name, String folder) {
            versionFolders.putIfAbsent(ModelLocation.parse(folder), Objects.requireNonNull(name, "name"));
            return this;
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
         *     or invalid key (named by {@link InferenceException#field()}), or two providers claiming
         *     one scheme, format or file extension
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
