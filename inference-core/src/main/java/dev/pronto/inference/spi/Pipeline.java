package dev.pronto.inference.spi;

import java.util.Map;

import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelSchema;
import dev.pronto.inference.Prediction;

/**
 * A loaded, verified model that scores records.
 *
 * <h2>Thread safety</h2>
 * Implementations are thread-safe and take no lock per record: the engine shares one instance
 * between all requests.
 *
 * <h2>Exceptions</h2>
 * {@link #predict(Map)} throws {@link InferenceException} with category
 * {@link dev.pronto.inference.ErrorCategory#INVALID_RECORD INVALID_RECORD} for a record the model
 * cannot score, naming the field and quoting the value; the engine adds the record index.
 *
 * <h2>Capabilities</h2>
 * A pipeline may also implement {@link ConvertedModel} (it scores a PMML document converted from the
 * stored model), {@link ScoringNote} (it describes how it scores, for the load log line),
 * {@link BatchPipeline} (it scores a batch of records in one call) or {@link ColumnarPipeline} (it
 * scores a batch given as columns and answers by column); the engine asks with {@code instanceof}, so
 * a pipeline without them implements nothing more.
 *
 * <h2>Closing</h2>
 * The engine closes a pipeline when it is evicted or replaced by a newer version, after which
 * {@code predict} may still be called by requests that were already running; the default close does
 * nothing.
 */
public interface Pipeline extends AutoCloseable {

    /** The model's inputs, targets and outputs. */
    ModelSchema schema();

    /**
     * Scores one record.
     *
     * @param record input values by field name: {@link String}, {@link Number}, {@link Boolean} or
     *     {@code null} for a missing value; keys that are not input fields are ignored
     * @throws InferenceException with category {@code INVALID_RECORD} if the model cannot score the values
     */
    Prediction predict(Map<String, ?> record);

    @Override
    default void close() {
    }
}
