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
     * How many bytes of heap a parsed model takes per byte stored, as an estimate: a PMML document
     * becomes a tree of jpmml objects whose size follows the document's, and pipelines converted
     * from other formats keep their document as well. See {@code docs/architecture.md}.
     */
    static final long HEAP_BYTES_PER_STORED_BYTE = 4;

    /** The estimated heap this model takes, for {@code cache.max-weight}. */
    public long weight() {
        long size = info.sizeBytes();
        return size > Long.MAX_VALUE / HEAP_BYTES_PER_STORED_BYTE ? Long.MAX_VALUE : size * HEAP_BYTES_PER_STORED_BYTE;
    }
}
