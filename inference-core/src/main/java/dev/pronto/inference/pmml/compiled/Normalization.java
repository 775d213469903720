package dev.pronto.inference.pmml.compiled;

/**
 * How a regression model's raw table values become its result, following jpmml-evaluator's switch
 * on function, table count and normalisation method ({@code RegressionModelUtil} with
 * {@code DoubleValue} arithmetic, {@code ValueUtil.normalizeSoftMax/normalizeSimpleMax}).
 */
enum Normalization {
    /** Regression: the raw value. */
    REGRESSION_NONE,
    /** Regression with softmax or logit: {@code DoubleValue.inverseLogit}. */
    REGRESSION_LOGIT,
    REGRESSION_EXP,
    REGRESSION_CLOGLOG,
    REGRESSION_LOGLOG,
    REGRESSION_CAUCHIT,
    /** Two classes: the first value normalised, the second {@code 1 - first}. */
    BINOMIAL_NONE,
    BINOMIAL_LOGIT,
    BINOMIAL_CLOGLOG,
    BINOMIAL_LOGLOG,
    BINOMIAL_CAUCHIT,
    /** Several classes, {@code computeMultinomialProbabilities}. */
    MULTINOMIAL_NONE,
    MULTINOMIAL_SIMPLEMAX,
    MULTINOMIAL_SOFTMAX,
    MULTINOMIAL_LOGIT;

    /** A regression's value, normalised. */
    double regression(double value) {
        return switch (this) {
            case REGRESSION_NONE -> value;
            case REGRESSION_LOGIT -> inverseLogit(value);
            case REGRESSION_EXP -> Math.exp(value);
            case REGRESSION_CLOGLOG -> 1d - Math.exp(-Math.exp(value));
            case REGRESSION_LOGLOG -> Math.exp(-Math.exp(-value));
            case REGRESSION_CAUCHIT -> cauchit(value);
            default -> throw new IllegalStateException(name());
        };
    }

    /**
     * {@code RegressionModelUtil.computeBinomialProbabilities / computeMultinomialProbabilities}:
     * turns the raw values in {@code values[from, to)} into probabilities, in place, or throws
     * {@link NotCompiled} where jpmml would fail or keep a non-finite probability.
     */
    void classification(double[] values, int from, int to) {
        switch (this) {
            case BINOMIAL_NONE -> binomial(values, from, Math.min(Math.max(values[from], 0d), 1d));
            case BINOMIAL_LOGIT -> binomial(values, from, inverseLogit(values[from]));
            case BINOMIAL_CLOGLOG -> binomial(values, from, 1d - Math.exp(-Math.exp(values[from])));
            case BINOMIAL_LOGLOG -> binomial(values, from, Math.exp(-Math.exp(-values[from])));
            case BINOMIAL_CAUCHIT -> binomial(values, from, cauchit(values[from]));
            case MULTINOMIAL_NONE -> {
                double sum = values[from];
                for (int i = from + 1; i < to - 1; i++) {
                    sum += values[i];
                }
                values[to - 1] = 1d - sum;
            }
            case MULTINOMIAL_LOGIT -> {
                for (int i = from; i < to; i++) {
                    values[i] = inverseLogit(values[i]);
                }
                simpleMax(values, from, to);
            }
            case MULTINOMIAL_SIMPLEMAX -> simpleMax(values, from, to);
            case MULTINOMIAL_SOFTMAX -> softMax(values, from, to);
            default -> throw new IllegalStateException(name());
        }
        for (int i = from; i < to; i++) {
            // jpmml keeps non-finite probabilities; such records are rare enough to leave to it
            NotCompiled.finite(values[i]);
        }
    }

    private static void binomial(double[] values, int from, double first) {
        values[from] = first;
        values[from + 1] = 1d - first;
    }

    /** {@code ValueUtil.normalizeSimpleMax}: sum in order, no division when the sum is exactly one. */
    private static void simpleMax(double[] values, int from, int to) {
        double sum = values[from];
        for (int i = from + 1; i < to; i++) {
            sum += values[i];
        }
        if (sum == 1d) {
            return;
        }
        if (sum == 0d) {
            // jpmml throws UndefinedResultException: leave the record to it
            throw NotCompiled.INSTANCE;
        }
        for (int i = from; i < to; i++) {
            values[i] /= sum;
        }
    }

    /** {@code ValueUtil.normalizeSoftMax}: subtracts the first of equal maxima (compareTo is Double.compare). */
    private static void softMax(double[] values, int from, int to) {
        double max = values[from];
        for (int i = from + 1; i < to; i++) {
            if (Double.compare(max, values[i]) < 0) {
                max = values[i];
            }
        }
        double sum = 0;
        for (int i = from; i < to; i++) {
            values[i] = Math.exp(values[i] - max);
            sum = i == from ? values[i] : sum + values[i];
        }
        if (sum != 1d) {
            if (sum == 0d) {
                throw NotCompiled.INSTANCE;
            }
            for (int i = from; i < to; i++) {
                values[i] /= sum;
            }
        }
    }

    static double inverseLogit(double value) {
        return 1d / (1d + Math.exp(-value));
    }

    static double cauchit(double value) {
        return 0.5d + (1d / Math.PI) * Math.atan(value);
    }
}
