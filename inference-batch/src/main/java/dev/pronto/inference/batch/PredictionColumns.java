package dev.pronto.inference.batch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import dev.pronto.inference.ModelSchema;
import dev.pronto.inference.OutputFieldSchema;
import dev.pronto.inference.Prediction;
import dev.pronto.inference.TargetFieldSchema;

/**
 * The columns of a written prediction, the same for CSV and JSON Lines and for HTTP and the command
 * line: an optional id column copied from the input, then either the prediction (a column named after
 * the target field, {@code prediction} for an unnamed target, then {@code probability(<class>)} per
 * class in the model's order) or, with {@code allFields}, every named target and output field of the
 * model. Immutable.
 *
 * @param idColumn the input column copied to each output row, or {@code null}
 * @param names the column names after the id column
 * @param allFields whether the columns are the prediction's result fields
 */
public record PredictionColumns(String idColumn, List<String> names, boolean allFields) {

    /** The column of a model without a named target. */
    public static final String UNNAMED_TARGET = "prediction";

    /** Copies the names. */
    public PredictionColumns {
        names = List.copyOf(names);
    }

    /**
     * The columns for a model.
     *
     * @param idColumn the input column to copy first, or {@code null}
     * @param allFields every result field instead of the prediction and class probabilities
     */
    public static PredictionColumns of(ModelSchema schema, String idColumn, boolean allFields) {
        List<String> names = new ArrayList<>();
        if (allFields) {
            schema.targets().stream().map(TargetFieldSchema::name).filter(name -> !name.isEmpty()).forEach(names::add);
            schema.outputs().stream().map(OutputFieldSchema::name).filter(name -> !names.contains(name)).forEach(names::add);
        } else {
            names.add(schema.primaryTarget().map(TargetFieldSchema::name).filter(name -> !name.isEmpty())
                    .orElse(UNNAMED_TARGET));
            for (Object label : schema.classes()) {
                names.add("probability(" + label + ")");
            }
        }
        return new PredictionColumns(idColumn, names, allFields);
    }

    /** Every column name, the id column first when there is one. */
    public List<String> header() {
        if (idColumn == null) {
            return names;
        }
        List<String> header = new ArrayList<>(names.size() + 1);
        header.add(idColumn);
        header.addAll(names);
        return Collections.unmodifiableList(header);
    }

    /**
     * The values of one output row, in {@link #header()} order.
     *
     * @param id the id column's value from the input row; ignored without an id column
     */
    public List<Object> values(Object id, Prediction prediction) {
        List<Object> values = new ArrayList<>(names.size() + 1);
        if (idColumn != null) {
            values.add(id);
        }
        if (allFields) {
            Map<String, Object> fields = prediction.fields();
            for (String name : names) {
                values.add(fields.get(name));
            }
            return values;
        }
        values.add(prediction.value());
        // the probabilities come in the model's class order, which the header follows; none for a record
        // the model could not classify
        Iterator<Double> probabilities = prediction.probabilities().values().iterator();
        for (int c = 1; c < names.size(); c++) {
            values.add(probabilities.hasNext() ? probabilities.next() : null);
        }
        return values;
    }
}
