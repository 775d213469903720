package dev.pronto.inference.pmml;

import java.util.List;
import java.util.Map;

import dev.pronto.inference.Prediction;

/**
 * A PMML {@code RegressionModel} of a narrow shape scored by straight-line code instead of jpmml's
 * general evaluator, giving the very same doubles.
 *
 * <p>Why: for a logistic regression, jpmml's per-record machinery (prepared {@code FieldValue}s, an
 * {@code EvaluationContext}, {@code Value} objects, a {@code ValueMap}, a {@code Classification}, the
 * result map and its decoding) costs far more than the dozen multiply-adds and the softmax the model
 * is made of. {@link RegressionCompiler} builds an instance only for models whose every step is
 * mirrored here, and {@link CompiledModelCheck} compares it with jpmml before it is used.
 *
 * <p>The arithmetic mirrors jpmml-evaluator 1.7.7 operation by operation, in the same order, so that
 * results are bit-identical:
 * <ul>
 *   <li>{@code InputFieldUtil.prepareInputValue}: only the path of a valid, present, finite number
 *       ({@code TypeUtil.toDouble} is {@code Number.doubleValue()}); intervals are tested like Guava's
 *       {@code Range.contains}, with {@link Double#compare};</li>
 *   <li>{@code ExpressionUtil.evaluateApply} and {@code Functions} ({@code + - * /}, {@code pow},
 *       {@code sum} as commons-math3 {@code Sum}, {@code avg} as commons-math3 {@code Mean}'s running
 *       first moment, {@code log10 ln exp sqrt abs}), for DerivedFields of type double;</li>
 *   <li>{@code RegressionTableUtil.evaluate}: from 0.0, {@code value += coefficient * x} (or
 *       {@code coefficient * Math.pow(x, exponent)}) per NumericPredictor in order, then the first
 *       matching CategoricalPredictor of each field, then the intercept only if it is not zero;</li>
 *   <li>{@code RegressionModelUtil} and {@code DoubleValue}: the regression normalisations, binomial
 *       probabilities (first table normalised, second {@code 1 - first}) and multinomial ones, with
 *       {@code ValueUtil.normalizeSoftMax/normalizeSimpleMax} (softmax subtracts the maximum; no
 *       division when the sum is exactly one);</li>
 *   <li>{@code Classification.getWinner}: Guava's {@code Ordering.max} keeps the first of equal
 *       maxima, compared with {@link Double#compare};</li>
 *   <li>{@code OutputUtil}: {@code probability} (0.0 for a category the model does not have) and
 *       {@code predictedValue}.</li>
 * </ul>
 *
 * <p>Any record this code is not sure about (a missing, non-numeric, NaN or infinite input, a value
 * outside the field's intervals, a string not among a field's valid values, a non-finite
 * intermediate result, a zero sum in simplemax) makes {@link #predict} return {@code null}, and the
 * caller scores that record with jpmml, errors included.
 *
 * <p>Immutable and thread-safe.
 */
final class CompiledRegression {

