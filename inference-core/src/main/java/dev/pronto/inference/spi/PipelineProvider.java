package dev.pronto.inference.spi;

import java.util.Map;
import java.util.Set;

/**
 * Makes {@link PipelineLoader}s for one model format; found with {@link java.util.ServiceLoader}.
 *
 * <h2>How a format is chosen</h2>
 * A caller may name a format explicitly (a {@link dev.pronto.inference.ModelFormat}); if it names
 * a registered {@link #format()}, that provider loads the model. Otherwise the model file's
 * extension chooses the provider whose {@link #fileExtensions()} contains it.
 *
 * <h2>Lifecycle</h2>
 * Public no-argument constructor without I/O; {@link #create(Map)} is called once when the engine
 * starts, with every engine key {@code pipeline.<format>.<key>} handed over as {@code <key>}.
 *
 * <h2>Registration</h2>
 * List the implementation in {@code META-INF/services/dev.pronto.inference.spi.PipelineProvider}.
 * Two providers of one format, or two claiming one file extension, stop the engine at start with an
 * error naming both classes, unless one was passed to the engine's builder explicitly.
 *
 * <h2>Thread safety</h2>
 * Providers are only called while the engine starts, from one thread.
 */
public interface PipelineProvider {

    /** The format name in lower case, e.g. {@code pmml}. */
    String format();

    /** File extensions in lower case without the dot that this format claims, e.g. {@code pmml}. */
    Set<String> fileExtensions();

    /**
     * Creates the loader.
     *
     * @param properties the provider's configuration, keys without the {@code pipeline.<format>.} prefix
     * @throws IllegalArgumentException naming the key, for an unknown key or an invalid value
     */
    PipelineLoader create(Map<String, String> properties);
}
