package dev.pronto.inference.pmml.compiled;

import java.util.List;
import java.util.regex.Pattern;

import com.google.common.collect.BoundType;
import com.google.common.collect.Range;
import org.dmg.pmml.DataType;
import org.jpmml.evaluator.TypeUtil;

/**
 * One input field of a compiled model: its name and what jpmml accepts as a valid value of it.
 * Numeric inputs fill a slot with a double, categorical ones an index among their valid values.
 */
sealed interface Input permits Input.Numeric, Input.Categorical {

    String name();

    /**
     * A continuous double or integer input, with the intervals jpmml treats as valid (none: every
     * finite number). Intervals are tested like Guava's {@code Range.contains}, with
     * {@link Double#compare}; with {@code invalidAsIs} (the MiningField's
     * {@code invalidValueTreatment="asIs"} without a replacement) a number outside them is kept as
     * it is, as jpmml keeps it.
     */
    record Numeric(String name, DataType dataType, Interval[] intervals, boolean missingAsNaN, boolean invalidAsIs)
            implements Input {

        /**
         * The number jpmml would prepare from this raw value ({@link InputConversion}), if the record
         * can stay compiled; a missing value ({@code null} or absent) is {@link Double#NaN} where the
         * model takes it ({@code missingAsNaN}, never an input value: NaN given as a value is declined).
         */
        double number(Object raw) {
            if (raw == null && missingAsNaN) {
                return Double.NaN;
            }
            double x = switch (dataType) {
                case INTEGER -> InputConversion.integer(raw);
                case FLOAT -> InputConversion.floating(raw);
                default -> InputConversion.decimal(raw);
            };
            if (!Double.isFinite(x) || (intervals.length > 0 && !invalidAsIs && !inIntervals(x))) {
                throw NotCompiled.INSTANCE;
            }
            return x;
        }

        private boolean inIntervals(double x) {
            for (Interval interval : intervals) {
                if (interval.contains(x)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * A categorical input of type string, integer, double or boolean, which declares its valid values
     * (parsed to its type, as jpmml holds them). With {@code invalidAsIs} (the MiningField's
     * {@code invalidValueTreatment="asIs"} without a replacement), text that is none of a string
     * field's valid values is kept by jpmml as an invalid value, which equals no valid value.
     */
    record Categorical(String name, DataType dataType, List<Object> validValues, boolean missingAllowed,
            boolean invalidAsIs) implements Input {

        /** The index {@link #category} gives a missing value where the model takes one. */
        static final int MISSING = -2;

        /**
         * The index {@link #category} gives text that is none of a string field's valid values, kept as
         * it is ({@code invalidAsIs}): jpmml's {@code equal} is false and {@code notEqual} true for it
         * against every valid value, and it is not missing.
         */
        static final int INVALID = -3;

        /** Text jpmml parses to the same number as {@code Integer.parseInt} or {@code Double.parseDouble}. */
        private static final Pattern PLAIN_INTEGER = Pattern.compile("-?[0-9]{1,9}");
        private static final Pattern PLAIN_DECIMAL = Pattern.compile("-?[0-9]{1,15}(\\.[0-9]{1,15})?");

        public Categorical {
            validValues = List.copyOf(validValues);
        }

        /**
         * The index of a raw value among the field's valid values, {@link #MISSING} or {@link #INVALID}; throws
         * {@link NotCompiled} for anything else (an unknown category, a type or text whose parsing
         * is not mirrored).
         */
        int category(Object raw) {
            if (raw == null && missingAllowed) {
                return MISSING;
            }
            Object value = switch (dataType) {
                case STRING -> raw instanceof String ? raw : null;
                case INTEGER -> integer(raw);
                case BOOLEAN -> bool(raw);
                default -> decimal(raw);
            };
            int index = value == null ? -1 : validValues.indexOf(value);
            if (index < 0 && invalidAsIs && dataType == DataType.STRING && value != null) {
                // InputFieldUtil.performInvalidValueTreatment, AS_IS: the text itself, as an invalid value
                return INVALID;
            }
            if (index < 0) {
                throw NotCompiled.INSTANCE;
            }
            return index;
        }

        /** The index of a PMML value (a predicate's, a predictor's) parsed to the field's type; -1 if it is none of them. */
        int indexOf(Object pmmlValue) {
            return validValues.indexOf(TypeUtil.parseOrCast(dataType, pmmlValue));
        }

        private static Integer integer(Object raw) {
            if (raw instanceof Integer i) {
                return i;
            }
            if (raw instanceof Long l && l == l.intValue()) {
                return l.intValue();
            }
            if (raw instanceof String text && PLAIN_INTEGER.matcher(text).matches()) {
                return Integer.parseInt(text);
            }
            return null;
        }

        /** {@code TypeUtil.parseFlag}: "true" or "false" in any case; numbers are left to jpmml. */
        private static Boolean bool(Object raw) {
            if (raw instanceof Boolean b) {
                return b;
            }
            if (raw instanceof String text) {
                return text.equalsIgnoreCase("true") ? Boolean.TRUE : text.equalsIgnoreCase("false") ? Boolean.FALSE : null;
            }
            return null;
        }

        private static Double decimal(Object raw) {
            double x;
            if (raw instanceof Double d) {
                x = d;
            } else if (raw instanceof Integer i) {
                x = i;
            } else if (raw instanceof String text && PLAIN_DECIMAL.matcher(text).matches()) {
                x = Double.parseDouble(text);
            } else {
                return null;
            }
            // zero (0.0 or -0.0, which Double.equals tells apart) and NaN are left to jpmml
            return x == 0d || !Double.isFinite(x) ? null : x;
        }
    }

    /** One valid interval; an unbounded end is an infinite, closed bound. */
    record Interval(double lower, boolean lowerClosed, double upper, boolean upperClosed) {

        /** A Guava range of doubles as jpmml builds them (valid values, Discretize bins), tested the same way. */
        static Interval of(Range<Double> range) {
            return new Interval(range.hasLowerBound() ? range.lowerEndpoint() : Double.NEGATIVE_INFINITY,
                    !range.hasLowerBound() || range.lowerBoundType() == BoundType.CLOSED,
                    range.hasUpperBound() ? range.upperEndpoint() : Double.POSITIVE_INFINITY,
                    !range.hasUpperBound() || range.upperBoundType() == BoundType.CLOSED);
        }

        boolean contains(double x) {
            int low = Double.compare(x, lower);
            int high = Double.compare(x, upper);
            return (low > 0 || (low == 0 && lowerClosed)) && (high < 0 || (high == 0 && upperClosed));
        }
    }
}
