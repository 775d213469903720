package dev.pronto.inference.internal;

import dev.pronto.inference.ModelInfo;
import dev.pronto.inference.spi.ObjectInfo;
import dev.pronto.inference.spi.Pipeline;

/**
 * One loaded version of a model: the pipeline that scores, what is known about it, and the storage
 * object it was read from. Immutable; a newer version replaces the whole value.
 */
public record LoadedModel(Pipeline pipeline, ModelInfo info, ObjectInfo object) {
}
