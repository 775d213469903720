package dev.pronto.inference.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.spi.PipelineLoader;
import dev.pronto.inference.spi.PipelineProvider;
import dev.pronto.inference.spi.Storage;
import dev.pronto.inference.spi.StorageProvider;
import dev.pronto.inference.spi.WarmUp;
import dev.pronto.inference.toolkit.InvalidPropertyException;

/**
 * The storages and pipeline loaders of one engine: finds the providers, indexes them by scheme,
 * format and file extension, hands each its slice of the configuration and creates its product.
 *
 * <p>Immutable after construction and thread-safe; {@link #close()} closes the storages.
 */
public final class ProviderRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProviderRegistry.class);

    private final List<Storage> storages = new ArrayList<>();
    private final Map<String, Storage> storagesByScheme;
    private final Map<String, PipelineLoader> loadersByFormat;
    private final Map<String, String> formatsByExtension;

    /**
     * Creates every storage and loader.
     *
     * @param explicitStorage providers the application passed in, overriding discovered ones
     * @param explicitPipelines likewise for pipelines
     * @param classLoader where {@link java.util.ServiceLoader} looks, or {@code null} to discover nothing
     * @param config the whole engine configuration; only {@code storage.*} and {@code pipeline.*} are read
     * @throws InferenceException with category {@code CONFIGURATION}: two providers claim one scheme,
     *     format or extension, a key names no installed provider, or a provider refuses its keys
     */
    public ProviderRegistry(List<StorageProvider> explicitStorage, List<PipelineProvider> explicitPipelines,
            ClassLoader classLoader, Map<String, String> config) {
        List<StorageProvider> discoveredStorage = classLoader == null
                ? List.of() : ProviderIndex.discover(StorageProvider.class, classLoader);
        List<PipelineProvider> discoveredPipelines = classLoader == null
                ? List.of() : ProviderIndex.discover(PipelineProvider.class, classLoader);
        Map<String, StorageProvider> storageProviders = ProviderIndex.index("scheme",
                explicitStorage, discoveredStorage, StorageProvider::schemes);
        Map<String, PipelineProvider> pipelineProviders = ProviderIndex.index("format",
                explicitPipelines, discoveredPipelines, p -> Set.of(p.format().toLowerCase(Locale.ROOT)));
        Map<String, PipelineProvider> byExtension = ProviderIndex.index("file extension",
                explicitPipelines, List.copyOf(pipelineProviders.values()), PipelineProvider::fileExtensions);

        Map<String, StorageProvider> storageByName = new TreeMap<>();
        for (StorageProvider provider : storageProviders.values()) {
            storageByName.put(provider.name(), provider);
        }
        Map<String, String> storageKeys = withPrefix(config, "storage.");
        Map<String, String> pipelineKeys = withPrefix(config, "pipeline.");
        rejectUnclaimed("storage.", storageKeys, storageByName.keySet(), "storage provider");
        rejectUnclaimed("pipeline.", pipelineKeys, pipelineProviders.keySet(), "pipeline format");

        Map<String, Storage> byScheme = new TreeMap<>();
        Map<String, PipelineLoader> loaders = new TreeMap<>();
        try {
            for (StorageProvider provider : storageByName.values()) {
                Storage storage = createStorage(provider, withPrefix(storageKeys, provider.name() + "."));
                storages.add(storage);
                for (String scheme : provider.schemes()) {
                    if (storageProviders.get(scheme) == provider) {
                        byScheme.put(scheme, storage);
                    }
                }
            }
            for (Map.Entry<String, PipelineProvider> entry : pipelineProviders.entrySet()) {
                String prefix = "pipeline." + entry.getKey() + ".";
                Map<String, String> keys = withPrefix(pipelineKeys, entry.getKey() + ".");
                loaders.put(entry.getKey(), created(prefix, keys, () -> entry.getValue().create(keys)));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.storagesByScheme = Map.copyOf(byScheme);
        this.loadersByFormat = Map.copyOf(loaders);
        Map<String, String> extensions = new TreeMap<>();
        byExtension.forEach((extension, provider) -> extensions.put(extension, provider.format().toLowerCase(Locale.ROOT)));
        this.formatsByExtension = Map.copyOf(extensions);
    }

    /**
     * Creates the storage of one provider: the one place a storage comes into being, so that
     * decorators chosen by configuration are applied here.
     */
    private static Storage createStorage(StorageProvider provider, Map<String, String> properties) {
        return created("storage." + provider.name() + ".", properties, () -> StorageFactory.create(provider, properties));
    }

    /**
     * Runs a provider's {@code create}, turning its {@link IllegalArgumentException} into a
     * configuration error. Providers name the offending key in the message, with its full engine key
     * (as {@link InvalidPropertyException}, which carries it, does); the one of the provider's own
     * keys that the message names (the longest, if several) becomes the error's field.
     */
    private static <T> T created(String prefix, Map<String, String> keys, Supplier<T> create) {
        try {
            return create.get();
        } catch (InvalidPropertyException e) {
            throw new InferenceException(ErrorCategory.CONFIGURATION, e.getMessage(), e.key(), -1, e);
        } catch (IllegalArgumentException | IllegalStateException e) {
            String message = String.valueOf(e.getMessage());
            String field = null;
            for (String key : keys.keySet()) {
                // the longest match, so that "region" does not claim a message about "region-endpoint"
                if (message.contains(prefix + key) && (field == null || field.length() < prefix.length() + key.length())) {
                    field = prefix + key;
                }
            }
            throw new InferenceException(ErrorCategory.CONFIGURATION, message, field, -1, e);
        }
    }

    /** The storage serving the scheme, or {@code null}. */
    public Storage storage(String scheme) {
        return storagesByScheme.get(scheme);
    }

    /** The loader of the format (lower case), or {@code null}. */
    public PipelineLoader loader(String format) {
        return loadersByFormat.get(format);
    }

    /**
     * Warms up every loader that offers it ({@link WarmUp}), one after the other in the calling thread, by
     * format; a failure is logged and skipped, as warming up only ever saves time.
     */
    public void warmUp() {
        for (Map.Entry<String, PipelineLoader> entry : new TreeMap<>(loadersByFormat).entrySet()) {
            if (entry.getValue() instanceof WarmUp warmUp) {
                long started = System.nanoTime();
                try {
                    if (warmUp.warmUp()) {
                        log.info("warmed up pipeline format {} in {} ms", entry.getKey(), (System.nanoTime() - started) / 1_000_000);
                    }
                } catch (RuntimeException e) {
                    log.warn("warming up pipeline format {} failed; its first load pays the cost instead", entry.getKey(), e);
                }
            }
        }
    }

    /** The format whose provider claims the file extension (lower case, no dot), or {@code null}. */
    public String formatOfExtension(String extension) {
        return formatsByExtension.get(extension);
    }

    /** The schemes that configured storages serve, sorted. */
    public Set<String> schemes() {
        return new TreeSet<>(storagesByScheme.keySet());
    }

    /** The registered formats, sorted. */
    public Set<String> formats() {
        return new TreeSet<>(loadersByFormat.keySet());
    }

    /** The file extensions that choose a format, sorted. */
    public Set<String> extensions() {
        return new TreeSet<>(formatsByExtension.keySet());
    }

    /** Closes every storage, logging failures: one storage failing to close must not keep the others open. */
    @Override
    public void close() {
        for (Storage storage : storages) {
            try {
                storage.close();
            } catch (IOException | RuntimeException e) {
                log.warn("closing storage {} failed", storage.getClass().getName(), e);
            }
        }
    }

    private static void rejectUnclaimed(String prefix, Map<String, String> keys, Set<String> names, String what) {
        for (String key : keys.keySet()) {
            int dot = key.indexOf('.');
            String name = dot < 0 ? key : key.substring(0, dot);
            if (dot < 0 || !names.contains(name)) {
                throw new InferenceException(ErrorCategory.CONFIGURATION, "unknown configuration key " + prefix + key
                        + ": no " + what + " named \"" + name + "\" is installed; installed: " + names, prefix + key, -1, null);
            }
        }
    }

    private static Map<String, String> withPrefix(Map<String, String> keys, String prefix) {
        Map<String, String> slice = new LinkedHashMap<>();
        keys.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                slice.put(key.substring(prefix.length()), value.trim());
            }
        });
        return slice;
    }
}
