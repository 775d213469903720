package dev.pronto.server;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pronto.inference.Column;

/**
 * Decodes an Open Inference Protocol input tensor's {@code data} (flat or nested, row-major) straight
 * into typed columns for the engine's columnar API, with no map per record: integers into a
 * {@code long} column, floating-point numbers into a {@code double} column, {@code BOOL} into a
 * {@code boolean} column, {@code BYTES} into a string column. A column holding a {@code null} (a missing
 * value) holds its values boxed instead, {@code null} for the missing ones.
 *
 * <p>Every row of a column reads ({@link Column#value(int)}) exactly what the record path put in a
 * record: a {@link Long}, {@link Double}, {@link Boolean} or {@link String}. So {@code FP32} and
 * {@code FP16} data become {@code double} columns too, not {@code float} ones: the engine then narrows
 * a value to a {@code float} field's type as it did from a record (ONNX writes {@code double} columns
 * into its {@code float} tensors that way), and a PMML {@code double} field reads {@code 5.1}, not the
 * nearest float to it. Stateless.
 */
final class TensorColumns {

    private TensorColumns() {
    }

    /**
     * Decodes the data of a tensor whose shape holds {@code count} elements into one column per name:
     * element {@code i} is row {@code i / width} of column {@code i % width}.
     *
     * @param names the column names; one for a field's tensor, the model's inputs for a matrix
     * @throws ApiException 400 naming the tensor and the first element that does not fit the datatype
     *     (by its flat index), or when the data holds another number of elements than the shape
     */
    static List<Column> decode(JsonNode data, TensorType type, String tensor, int count, List<String> names) {
        Cells cells = new Cells(type, tensor, count, names.size());
        flatten(data, cells);
        if (cells.size != count) {
            throw new ApiException(400, "invalid_request", "input \"" + tensor + "\": its shape holds " + count
                    + " elements, its data " + cells.size);
        }
        List<Column> columns = new ArrayList<>(names.size());
        for (int j = 0; j < names.size(); j++) {
            columns.add(cells.column(names.get(j), j));
        }
        return columns;
    }

    private static void flatten(JsonNode data, Cells into) {
        for (JsonNode element : data) {
            if (into.size > into.count) {
                return; // one element past the shape is read, so that the count mismatch is reported
            }
            if (element.isArray()) {
                flatten(element, into);
            } else {
                into.add(element);
            }
        }
    }

    /** How a datatype's elements are held: the record path's boxed type, unboxed. */
    private enum Kind { LONG, DOUBLE, BOOLEAN, STRING }

    /**
     * A tensor's elements, one array of its kind per column, filled in row-major order; missing values
     * marked beside them.
     */
    private static final class Cells {
        private final TensorType type;
        private final String tensor;
        private final int count;
        private final int width;
        private final Kind kind;
        private long[][] longs;
        private double[][] doubles;
        private boolean[][] booleans;
        private String[][] strings;
        /** Which elements of a column are {@code null}; made at its first (strings hold their nulls themselves). */
        private final boolean[][] missing;
        /** Elements read: at most {@code count + 1}. */
        private int size;
        /** Where the next element goes. */
        private int row;
        private int column;

        Cells(TensorType type, String tensor, int count, int width) {
            this.type = type;
            this.tensor = tensor;
            this.count = count;
            this.width = width;
            this.kind = type.isInteger() ? Kind.LONG : type.isFloat() ? Kind.DOUBLE : type == TensorType.BOOL
                    ? Kind.BOOLEAN : Kind.STRING;
            int rows = count / width;
            switch (kind) {
                case LONG -> longs = new long[width][rows];
                case DOUBLE -> doubles = new double[width][rows];
                case BOOLEAN -> booleans = new boolean[width][rows];
                case STRING -> strings = new String[width][rows];
            }
            this.missing = new boolean[width][];
        }

        /** Reads one element; the one past the shape is checked against the datatype and not kept. */
        void add(JsonNode element) {
            int index = size++;
            if (index == count) {
                check(element, index);
                return;
            }
            int j = column;
            int i = row;
            if (++column == width) {
                column = 0;
                row++;
            }
            if (element.isNull()) {
                if (kind != Kind.STRING) {
                    if (missing[j] == null) {
                        missing[j] = new boolean[count / width];
                    }
                    missing[j][i] = true;
                }
                return;
            }
            check(element, index);
            switch (kind) {
                case LONG -> longs[j][i] = element.longValue();
                case DOUBLE -> doubles[j][i] = element.doubleValue();
                case BOOLEAN -> booleans[j][i] = element.booleanValue();
                case STRING -> strings[j][i] = element.textValue();
            }
        }

        /** Whether a non-null element fits the datatype, as the record path decoded it. */
        private void check(JsonNode element, int index) {
            boolean fits = element.isNull() || switch (kind) {
                case LONG -> element.isIntegralNumber();
                case DOUBLE -> element.isNumber();
                case BOOLEAN -> element.isBoolean();
                case STRING -> element.isTextual();
            };
            if (!fits) {
                throw type.mismatch(element, tensor, index);
            }
        }

        /** Column {@code j}: primitive, or its values boxed if one is missing. */
        Column column(String name, int j) {
            if (missing[j] != null) {
                Object[] values = new Object[count / width];
                for (int i = 0; i < values.length; i++) {
                    values[i] = missing[j][i] ? null : boxed(j, i);
                }
                return Column.ofObjects(name, values);
            }
            return switch (kind) {
                case LONG -> Column.ofLongs(name, longs[j]);
                case DOUBLE -> Column.ofDoubles(name, doubles[j]);
                case BOOLEAN -> Column.ofBooleans(name, booleans[j]);
                case STRING -> Column.ofStrings(name, strings[j]);
            };
        }

        private Object boxed(int j, int i) {
            return switch (kind) {
                case LONG -> longs[j][i];
                case DOUBLE -> doubles[j][i];
                case BOOLEAN -> booleans[j][i];
                case STRING -> strings[j][i];
            };
        }
    }
}
