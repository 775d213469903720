package dev.pronto.inference;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.pronto.inference.internal.EngineMetrics;
import dev.pronto.inference.internal.EngineSettings;
import dev.pronto.inference.internal.FolderListing;
import dev.pronto.inference.internal.LoadedModel;
import dev.pronto.inference.internal.ModelCache;
import dev.pronto.inference.internal.ModelKeys;
import dev.pronto.inference.internal.ModelLoader;
import dev.pronto.inference.internal.ModelStatuses;
import dev.pronto.inference.internal.ProviderRegistry;
import dev.pronto.inference.spi.PipelineProvider;
import dev.pronto.inference.spi.StorageProvider;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The loading and caching side of an {@link InferenceEngine}: its providers, the cache keys of location
 * texts, the model cache and the meters, wired together from the builder's configuration, and the
 * lookups the engine's methods make in them. {@link InferenceEngine} is the public face over it (the
 * contract, the argument checks); scoring goes through the {@link ModelHandle}s handed out here.
 *
 * <p>Thread-safe; closed by its engine.
 */
final class EngineModels implements AutoCloseable {

    private final ProviderRegistry providers;
    private final ModelKeys keys;
    private final ModelCache cache;
    private final EngineMetrics metrics;

    /**
     * Creates the storages and pipeline loaders, and the empty cache.
     *
     * @param discoverIn where {@link java.util.ServiceLoader} looks for providers, or {@code null} for none
     * @param registry where the meters go, or {@code null} to record none
     * @throws IllegalArgumentException or {@link InferenceException} for an invalid configuration
     */
    EngineModels(Map<String, String> config, List<StorageProvider> storageProviders, List<PipelineProvider> pipelineProviders,
            ClassLoader discoverIn, MeterRegistry registry, Map<ModelLocation, String> modelNames,
            Map<ModelLocation, String> versionFolders) {
        EngineSettings settings = EngineSettings.from(config);
        this.providers = new ProviderRegistry(storageProviders, pipelineProviders, discoverIn, config);
        this.keys = new ModelKeys(providers);
        this.metrics = registry == null ? EngineMetrics.none() : EngineMetrics.in(registry, modelNames, versionFolders);
        this.cache = new ModelCache(new ModelLoader(providers, settings.maxModelBytes(), settings.failedLoadBackoff(), metrics),
                settings, metrics);
        metrics.gauges(() -> cache.loaded().size(),
                () -> inMemory().stream().filter(info -> status(info).problem().isPresent()).count());
    }

    /** The cache key of the model at the location, its format chosen by the file extension. */
    ModelCache.Key key(String location) {
        return keys.of(location);
    }

    /** The cache key of the model at the location as loaded by the format. */
    ModelCache.Key key(String location, ModelFormat format) {
        return keys.of(location, format);
    }

    /** The model under the key, loaded first if it is not in memory, with its meters. */
    ModelHandle handle(ModelCache.Key key) {
        return ModelHandle.of(key, cache, metrics);
    }

    /** The model under the key if it is in memory; never loads it or waits for a load. */
    Optional<ModelHandle> handleIfLoaded(ModelCache.Key key) {
        return ModelHandle.ifLoaded(key, cache, metrics);
    }

    /** The model under the key, loaded first if it is not in memory, without counting a prediction's meters. */
    LoadedModel loaded(ModelCache.Key key) {
        return cache.get(key);
    }

    /** The model under the key if it is in memory. */
    Optional<LoadedModel> ifLoaded(ModelCache.Key key) {
        return cache.getIfLoaded(key);
    }

    /** Takes the model out of memory; whether it was there (or loading). */
    boolean unload(ModelCache.Key key) {
        return cache.evict(key);
    }

    /** The facts of the models in memory, most recently used first. */
    List<ModelInfo> inMemory() {
        return cache.loaded().stream().map(LoadedModel::info).toList();
    }

    /** How the model fares now; composed when asked. */
    ModelStatus status(ModelInfo model) {
        return ModelStatuses.of(model, cache, providers);
    }

    /** What the store holds directly inside the folder. */
    List<FolderEntry> list(ModelLocation folder) {
        return FolderListing.list(providers, folder);
    }

    /** Checks every model in memory for a newer version now. */
    void revalidate() {
        cache.revalidateAll();
    }

    /** Pays each pipeline format's one-time start-up cost now; best effort. */
    void warmUp() {
        providers.warmUp();
    }

    /** The location schemes that configured storages serve. */
    Set<String> schemes() {
        return providers.schemes();
    }

    /** The registered pipeline formats, in lower case. */
    Set<String> formats() {
        return providers.formats();
    }

    /** Stops the meters and background revalidation, closes loaded pipelines, then the storages they read from. */
    @Override
    public void close() {
        metrics.close();
        cache.close();
        providers.close();
    }
}
