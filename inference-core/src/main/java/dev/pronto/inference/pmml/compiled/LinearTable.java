package dev.pronto.inference.pmml.compiled;

/**
 * One compiled {@code RegressionTable}: numeric predictors (a slot, a coefficient, an exponent each),
 * categorical predictors (a categorical field's index, the index of a value, a coefficient each) and
 * predictor terms (the slots of their one or two factors, a coefficient each), in the model's order.
 * The arrays of each kind are parallel, none is null, and none is changed after construction.
 */
record LinearTable(double intercept, int[] numericSlots, double[] numericCoefficients, int[] exponents,
        int[] categoricalInputs, int[] categoricalValues, double[] categoricalCoefficients,
        int[][] termSlots, double[] termCoefficients) {

    /**
     * A categorical value no value of the field can equal: the predictor never matches. Distinct from
     * every category index, {@link Input.Categorical#MISSING} and {@link Input.Categorical#INVALID}.
     */
    static final int NO_VALUE = Integer.MIN_VALUE;

    /**
     * Whether a numeric predictor's input or a predictor term's factor is missing (NaN in its slot),
     * which makes {@code RegressionTableUtil.evaluate} give no value at all.
     */
    boolean missesNumericInput(double[] slots) {
        for (int slot : numericSlots) {
            if (Double.isNaN(slots[slot])) {
                return true;
            }
        }
        for (int[] factors : termSlots) {
            for (int slot : factors) {
                if (Double.isNaN(slots[slot])) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * {@code RegressionTableUtil.evaluate} with {@code DoubleValue} arithmetic: from 0.0,
     * {@code value += coefficient * x} (or {@code coefficient * Math.pow(x, exponent)}) per numeric
     * predictor in order, then the first matching categorical predictor of each field (a missing
     * field is skipped, as jpmml skips it), then {@code value += coefficient * x1 * x2} (left to
     * right, {@code DoubleValue.add(c, x1, x2)}) or {@code value += coefficient * x} per predictor
     * term, then the intercept only if it is not zero. A missing numeric value (NaN) makes the value
     * NaN, where jpmml's table is missing; callers decline non-finite values.
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
            int category = categories[input];
            if (category == Input.Categorical.MISSING) {
                // RegressionTableUtil.evaluate: "if the input value is missing, then the categorical field is ignored"
                matchedInput = input;
                continue;
            }
            if (category == categoricalValues[i]) {
                matchedInput = input;
                value += categoricalCoefficients[i];
            }
        }
        for (int i = 0; i < termSlots.length; i++) {
            int[] factors = termSlots[i];
            double product = termCoefficients[i] * slots[factors[0]];
            if (factors.length == 2) {
                product *= slots[factors[1]];
            }
            value += product;
        }
        if (intercept != 0d) {
            value += intercept;
        }
        return value;
    }
}
