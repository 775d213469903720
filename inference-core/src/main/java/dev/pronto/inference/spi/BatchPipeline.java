package dev.pronto.inference.spi;

import java.util.List;
import java.util.Map;

import dev.pronto.inference.InferenceException;
import dev.pronto.inference.Prediction;

/**
 * A capability of a {@link Pipeline} that scores a whole batch in one call, for a runtime whose fixed
 * cost per call is large beside its cost per record (ONNX Runtime, for instance). The engine hands a
 * request's records to {@link #predictBatch(List)} when the pipeline has this capability, and to
 * {@link Pipeline#predict(Map)} one by one otherwise.
 *
 * <p>Thread-safe, like every pipeline.
 */
public interface BatchPipeline extends Pipeline {

    /**
     * Scores records in order.
     *
     * @param records input values by field name, none {@code null}; see {@link Pipeline#predict(Map)}
     * @return one prediction per record, in the same order
     * @throws InferenceException with category {@code INVALID_RECORD} and the index of the first
     *     record that cannot be scored
     */
    List<Prediction> predictBatch(List<? extends Map<String, ?>> records);
}
