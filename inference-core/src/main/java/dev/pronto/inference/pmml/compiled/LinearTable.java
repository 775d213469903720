package dev.pronto.inference.pmml.compiled;

/**
 * One compiled {@code RegressionTable}: numeric predictors (a slot, a coefficient, an exponent each)
 * and categorical predictors (an input, the index of a valid value, a coefficient each), in the
 * model's order. The arrays of each kind are parallel, none is null, and none is changed after
 * construction.
 */
record LinearTable(double intercept, int[] numericSlots, double[] numericCoefficients, int[] exponents,
        int[] categoricalInputs, int[] categoricalValues, double[] categoricalCoefficients) {

    /** A categorical value no valid input can equal: the predictor never matches. */
    static final int NO_VALUE = -2;

    /**
     * Whether a numeric predictor's input is missing (NaN in its slot), which makes
     * {@code RegressionTableUtil.evaluate} give no value at all.
     */
    boolean missesNumericInput(double[] slots) {
        for (int slot : numericSlots) {
            if (Double.isNaN(slots[slot])) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code RegressionTableUtil.evaluate} with {@code DoubleValue} arithmetic: from 0.0,
     * {@code value += coefficient * x} (or {@code coefficient * Math.pow(x, exponent)}) per numeric
     * predictor in order, then the first matching categorical predictor of each field, then the
     * intercept only if it is not zero.
     */
    double evaluate(double[] slots, int[] categories) {
        double value = 0.0;
        for (int i = 0; i < numericSlots.length; i++) {
            int exponent = exponents[i];
            if (exponent != 1) {
                value += numericCoefficients[i] * Math.pow(slots[numericSlots[i]], exponent);
            } else {
                value += numericCoefficients[i] * slots[numericSlots[i]];
            }
        }
        // the first matching predictor of a field wins; the field's following predictors are skipped
        int matchedInput = -1;
        for (int i = 0; i < categoricalInputs.length; i++) {
            int input = categoricalInputs[i];
            if (matchedInput >= 0) {
                if (matchedInput == input) {
                    continue;
                }
                matchedInput = -1;
            }
            if (categories[input] == categoricalValues[i]) {
                matchedInput = input;
                value += categoricalCoefficients[i];
            }
        }
        if (intercept != 0d) {
            value += intercept;
        }
        return value;
    }
}
