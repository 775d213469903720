package dev.pronto.inference.pmml.compiled;

/**
 * A compiled expression of a DerivedField over the record's slots (inputs, then derived fields),
 * mirroring jpmml-evaluator's {@code ExpressionUtil.evaluateApply} and {@code Functions} for doubles.
 * Every function's result is checked with {@link NotCompiled#finite}.
 */
abstract sealed class Node permits Node.Slot, Node.Constant, Node.Binary, Node.Unary, Node.Aggregate, Node.ToFloat,
        Node.Evaluated {

    abstract double eval(double[] slots);

    /** The value of an input or of an already computed derived field. */
    static final class Slot extends Node {
        private final int slot;

        Slot(int slot) {
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

    static final class Constant extends Node {
        private final double value;

        Constant(double value) {
            this.value = value;
        }

        @Override
        double eval(double[] slots) {
            return value;
        }
    }

    /** {@code Functions.ADD/SUBTRACT/MULTIPLY/DIVIDE/POW} on doubles: {@code left.doubleValue() op right.doubleValue()}. */
    enum BinaryOperator { ADD, SUBTRACT, MULTIPLY, DIVIDE, POW }

    static final class Binary extends Node {
        private final BinaryOperator operator;
        private final Node left;
        private final Node right;

        Binary(BinaryOperator operator, Node left, Node right) {
            this.operator = operator;
            this.left = left;
            this.right = right;
        }

        @Override
        double eval(double[] slots) {
            double a = left.eval(slots);
            double b = right.eval(slots);
            double result = switch (operator) {
                case ADD -> a + b;
                case SUBTRACT -> a - b;
                case MULTIPLY -> a * b;
                case DIVIDE -> a / b;
                case POW -> Math.pow(a, b);
            };
            return NotCompiled.finite(result);
        }
    }

    /** {@code Functions.LOG10/LN/EXP/SQRT} ({@code DoubleMathFunction}) and {@code ABS} on a double. */
    enum UnaryFunction { LOG10, LN, EXP, SQRT, ABS }

    static final class Unary extends Node {
        private final UnaryFunction function;
        private final Node argument;

        Unary(UnaryFunction function, Node argument) {
            this.function = function;
            this.argument = argument;
        }

        @Override
        double eval(double[] slots) {
            double x = argument.eval(slots);
            double result = switch (function) {
                case LOG10 -> Math.log10(x);
                case LN -> Math.log(x);
                case EXP -> Math.exp(x);
                case SQRT -> Math.sqrt(x);
                case ABS -> Math.abs(x);
            };
            return NotCompiled.finite(result);
        }
    }

    /** Which aggregate an {@link Aggregate} node computes. */
    enum AggregateFunction { SUM, AVG }

    /**
     * {@code Functions.SUM} and {@code AVG}: commons-math3 {@code Sum} ({@code value += d} from 0)
     * and {@code Mean}, whose {@code FirstMoment} computes {@code m1 += (d - m1) / n} from 0.
     */
    static final class Aggregate extends Node {
        private final AggregateFunction function;
        private final Node[] arguments;

        Aggregate(AggregateFunction function, Node[] arguments) {
            this.function = function;
            this.arguments = arguments.clone();
        }

        @Override
        double eval(double[] slots) {
            double value = 0.0;
            for (int i = 0; i < arguments.length; i++) {
                double d = arguments[i].eval(slots);
                if (function == AggregateFunction.AVG) {
                    double n = i + 1;
                    double dev = d - value;
                    double nDev = dev / n;
                    value += nDev;
                } else {
                    value += d;
                }
            }
            return NotCompiled.finite(value);
        }
    }

    /**
     * A DerivedField of type float: {@code TypeUtil.toFloat} narrows the double with
     * {@code Number.floatValue()}; the slot keeps it as a double, which is exact, so comparisons with
     * float thresholds (also held as doubles) order as {@code Float.compare} would. A missing value
     * (NaN, which is nothing else here: every computed value is checked finite) stays missing, as the
     * cast of a missing value is missing in jpmml.
     */
    static final class ToFloat extends Node {
        private final Node argument;

        ToFloat(Node argument) {
            this.argument = argument;
        }

        @Override
        double eval(double[] slots) {
            double x = argument.eval(slots);
            return Double.isNaN(x) ? x : NotCompiled.finite((float) x);
        }
    }

    /**
     * A DerivedField evaluated by jpmml ({@link EvaluatedField}): {@link CompiledFields#read} fills its
     * slot from the record's evaluation context, in its place among the derived fields.
     */
    static final class Evaluated extends Node {
        private final EvaluatedField field;

        Evaluated(EvaluatedField field) {
            this.field = field;
        }

        EvaluatedField field() {
            return field;
        }

        @Override
        double eval(double[] slots) {
            throw new IllegalStateException("derived field \"" + field.name() + "\" is evaluated by jpmml, not from slots");
        }
    }
}
