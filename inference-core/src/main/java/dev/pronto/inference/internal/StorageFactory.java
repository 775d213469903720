package dev.pronto.inference.internal;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;

import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.spi.ListableStorage;
import dev.pronto.inference.spi.Storage;
import dev.pronto.inference.spi.StorageProvider;
import dev.pronto.inference.toolkit.InvalidPropertyException;
import dev.pronto.inference.toolkit.ProviderProperties;
import dev.pronto.inference.toolkit.UnconfiguredStorage;

/**
 * Makes the engine's {@link Storage} for one provider: the provider's own storage, behind the local
 * file cache ({@link CachingStorage}) when the configuration asks for one. The cache is chosen here by
 * configuration, as a decorator, so no provider wires it and the SPI knows nothing of it.
 *
 * <h2>Keys</h2>
 * Under the provider's prefix {@code storage.<name>.}, this class takes two keys before the provider
 * sees the rest: {@value #LOCAL_FOLDER} (no default: without it there is no file cache) and
 * {@value #REVALIDATE_INTERVAL} (default 60 s; {@code 0} checks on every call). A provider that serves
 * the {@code file} scheme reads files already, so a local folder for it is refused by name.
 *
 * <p>Stateless; called while the engine starts.
 */
public final class StorageFactory {

    /** Configuration key of the folder that holds the local copies. */
    public static final String LOCAL_FOLDER = "local-folder";
    /** Configuration key of the least time between two checks of one object against the store. */
    public static final String REVALIDATE_INTERVAL = "revalidate-interval";
    /** How often an object is checked against the store unless configured otherwise. */
    public static final Duration DEFAULT_REVALIDATE_INTERVAL = Duration.ofSeconds(60);

    private StorageFactory() {
    }

    /**
     * Creates the provider's storage from its properties (keys without {@code storage.<name>.}),
     * wrapped in the file cache if {@value #LOCAL_FOLDER} is set.
     *
     * @throws IllegalArgumentException from the provider, or an {@link InvalidPropertyException} naming
     *     a cache key whose value cannot be used
     */
    public static Storage create(StorageProvider provider, Map<String, String> properties) {
        return create(provider, properties, System::nanoTime);
    }

    static Storage create(StorageProvider provider, Map<String, String> properties, LongSupplier clock) {
        Map<String, String> cacheKeys = new TreeMap<>();
        Map<String, String> rest = new TreeMap<>();
        properties.forEach((key, value) ->
                (key.equals(LOCAL_FOLDER) || key.equals(REVALIDATE_INTERVAL) ? cacheKeys : rest).put(key, value));
        ProviderProperties config = new ProviderProperties("storage." + provider.name() + ".", cacheKeys);
        Duration interval = config.getDuration(REVALIDATE_INTERVAL, DEFAULT_REVALIDATE_INTERVAL);
        Optional<Path> folder = config.get(LOCAL_FOLDER).map(text -> folder(config, text));
        if (folder.isPresent() && provider.schemes().contains("file")) {
            throw config.invalid(LOCAL_FOLDER, "the local file cache is for remote stores; storage \""
                    + provider.name() + "\" reads files from local or mounted folders itself");
        }
        Storage storage = provider.create(rest);
        if (folder.isEmpty() || storage instanceof UnconfiguredStorage) {
            // a storage that refuses every location never reads, so it needs no folder (the seed's files
            // name a local folder for Azure without any container)
            return storage;
        }
        try {
            return new CachingStorage(storage, folder.get(), interval, clock);
        } catch (IOException e) {
            closeQuietly(storage, e);
            throw new InvalidPropertyException(config.fullKey(LOCAL_FOLDER), "cannot create the folder or write in it", e);
        }
    }

    /**
     * Why what {@code storage} serves for the location may be out of date, if it may be: a cached
     * storage serving its last good copy while the store cannot be reached says so until a check
     * succeeds. Empty for any other storage. Never throws and does no I/O.
     */
    public static Optional<String> staleness(Storage storage, ModelLocation location) {
        return storage instanceof CachingStorage cached ? cached.staleness(location) : Optional.empty();
    }

    /**
     * The storage that lists folders for {@code storage}, if it can: listings are never cached, so the
     * local file cache lists through to the store it wraps. Empty for a storage without
     * {@link ListableStorage}. Does no I/O.
     */
    public static Optional<ListableStorage> listing(Storage storage) {
        Storage inner = storage instanceof CachingStorage cached ? cached.remote() : storage;
        return inner instanceof ListableStorage listable ? Optional.of(listable) : Optional.empty();
    }

    private static Path folder(ProviderProperties config, String text) {
        try {
            return Path.of(text).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw config.invalid(LOCAL_FOLDER, "not a valid path on this system");
        }
    }

    private static void closeQuietly(Storage storage, Exception failure) {
        try {
            storage.close();
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
