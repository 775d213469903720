package dev.pronto.inference.internal;

import java.util.Optional;

import dev.pronto.inference.ModelInfo;
import dev.pronto.inference.spi.ConvertedModel;
import dev.pronto.inference.spi.ObjectInfo;
import dev.pronto.inference.spi.Pipeline;

/**
 * One loaded version of a model: the pipeline that scores, the facts of its load, the storage
 * object it was read from, and the heap it takes. Immutable; a newer version replaces the whole value.
 *
 * @param weight the bytes of heap the pipeline takes, measured by {@link HeapWeigher} when it was
 *     loaded; what {@code cache.max-weight} bounds (see {@code docs/architecture.md}, "Model weight")
 */
public record LoadedModel(Pipeline pipeline, ModelInfo info, ObjectInfo object, long weight) {

    /** A model whose weight is measured now; call it before the pipeline is shared. */
    public LoadedModel(Pipeline pipeline, ModelInfo info, ObjectInfo object) {
        this(pipeline, info, object, HeapWeigher.weigh(pipeline));
    }

    /** The PMML document the model was converted to, when its pipeline says it was converted. */
    public Optional<byte[]> convertedPmml() {
        return pipeline instanceof ConvertedModel converted ? Optional.of(converted.convertedPmml()) : Optional.empty();
    }
}
