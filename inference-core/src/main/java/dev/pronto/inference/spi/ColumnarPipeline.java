package dev.pronto.inference.spi;

import dev.pronto.inference.BatchPrediction;
import dev.pronto.inference.Columns;
import dev.pronto.inference.InferenceException;

/**
 * A capability of a {@link Pipeline} that scores a batch given as columns and answers by column, for
 * a runtime that takes tensors (ONNX Runtime, for instance): its inputs are filled from the columns and
 * its outputs read into a {@link BatchPrediction}, with no map per record in and no
 * {@link dev.pronto.inference.Prediction} per record out. The engine hands
 * {@link dev.pronto.inference.ModelHandle#predict(Columns)} to {@link #predictColumns(Columns)} when the
 * pipeline has this capability; otherwise it scores {@link Columns#records()} as any batch of records
 * (through {@link BatchPipeline} or {@link Pipeline#predict} per record) and wraps the predictions, so
 * every pipeline serves columns unchanged.
 *
 * <h2>Contract</h2>
 * The answer must be the one scoring {@link Columns#records()} gives: {@link BatchPrediction#predictions()}
 * equal, record by record, to the record path's predictions, and the same errors, with the same
 * category, field, record index and message. A column a pipeline does not read fast it reads through
 * {@link dev.pronto.inference.Column#value(int)}, which is the record's value.
 *
 * <h2>Thread safety and lifecycle</h2>
 * Thread-safe, like every pipeline; called concurrently, and possibly after {@link Pipeline#close()}
 * by requests that were already running, as {@link Pipeline#predict} is.
 */
public interface ColumnarPipeline extends Pipeline {

    /**
     * Scores the batch's records in order.
     *
     * @param columns the records, with at least one row
     * @return the answer for every record, in order
     * @throws InferenceException with category {@code INVALID_RECORD}, the field and the index of the
     *     first record that cannot be scored, as the record path would report it
     */
    BatchPrediction predictColumns(Columns columns);
}
