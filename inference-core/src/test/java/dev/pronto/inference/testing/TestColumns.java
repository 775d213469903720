package dev.pronto.inference.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.pronto.inference.Column;
import dev.pronto.inference.Columns;

/**
 * Records turned into {@link Columns} for tests that compare the columnar path with the record path.
 * Shared through the test-jar.
 */
public final class TestColumns {

    private TestColumns() {
    }

    /** One {@link Column.OfObject} per field of the first record, holding each record's value as it is (null stays null). */
    public static Columns objects(List<? extends Map<String, ?>> records) {
        List<Column> columns = new ArrayList<>();
        for (String name : records.get(0).keySet()) {
            Object[] values = new Object[records.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = records.get(i).get(name);
            }
            columns.add(Column.ofObjects(name, values));
        }
        return Columns.of(records.size(), columns);
    }

    /** One {@link Column.OfDouble} per field of the first record; every value must be a number. */
    public static Columns doubles(List<? extends Map<String, ?>> records) {
        List<Column> columns = new ArrayList<>();
        for (String name : records.get(0).keySet()) {
            double[] values = new double[records.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = ((Number) records.get(i).get(name)).doubleValue();
            }
            columns.add(Column.ofDoubles(name, values));
        }
        return Columns.of(records.size(), columns);
    }
}
