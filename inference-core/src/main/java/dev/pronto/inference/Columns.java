package dev.pronto.inference;

import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.Set;

/**
 * A batch of records as columns: one {@link Column} per input field, all of one length, the record
 * count. The columnar counterpart of a {@code List<Map<String, ?>>} of records, for callers that hold
 * their data by column already (a data frame, a tensor, a column store) and for runtimes that take
 * tensors: {@link ModelHandle#predict(Columns)} scores it without a map per record in or a
 * {@link Prediction} per record out.
 *
 * <pre>{@code
 * Columns batch = Columns.of(
 *         Column.ofDoubles("sepal_length", 5.1, 6.2), Column.ofDoubles("sepal_width", 3.5, 2.9),
 *         Column.ofDoubles("petal_length", 1.4, 4.3), Column.ofDoubles("petal_width", 0.2, 1.3));
 * BatchPrediction result = engine.handle("iris/mlp.onnx").predict(batch);
 * }</pre>
 *
 * <p>Record {@code i} is the map {@link #record(int)} gives: every column's {@link Column#value(int)}
 * under its name, and a field without a column is missing from every record. Scoring columns gives the
 * predictions, and the errors (field, record index, reason), that scoring those records gives.
 *
 * <p>Immutable and thread-safe; columns keep the order given.
 */
public final class Columns {

    private final Map<String, Column> columns;
    private final List<String> names;
    private final int rows;

    private Columns(Map<String, Column> columns, int rows) {
        this.columns = columns;
        this.names = List.copyOf(columns.keySet());
        this.rows = rows;
    }

    /**
     * The columns given, in that order.
     *
     * @throws IllegalArgumentException if two columns have one name, or the columns differ in length
     */
    public static Columns of(Column... columns) {
        return of(List.of(columns));
    }

    /**
     * The columns given, in that order.
     *
     * @throws IllegalArgumentException if there is no column, two columns have one name, or the columns
     *     differ in length
     */
    public static Columns of(List<? extends Column> columns) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one column; use of(rows, List.of()) for records"
                    + " without fields");
        }
        return of(columns.get(0).size(), columns);
    }

    /**
     * A batch of {@code rows} records made of the columns given, in that order; with no column, records
     * that have no field.
     *
     * @throws IllegalArgumentException if {@code rows} is negative, two columns have one name, or a column
     *     holds another number of values
     */
    public static Columns of(int rows, List<? extends Column> columns) {
        if (rows < 0) {
            throw new IllegalArgumentException("rows must not be negative, got " + rows);
        }
        Map<String, Column> byName = new LinkedHashMap<>();
        for (Column column : columns) {
            if (column.size() != rows) {
                throw new IllegalArgumentException("column \"" + column.name() + "\" has " + column.size()
                        + " values for " + rows + " records");
            }
            if (byName.putIfAbsent(column.name(), column) != null) {
                throw new IllegalArgumentException("two columns are named \"" + column.name() + "\"");
            }
        }
        return new Columns(java.util.Collections.unmodifiableMap(byName), rows);
    }

    /** The number of records. */
    public int rows() {
        return rows;
    }

    /** The field names of the columns, in order. */
    public List<String> names() {
        return names;
    }

    /** The column of a field, if the batch has one. */
    public Optional<Column> column(String name) {
        return Optional.ofNullable(columns.get(name));
    }

    /**
     * Record {@code row} as a read-only map view: each column's value under its name, in column order.
     *
     * @throws IndexOutOfBoundsException if there is no such record
     */
    public Map<String, Object> record(int row) {
        java.util.Objects.checkIndex(row, rows);
        return new Row(row);
    }

    /** Every record as {@link #record(int)} views it, in order: the batch as a record path takes it. */
    public List<Map<String, Object>> records() {
        return new Records();
    }

    @Override
    public String toString() {
        return "Columns" + names + "[" + rows + " records]";
    }

    /** The records as views, made when read: a record costs one small object and no copy. */
    private final class Records extends AbstractList<Map<String, Object>> implements RandomAccess {
        @Override
        public Map<String, Object> get(int index) {
            return record(index);
        }

        @Override
        public int size() {
            return rows;
        }
    }

    private final class Row extends AbstractMap<String, Object> {
        private final int row;

        private Row(int row) {
            this.row = row;
        }

        @Override
        public Object get(Object key) {
            Column column = columns.get(key);
            return column == null ? null : column.value(row);
        }

        @Override
        public boolean containsKey(Object key) {
            return columns.containsKey(key);
        }

        @Override
        public int size() {
            return names.size();
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    Iterator<Column> each = columns.values().iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return each.hasNext();
                        }

                        @Override
                        public Entry<String, Object> next() {
                            if (!each.hasNext()) {
                                throw new NoSuchElementException();
                            }
                            Column column = each.next();
                            // SimpleImmutableEntry allows a null value: a missing value is a null, as in a record
                            return new SimpleImmutableEntry<>(column.name(), column.value(row));
                        }
                    };
                }

                @Override
                public int size() {
                    return names.size();
                }
            };
        }
    }
}
