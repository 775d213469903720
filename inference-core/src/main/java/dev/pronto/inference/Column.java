package dev.pronto.inference;

import java.util.Objects;

/**
 * One named input field's values for every record of a batch, held in one typed array: a column of
 * {@link Columns}. A runtime that takes tensors reads a primitive column straight into its input,
 * with no boxed value and no map per record.
 *
 * <p>Six kinds, one per array type: {@link OfDouble}, {@link OfFloat}, {@link OfLong},
 * {@link OfBoolean} (no missing values), {@link OfString} and {@link OfObject} (a {@code null} element
 * is a missing value, as a {@code null} in a record is). A pipeline asks with {@code instanceof} for the
 * kinds it reads fast and reads any other through {@link #value(int)}, which gives exactly the value a
 * record holding this row would.
 *
 * <p>Immutable and thread-safe: the factories copy the array, and nothing hands it out again.
 */
public abstract sealed class Column permits Column.OfDouble, Column.OfFloat, Column.OfLong, Column.OfBoolean,
        Column.OfString, Column.OfObject {

    private final String name;
    private final int size;

    private Column(String name, int size) {
        this.name = Objects.requireNonNull(name, "name");
        this.size = size;
    }

    /** A column of doubles; a NaN is a value like any other (use {@link #ofObjects} for missing values). */
    public static OfDouble ofDoubles(String name, double... values) {
        return new OfDouble(name, values.clone());
    }

    /** A column of floats. */
    public static OfFloat ofFloats(String name, float... values) {
        return new OfFloat(name, values.clone());
    }

    /** A column of longs. */
    public static OfLong ofLongs(String name, long... values) {
        return new OfLong(name, values.clone());
    }

    /** A column of booleans. */
    public static OfBoolean ofBooleans(String name, boolean... values) {
        return new OfBoolean(name, values.clone());
    }

    /** A column of strings; a {@code null} element is a missing value. */
    public static OfString ofStrings(String name, String... values) {
        return new OfString(name, values.clone());
    }

    /**
     * A column of values of any type a record may hold ({@link String}, {@link Number},
     * {@link Boolean}); a {@code null} element is a missing value.
     */
    public static OfObject ofObjects(String name, Object... values) {
        return new OfObject(name, values.clone());
    }

    /** The input field this column holds. */
    public final String name() {
        return name;
    }

    /** The number of values: the batch's record count. */
    public final int size() {
        return size;
    }

    /**
     * The value of one record as a record map would hold it: boxed, {@code null} for a missing value.
     *
     * @throws IndexOutOfBoundsException if there is no such row
     */
    public abstract Object value(int row);

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + ", " + size() + " values]";
    }

    /** A column of {@code double} values. */
    public static final class OfDouble extends Column {
        private final double[] values;

        private OfDouble(String name, double[] values) {
            super(name, values.length);
            this.values = values;
        }

        /** The value of one record. */
        public double get(int row) {
            return values[row];
        }

        @Override
        public Object value(int row) {
            return values[row];
        }
    }

    /** A column of {@code float} values. */
    public static final class OfFloat extends Column {
        private final float[] values;

        private OfFloat(String name, float[] values) {
            super(name, values.length);
            this.values = values;
        }

        /** The value of one record. */
        public float get(int row) {
            return values[row];
        }

        @Override
        public Object value(int row) {
            return values[row];
        }
    }

    /** A column of {@code long} values. */
    public static final class OfLong extends Column {
        private final long[] values;

        private OfLong(String name, long[] values) {
            super(name, values.length);
            this.values = values;
        }

        /** The value of one record. */
        public long get(int row) {
            return values[row];
        }

        @Override
        public Object value(int row) {
            return values[row];
        }
    }

    /** A column of {@code boolean} values. */
    public static final class OfBoolean extends Column {
        private final boolean[] values;

        private OfBoolean(String name, boolean[] values) {
            super(name, values.length);
            this.values = values;
        }

        /** The value of one record. */
        public boolean get(int row) {
            return values[row];
        }

        @Override
        public Object value(int row) {
            return values[row];
        }
    }

    /** A column of strings, {@code null} for a missing value. */
    public static final class OfString extends Column {
        private final String[] values;

        private OfString(String name, String[] values) {
            super(name, values.length);
            this.values = values;
        }

        /** The value of one record, {@code null} if it is missing. */
        public String get(int row) {
            return values[row];
        }

        @Override
        public Object value(int row) {
            return values[row];
        }
    }

    /** A column of values of mixed or unknown types, {@code null} for a missing value. */
    public static final class OfObject extends Column {
        private final Object[] values;

        private OfObject(String name, Object[] values) {
            super(name, values.length);
            this.values = values;
        }

        @Override
        public Object value(int row) {
            return values[row];
        }
    }
}
