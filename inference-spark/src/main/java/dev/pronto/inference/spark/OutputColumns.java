package dev.pronto.inference.spark;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelSchema;
import dev.pronto.inference.OutputFieldSchema;
import dev.pronto.inference.Prediction;
import dev.pronto.inference.TargetFieldSchema;
import dev.pronto.inference.batch.PredictionColumns;

/**
 * The columns {@link ProntoScorer} adds: named as the CSV answers of the server and {@code pronto score}
 * name them ({@link PredictionColumns}), typed from the data types the model declares. Made on the
 * driver from the model schema and shipped to the executors, so every partition writes the columns the
 * plan promised. Immutable.
 */
final class OutputColumns implements Serializable {

    private static final long serialVersionUID = 1L;

    private final List<String> names;
    private final List<SparkKind> kinds;
    private final boolean allFields;
    /** Rebuilt from the names where the columns are used: not serializable, and cheap to make once. */
    private transient PredictionColumns columns;

    private OutputColumns(List<String> names, List<SparkKind> kinds, boolean allFields) {
        this.names = List.copyOf(names);
        this.kinds = List.copyOf(kinds);
        this.allFields = allFields;
    }

    static OutputColumns of(ModelSchema schema, boolean allFields) {
        PredictionColumns columns = PredictionColumns.of(schema, null, allFields);
        String primary = schema.primaryTarget().map(TargetFieldSchema::dataType).orElse("string");
        Map<String, String> declared = new HashMap<>();
        for (OutputFieldSchema output : schema.outputs()) {
            declared.put(output.name(), output.dataType().equals("unknown") ? byFeature(output.feature(), primary) : output.dataType());
        }
        for (TargetFieldSchema target : schema.targets()) {
            declared.put(target.name(), target.dataType());
        }
        List<SparkKind> kinds = columns.names().stream().map(name -> {
            if (!allFields) {
                // the default columns: the primary target's value, then the class probabilities
                return name.equals(columns.names().get(0)) ? SparkKind.of(primary) : SparkKind.DOUBLE;
            }
            return SparkKind.of(declared.getOrDefault(name, "string"));
        }).toList();
        return new OutputColumns(columns.names(), kinds, allFields);
    }

    /**
     * The type of an output field whose data type jpmml resolves only while scoring (older PMML, such as the
     * R pmml package's {@code Probability_setosa}, leaves it out): what its feature always yields, and text
     * where the feature does not tell.
     */
    private static String byFeature(String feature, String primaryTarget) {
        return switch (feature) {
            case "probability", "affinity", "confidence", "residual", "standardError", "standardDeviation" -> "double";
            case "predictedValue" -> primaryTarget;
            default -> "string";
        };
    }

    /**
     * The dataset's schema with these columns after its own.
     *
     * @throws InferenceException with category {@code INVALID_REQUEST} when the dataset already has a column
     *     of one of these names (often the observed target of a labelled set), which two columns of one name
     *     would make ambiguous
     */
    StructType appendTo(StructType input) {
        StructType result = input;
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            for (String existing : input.fieldNames()) {
                if (existing.equalsIgnoreCase(name)) {
                    throw new InferenceException(ErrorCategory.INVALID_REQUEST, "the dataset already has a column \""
                            + existing + "\", which the scores would add; rename or drop it first", existing, -1, null);
                }
            }
            result = result.add(new StructField(name, kinds.get(i).type(), true, Metadata.empty()));
        }
        return result;
    }

    /** How many columns are added. */
    int size() {
        return names.size();
    }

    /** Writes one prediction's values, converted to the columns' types, into {@code row} from {@code offset}. */
    void fill(Prediction prediction, Object[] row, int offset) {
        if (columns == null) {
            columns = new PredictionColumns(null, names, allFields);
        }
        List<Object> values = columns.values(null, prediction);
        for (int i = 0; i < names.size(); i++) {
            row[offset + i] = kinds.get(i).convert(values.get(i), names.get(i));
        }
    }
}
