package dev.pronto.inference.internal;

import dev.pronto.inference.ModelInfo;
import dev.pronto.inference.spi.ObjectInfo;
import dev.pronto.inference.spi.Pipeline;

/**
 * One loaded version of a model: the pipeline that scores, the facts of its load, and the storage
 * object it was read from. Immutable; a newer version replaces the whole value.
 */
public record LoadedModel(Pipeline pipeline, ModelInfo info, ObjectInfo object) {

    /**
     * How many bytes of heap a loaded model takes per byte stored, as an estimate. Measured on the
     * conformance corpus it ranges from under 1 (tree ensembles) to 15 (KNN, which keeps its
     * instances); see {@code docs/architecture.md}, "Model weight".
     */
    static final long HEAP_BYTES_PER_STORED_BYTE = 4;

    /** The estimated heap this model takes, for {@code cache.max-weight}. */
    public long weight() {
        long size = info.sizeBytes();
        return size > Long.MAX_VALUE / HEAP_BYTES_PER_STORED_BYTE ? Long.MAX_VALUE : size * HEAP_BYTES_PER_STORED_BYTE;
    }
}