    /** How a table's raw scores become the result, following jpmml's switch on function, size and method. */
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
        MULTINOMIAL_LOGIT
    }

    /** Signals a record the compiled code must hand to jpmml; shared, without a stack trace. */
    static final class NotCompiled extends RuntimeException {
        static final NotCompiled INSTANCE = new NotCompiled();

        private NotCompiled() {
            super("record left to jpmml", null, false, false);
        }
    }

    /** One input field: where to read it and what jpmml accepts as a valid value of it. */
    record Input(String name, boolean categorical, double[] lowerBounds, boolean[] lowerClosed,
            double[] upperBounds, boolean[] upperClosed, List<String> validValues) {

        /** The number jpmml would prepare from this raw value, if the record can stay compiled. */
        double number(Object raw) {
            double x;
            if (raw instanceof Double d) {
                x = d;
            } else if (raw instanceof Integer || raw instanceof Long || raw instanceof Float
                    || raw instanceof Short || raw instanceof Byte) {
                // TypeUtil.toDouble: Number.doubleValue() for exactly these types
                x = ((Number) raw).doubleValue();
            } else {
                throw NotCompiled.INSTANCE;
            }
            if (!Double.isFinite(x) || (lowerBounds != null && !inRanges(x))) {
                throw NotCompiled.INSTANCE;
            }
            return x;
        }

        /** The index of a categorical string value among the field's valid values (which it always declares). */
        int category(Object raw) {
            if (!(raw instanceof String text)) {
                throw NotCompiled.INSTANCE;
            }
            int index = validValues.indexOf(text);
            if (index < 0) {
                throw NotCompiled.INSTANCE;
            }
            return index;
        }

        private boolean inRanges(double x) {
            for (int r = 0; r < lowerBounds.length; r++) {
                int lower = Double.compare(x, lowerBounds[r]);
                int upper = Double.compare(x, upperBounds[r]);
                if ((lower > 0 || (lower == 0 && lowerClosed[r])) && (upper < 0 || (upper == 0 && upperClosed[r]))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A compiled expression over the record's slots (inputs, then derived fields). */
    abstract static class Node {
        abstract double eval(double[] slots);

        /** Every Apply result is checked: jpmml's handling of non-finite values is left to jpmml. */
        static double finite(double value) {
            if (!Double.isFinite(value)) {
                throw NotCompiled.INSTANCE;
            }
            return value;
        }
    }

    static final class SlotNode extends Node {
        private final int slot;

        SlotNode(int slot) {
            this.slot = slot;
        }

        int slot() {
            return slot;
        }

        @Override
        double eval(double[] slots) {
            return slots[slot];
        }
    }

    static final class ConstantNode extends Node {
        private final double value;

        ConstantNode(double value) {
            this.value = value;
        }

        @Override
        double eval(double[] slots) {
            return value;
        }
    }

    /** {@code Functions.ADD/SUBTRACT/MULTIPLY/DIVIDE/POW} on doubles: {@code left.doubleValue() op right.doubleValue()}. */
    static final class BinaryNode extends Node {
        static final int ADD = 0;
        static final int SUBTRACT = 1;
        static final int MULTIPLY = 2;
        static final int DIVIDE = 3;
        static final int POW = 4;

        private final int op;
        private final Node left;
        private final Node right;

        BinaryNode(int op, Node left, Node right) {
            this.op = op;
            this.left = left;
            this.right = right;
        }

        @Override
        double eval(double[] slots) {
            double a = left.eval(slots);
            double b = right.eval(slots);
            double result = switch (op) {
                case ADD -> a + b;
                case SUBTRACT -> a - b;
                case MULTIPLY -> a * b;
                case DIVIDE -> a / b;
                default -> Math.pow(a, b);
            };
            return finite(result);
        }
    }

    /** {@code Functions.LOG10/LN/EXP/SQRT} ({@code DoubleMathFunction}) and {@code ABS} on a double. */
    static final class UnaryNode extends Node {
        static final int LOG10 = 0;
        static final int LN = 1;
        static final int EXP = 2;
        static final int SQRT = 3;
        static final int ABS = 4;

        private final int op;
        private final Node argument;

        UnaryNode(int op, Node argument) {
            this.op = op;
            this.argument = argument;
        }

        @Override
        double eval(double[] slots) {
            double x = argument.eval(slots);
            double result = switch (op) {
                case LOG10 -> Math.log10(x);
                case LN -> Math.log(x);
                case EXP -> Math.exp(x);
                case SQRT -> Math.sqrt(x);
                default -> Math.abs(x);
            };
            return finite(result);
        }
    }

    /**
     * {@code Functions.SUM} and {@code AVG}: commons-math3 {@code Sum} ({@code value += d} from 0)
     * and {@code Mean}, whose {@code FirstMoment} computes {@code m1 += (d - m1) / n} from 0.
     */
    static final class AggregateNode extends Node {
        private final boolean mean;
        private final Node[] arguments;

        AggregateNode(boolean mean, Node[] arguments) {
            this.mean = mean;
            this.arguments = arguments;
        }

        @Override
        double eval(double[] slots) {
            double value = 0.0;
            for (int i = 0; i < arguments.length; i++) {
                double d = arguments[i].eval(slots);
                if (mean) {
                    double n = i + 1;
                    double dev = d - value;
                    double nDev = dev / n;
                    value += nDev;
                } else {
                    value += d;
                }
            }
            return finite(value);
        }
    }

    /** One RegressionTable. */
    record Table(double intercept, int[] numericSlots, double[] numericCoefficients, int[] exponents,
            int[] categoricalInputs, int[] categoricalValues, double[] categoricalCoefficients) {

        /** {@code RegressionTableUtil.evaluate} with {@code DoubleValue} arithmetic. */
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

    /** Where the value of one result field comes from. */
    enum Source { TARGET, PROBABILITY, ZERO }

    private static final Double ZERO = 0.0;

    private final Input[] inputs;
    /** Derived fields in evaluation order: node {@code i} fills slot {@code inputs.length + i}. */
    private final Node[] derived;
    private final Table[] tables;
    private final Normalization normalization;
    /** Class label per table, as jpmml's {@code TypeUtil.parseOrCast(targetDataType, targetCategory)}; null for regression. */
    private final Object[] labels;
    /** The target's categories, in their order, as the keys of {@link Prediction#probabilities()}. */
    private final Object[] classes;
    /** For each class in {@link #classes}, the index of its table. */
    private final int[] tableOfClass;
    private final boolean probabilities;
    private final List<String> fieldNames;
    private final Source[] fieldSources;
    /** For PROBABILITY fields, the table whose probability the field reports. */
    private final int[] fieldTables;

    CompiledRegression(Input[] inputs, Node[] derived, Table[] tables, Normalization normalization, Object[] labels,
            Object[] classes, int[] tableOfClass, boolean probabilities, List<String> fieldNames, Source[] fieldSources, int[] fieldTables) {
        this.inputs = inputs;
        this.derived = derived;
        this.tables = tables;
        this.normalization = normalization;
        this.labels = labels;
        this.classes = classes;
        this.tableOfClass = tableOfClass;
        this.probabilities = probabilities;
        this.fieldNames = fieldNames;
        this.fieldSources = fieldSources;
        this.fieldTables = fieldTables;
    }

    /**
     * Scores one record as jpmml would, or returns {@code null} if the record must be scored by
     * jpmml instead (see the class comment).
     */
    Prediction predict(Map<String, ?> record) {
        try {
            return score(record);
        } catch (NotCompiled e) {
            return null;
        }
    }

    private Prediction score(Map<String, ?> record) {
        int inputCount = inputs.length;
        double[] slots = new double[inputCount + derived.length + tables.length];
        int[] categories = null;
        for (int i = 0; i < inputCount; i++) {
            Input input = inputs[i];
            Object raw = record.get(input.name);
            if (input.categorical) {
                if (categories == null) {
                    categories = new int[inputCount];
                }
                categories[i] = input.category(raw);
            } else {
                slots[i] = input.number(raw);
            }
        }
        for (int d = 0; d < derived.length; d++) {
            slots[inputCount + d] = derived[d].eval(slots);
        }
        int base = inputCount + derived.length;
        for (int t = 0; t < tables.length; t++) {
            slots[base + t] = tables[t].evaluate(slots, categories);
        }
        if (labels == null) {
            return regression(normalizeRegression(slots[base]));
        }
        normalizeClassification(slots, base);
        return classification(slots, base);
    }

    private double normalizeRegression(double value) {
        return switch (normalization) {
            case REGRESSION_NONE -> value;
            case REGRESSION_LOGIT -> inverseLogit(value);
            case REGRESSION_EXP -> Math.exp(value);
            case REGRESSION_CLOGLOG -> 1d - Math.exp(-Math.exp(value));
            case REGRESSION_LOGLOG -> Math.exp(-Math.exp(-value));
            case REGRESSION_CAUCHIT -> cauchit(value);
            default -> throw new IllegalStateException(normalization.name());
        };
    }

    /** {@code RegressionModelUtil.computeBinomialProbabilities / computeMultinomialProbabilities}. */
    private void normalizeClassification(double[] values, int from) {
        int count = tables.length;
        int to = from + count;
        switch (normalization) {
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
            case MULTINOMIAL_SOFTMAX -> {
                // ValueUtil.normalizeSoftMax: the first of equal maxima; compareTo is Double.compare
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
            default -> throw new IllegalStateException(normalization.name());
        }
        for (int i = from; i < to; i++) {
            // jpmml keeps non-finite probabilities; such records are rare enough to leave to it
            Node.finite(values[i]);
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

    private static double inverseLogit(double value) {
        return 1d / (1d + Math.exp(-value));
    }

    private static double cauchit(double value) {
        return 0.5d + (1d / Math.PI) * Math.atan(value);
    }

    private Prediction regression(double value) {
        Node.finite(value);
        Double boxed = value;
        Prediction.Builder prediction = Prediction.builder(0, fieldSources.length).value(boxed);
        for (int f = 0; f < fieldSources.length; f++) {
            prediction.field(fieldNames.get(f), boxed);
        }
        return prediction.build();
    }

    private Prediction classification(double[] values, int base) {
        // Classification.getWinner: Ordering.max keeps the first of equal maxima, in table order
        int winner = 0;
        for (int t = 1; t < tables.length; t++) {
            if (Double.compare(values[base + winner], values[base + t]) < 0) {
                winner = t;
            }
        }
        Object label = labels[winner];
        Double[] boxed = probabilities ? new Double[tables.length] : null;
        Prediction.Builder prediction = Prediction.builder(probabilities ? tableOfClass.length : 0, fieldSources.length)
                .value(label);
        if (probabilities) {
            for (int c = 0; c < tableOfClass.length; c++) {
                int t = tableOfClass[c];
                boxed[t] = values[base + t];
                prediction.probability(classes[c], boxed[t]);
            }
        }
        for (int f = 0; f < fieldSources.length; f++) {
            Object value = switch (fieldSources[f]) {
                case TARGET -> label;
                // probability fields exist only in probabilistic models, where every table's value is boxed
                case PROBABILITY -> boxed[fieldTables[f]];
                case ZERO -> ZERO;
            };
            prediction.field(fieldNames.get(f), value);
        }
        return prediction.build();
    }
}
