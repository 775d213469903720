package dev.pronto.inference.spi;

import java.util.Map;
import java.util.Set;

/**
 * Makes {@link Storage} for one or more location schemes; found with {@link java.util.ServiceLoader}.
 *
 * <h2>Lifecycle</h2>
 * The provider has a public no-argument constructor that does no I/O. The engine calls
 * {@link #create(Map)} once when it starts, with the provider's own configuration: every engine key
 * {@code storage.<name>.<key>} handed over as {@code <key>}. Heavy clients are built there, not in
 * the constructor.
 *
 * <h2>Registration</h2>
 * List the implementation in {@code META-INF/services/dev.pronto.inference.spi.StorageProvider}.
 * Two providers claiming one scheme stop the engine at start with an error naming both classes,
 * unless one was passed to the engine's builder explicitly, which overrides discovery.
 *
 * <h2>Thread safety</h2>
 * Providers are only called while the engine starts, from one thread.
 */
public interface StorageProvider {

    /** The provider's name, which is also its configuration prefix: {@code storage.<name>.}. */
    String name();

    /** The location schemes this provider serves, e.g. {@code s3}. */
    Set<String> schemes();

    /**
     * Creates the storage.
     *
     * @param properties the provider's configuration, keys without the {@code storage.<name>.} prefix
     * @throws IllegalArgumentException naming the key, for an unknown key or an invalid value
     */
    Storage create(Map<String, String> properties);

    /**
     * Keys of {@link #create(Map)}'s properties whose values are secrets: they are masked wherever
     * configuration is shown or logged. The default is none.
     */
    default Set<String> secretPropertyNames() {
        return Set.of();
    }
}
