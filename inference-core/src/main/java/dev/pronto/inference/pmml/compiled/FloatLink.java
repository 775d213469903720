package dev.pronto.inference.pmml.compiled;

/**
 * The last segment of a float model chain (XGBoost's): a {@code RegressionModel} in
 * {@code x-mathContext="float"} whose tables sum the members' float values, and the link function
 * that turns them into the result (a class probability per table, or one regression value).
 *
 * <p>Mirrors jpmml-evaluator 1.7.7 with {@code FloatValue} arithmetic:
 * <ul>
 *   <li>{@code RegressionTableUtil.evaluate}: from {@code 0f}, {@code + coefficient.floatValue() * x}
 *       per NumericPredictor in order (exponent 1), then {@code + intercept.floatValue()} only if the
 *       intercept is not zero;</li>
 *   <li>{@code FloatValue.exp(x)} is {@code (float) Math.pow(2.7182817, x)} (a float e, not
 *       {@code Math.exp}); {@code inverseLogit} is {@code 1f / (1f + exp(-x))};</li>
 *   <li>{@code RegressionModelUtil.computeBinomialProbabilities}: the first table's value through the
 *       inverse logit, the second {@code 1f - first};</li>
 *   <li>{@code ValueUtil.normalizeSoftMax}: the first of equal maxima (by {@code Float.compare}) is
 *       subtracted from each value before {@code exp}, the values are summed in order, and divided by
 *       that sum unless it is exactly one;</li>
 *   <li>{@code RegressionModelUtil.normalizeRegressionResult}: none, {@code exp} or the inverse logit.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
final class FloatLink {

    /** Which link jpmml applies, by function, table count and normalisation method. */
    enum Kind { REGRESSION_NONE, REGRESSION_EXP, REGRESSION_LOGIT, BINOMIAL_LOGIT, SOFTMAX }

    /** The float value of {@code FloatValue.E}, which jpmml's float {@code exp} raises. */
    private static final double E = 2.7182817;

    private final Kind kind;
    private final int[][] slots;
    private final float[][] coefficients;
    private final float[] intercepts;
    /** Whether a table's intercept is added ({@code intercept.doubleValue() != 0}). */
    private final boolean[] withIntercept;

    FloatLink(Kind kind, int[][] slots, float[][] coefficients, float[] intercepts, boolean[] withIntercept) {
        this.kind = kind;
        this.slots = slots.clone();
        this.coefficients = coefficients.clone();
        this.intercepts = intercepts.clone();
        this.withIntercept = withIntercept.clone();
    }

    int tableCount() {
        return intercepts.length;
    }

    /** Whether the link gives class probabilities rather than one regression value. */
    boolean isClassification() {
        return kind == Kind.BINOMIAL_LOGIT || kind == Kind.SOFTMAX;
    }

    /**
     * The tables' values over the slots (the members' float values held as doubles), normalised:
     * one value for a regression, one probability per table for a classification. Throws
     * {@link NotCompiled} where jpmml would fail or give a non-finite value.
     */
    float[] evaluate(double[] values) {
        float[] result = new float[intercepts.length];
        for (int t = 0; t < result.length; t++) {
            float sum = 0f;
            for (int i = 0; i < slots[t].length; i++) {
                sum = sum + coefficients[t][i] * (float) values[slots[t][i]];
            }
            if (withIntercept[t]) {
                sum = sum + intercepts[t];
            }
            result[t] = sum;
        }
        switch (kind) {
            case REGRESSION_NONE -> { }
            case REGRESSION_EXP -> result[0] = exp(result[0]);
            case REGRESSION_LOGIT -> result[0] = inverseLogit(result[0]);
            case BINOMIAL_LOGIT -> {
                result[0] = inverseLogit(result[0]);
                result[1] = 1f - result[0];
            }
            case SOFTMAX -> softMax(result);
        }
        for (float value : result) {
            if (!Float.isFinite(value)) {
                throw NotCompiled.INSTANCE;
            }
        }
        return result;
    }

    private static void softMax(float[] values) {
        float max = values[0];
        for (int i = 1; i < values.length; i++) {
            if (Float.compare(max, values[i]) < 0) {
                max = values[i];
            }
        }
        float sum = 0f;
        for (int i = 0; i < values.length; i++) {
            values[i] = exp(values[i] - max);
            sum = i == 0 ? values[i] : sum + values[i];
        }
        if (sum != 1f) {
            if (sum == 0f) {
                // jpmml throws UndefinedResultException: its error is the one to give
                throw NotCompiled.INSTANCE;
            }
            for (int i = 0; i < values.length; i++) {
                values[i] = values[i] / sum;
            }
        }
    }

    /** {@code FloatValue.exp(float)}. */
    static float exp(float value) {
        return (float) Math.pow(E, value);
    }

    /** {@code FloatValue.inverseLogit}. */
    static float inverseLogit(float value) {
        return 1f / (1f + exp(-value));
    }
}
