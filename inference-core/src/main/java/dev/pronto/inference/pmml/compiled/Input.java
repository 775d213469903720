package dev.pronto.inference.pmml.compiled;

import java.util.List;

/**
 * One input field of a compiled model: its name and what jpmml accepts as a valid value of it.
 * Numeric inputs fill a slot with a double, categorical ones an index among their valid values.
 */
sealed interface Input permits Input.Numeric, Input.Categorical {

    String name();

    /**
     * A continuous double input, with the intervals jpmml treats as valid (none: every finite number).
     * Intervals are tested like Guava's {@code Range.contains}, with {@link Double#compare}.
     */
    record Numeric(String name, Interval[] intervals, boolean missingAsNaN) implements Input {

        /**
         * The number jpmml would prepare from this raw value, if the record can stay compiled; a
         * missing value ({@code null} or absent) is {@link Double#NaN} where the model takes it
         * ({@code missingAsNaN}, never an input value: NaN given as a value is declined).
         */
        double number(Object raw) {
            if (raw == null && missingAsNaN) {
                return Double.NaN;
            }
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
            if (!Double.isFinite(x) || (intervals.length > 0 && !inIntervals(x))) {
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

    /** A categorical string input, which always declares its valid values. */
    record Categorical(String name, List<String> validValues, boolean missingAllowed) implements Input {

        /** The index {@link #category} gives a missing value where the model takes one. */
        static final int MISSING = -2;

        public Categorical {
            validValues = List.copyOf(validValues);
        }

        /** The index of a categorical string value among the field's valid values, or {@link #MISSING}. */
        int category(Object raw) {
            if (raw == null && missingAllowed) {
                return MISSING;
            }
            if (!(raw instanceof String text)) {
                throw NotCompiled.INSTANCE;
            }
            int index = validValues.indexOf(text);
            if (index < 0) {
                throw NotCompiled.INSTANCE;
            }
            return index;
        }
    }

    /** One valid interval; an unbounded end is an infinite, closed bound. */
    record Interval(double lower, boolean lowerClosed, double upper, boolean upperClosed) {

        boolean contains(double x) {
            int low = Double.compare(x, lower);
            int high = Double.compare(x, upper);
            return (low > 0 || (low == 0 && lowerClosed)) && (high < 0 || (high == 0 && upperClosed));
        }
    }
}
