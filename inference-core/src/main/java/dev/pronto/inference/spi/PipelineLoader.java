package dev.pronto.inference.spi;

import dev.pronto.inference.InferenceException;

/**
 * Turns stored model bytes into a ready {@link Pipeline}; made by a {@link PipelineProvider}.
 *
 * <p>Thread-safe: the engine may load several models at once with one loader.
 */
@FunctionalInterface
public interface PipelineLoader {

    /**
     * Parses, verifies and warms up a model, so that the first record scored is as fast as the rest.
     *
     * @throws InferenceException with category {@link dev.pronto.inference.ErrorCategory#INVALID_MODEL
     *     INVALID_MODEL} if the bytes are not a valid model of this format or the model fails its
     *     own verification; the message says why without quoting server paths
     */
    Pipeline load(ModelSource source);
}
