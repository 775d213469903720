package dev.pronto.inference.spark;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.InputFieldSchema;
import dev.pronto.inference.ModelSchema;

/**
 * Which dataset column feeds which model input, checked on the driver before any task runs, and the
 * record a row becomes. A column holds what a JSON client would send: text, a number or a boolean,
 * {@code null} for a missing value. Text is converted to the field's type by the model, as for CSV,
 * so a dataset read from CSV without a schema scores as the typed one does. Immutable.
 */
final class InputColumns implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String[] names;
    private final int[] positions;

    private InputColumns(String[] names, int[] positions) {
        this.names = names;
        this.positions = positions;
    }

    /**
     * The columns of {@code dataset} that the model reads, by exact name.
     *
     * @throws InferenceException with category {@code INVALID_REQUEST} naming the field when the dataset lacks
     *     an input column, or has one of a type a model cannot read (dates, binary, arrays, maps, structs)
     */
    static InputColumns of(ModelSchema schema, StructType dataset) {
        Map<String, Integer> byName = new HashMap<>();
        StructField[] fields = dataset.fields();
        for (int i = 0; i < fields.length; i++) {
            byName.put(fields[i].name(), i);
        }
        List<String> names = new ArrayList<>();
        int[] positions = new int[schema.inputs().size()];
        for (InputFieldSchema input : schema.inputs()) {
            Integer position = byName.get(input.name());
            if (position == null) {
                throw new InferenceException(ErrorCategory.INVALID_REQUEST, "input field \"" + input.name()
                        + "\" is not a column of the dataset; its columns are " + byName.keySet().stream().sorted().toList(),
                        input.name(), -1, null);
            }
            DataType type = fields[position].dataType();
            if (!(type instanceof StringType || type instanceof NumericType || type instanceof BooleanType)) {
                throw new InferenceException(ErrorCategory.INVALID_REQUEST, "input field \"" + input.name()
                        + "\": column of type " + type.simpleString() + ", but a model reads text, numbers or booleans; "
                        + "cast the column first", input.name(), -1, null);
            }
            positions[names.size()] = position;
            names.add(input.name());
        }
        return new InputColumns(names.toArray(String[]::new), positions);
    }

    /** The record of one row: its model input values by field name. */
    Map<String, Object> record(Row row) {
        Map<String, Object> record = new HashMap<>(names.length * 2);
        for (int i = 0; i < names.length; i++) {
            Object value = row.get(positions[i]);
            // a decimal column arrives as BigDecimal; models compute in double, so it is passed as one
            record.put(names[i], value instanceof BigDecimal decimal ? (Object) decimal.doubleValue() : value);
        }
        return record;
    }
}
