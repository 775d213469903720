package dev.pronto.inference.pmml.compiled;

import java.util.Map;

import dev.pronto.inference.Prediction;

/**
 * Scores the records of one model exactly as jpmml-evaluator would (same values, Java types, doubles
 * bit for bit, orders), or declines a record so the caller scores it with jpmml, errors included.
 * Obtained from {@link ModelCompiler#compile}, which returns only scorers that passed a cross-check
 * against jpmml.
 *
 * <p>Immutable and thread-safe: one instance is shared by every request for its model.
 */
public interface CompiledScorer {

    /**
     * Scores one record, or declines it: a missing, non-numeric, NaN or infinite input, a value
     * outside the field's intervals or valid values, a non-finite intermediate result, or anything
     * else the compiled code does not mirror. A record jpmml would reject is declined, not refused
     * here, so jpmml's error reaches the client; declining returns {@code null} rather than an
     * {@code Optional} to keep the per-record path free of allocations.
     *
     * @param record raw input values by field name, as a JSON parser produces them
     * @return the prediction jpmml would give, or {@code null} if jpmml must score this record
     */
    Prediction predict(Map<String, ?> record);

    /** The model type this scorer compiles, for the load log line (e.g. {@code RegressionModel}). */
    String modelType();
}
