package dev.pronto.inference.spi;

/**
 * A capability of a {@link PipelineLoader} whose first load pays a one-time cost that later loads
 * do not (a converter loading and initialising thousands of classes, say), and that can pay it
 * ahead of time, when the application has nothing better to do. The engine offers it through
 * {@link dev.pronto.inference.InferenceEngine#warmUp()}; loaders without such a cost do not
 * implement this.
 *
 * <p>Thread-safe, like the loader that implements it: a warm-up may run while models load.
 */
public interface WarmUp {

    /**
     * Pays the one-time cost now, in the calling thread, and returns when done. Best effort: a
     * failure must not affect later loads; implementations report it by throwing any runtime exception,
     * which the engine logs and otherwise ignores.
     *
     * @return whether it warmed anything up; {@code false} when configuration turned warming up off
     */
    boolean warmUp();
}
