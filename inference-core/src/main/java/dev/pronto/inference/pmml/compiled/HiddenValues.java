package dev.pronto.inference.pmml.compiled;

import java.util.Map;
import java.util.function.Function;

import org.jpmml.evaluator.ModelEvaluator;

/**
 * A compiled scorer whose predictions hide values it computes on the way, which the load-time check
 * ({@link CrossCheck}) then compares with jpmml's too. Why: a stacking chain's base estimators hand
 * their probabilities to trees, which compare them with thresholds, so a wrong last bit in a base
 * estimator almost never shows in the result, on the check's records or on a client's, until one
 * lands beside a threshold.
 */
interface HiddenValues {

    /**
     * A check of the hidden values, for load time only (it may build jpmml evaluators of its own,
     * dropped with it): for a record, how the scorer's hidden values differ from jpmml's, or
     * {@code null} if they do not or the scorer declines the record.
     *
     * @param reference the evaluator of the model as jpmml scores it (the scorer's own model at load
     *     time; the original of an altered model in tests)
     */
    Function<Map<String, ?>, String> hiddenValuesCheck(ModelEvaluator<?> reference);
}
