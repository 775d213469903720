package dev.pronto.inference.spark;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;

/**
 * The Spark type of a result column, chosen from the data type the model declares for the field, and
 * the conversion of the engine's plain Java value to it. A model declares {@code integer}, {@code float},
 * {@code double}, {@code boolean} or {@code string} for almost every field; anything else (dates, or
 * {@code unknown} where jpmml resolves the type only while scoring) becomes text, so no value is lost.
 */
enum SparkKind {
    STRING(DataTypes.StringType),
    DOUBLE(DataTypes.DoubleType),
    FLOAT(DataTypes.FloatType),
    INTEGER(DataTypes.IntegerType),
    BOOLEAN(DataTypes.BooleanType);

    private final DataType type;

    SparkKind(DataType type) {
        this.type = type;
    }

    /** The kind for a data type as {@link dev.pronto.inference.ModelSchema} spells it. */
    static SparkKind of(String modelDataType) {
        return switch (modelDataType) {
            case "double" -> DOUBLE;
            case "float" -> FLOAT;
            case "integer" -> INTEGER;
            case "boolean" -> BOOLEAN;
            default -> STRING;
        };
    }

    DataType type() {
        return type;
    }

    /**
     * The value as this kind's Spark column holds it; {@code null} stays {@code null} (the model gave no
     * value for this row, as it may for a record it cannot classify).
     *
     * @param column the column, for the message
     * @throws InferenceException with category {@code INVALID_MODEL} when the model gives a value its own
     *     declared type cannot hold, such as 2.5 for an integer field
     */
    Object convert(Object value, String column) {
        if (value == null) {
            return null;
        }
        switch (this) {
            case STRING:
                return value instanceof String ? value : String.valueOf(value);
            case DOUBLE:
                if (value instanceof Number number) {
                    return number.doubleValue();
                }
                break;
            case FLOAT:
                if (value instanceof Number number) {
                    return number.floatValue();
                }
                break;
            case INTEGER:
                if (value instanceof Integer) {
                    return value;
                }
                if (value instanceof Number number && number.doubleValue() == number.intValue()) {
                    return number.intValue();
                }
                break;
            case BOOLEAN:
                if (value instanceof Boolean) {
                    return value;
                }
                break;
            default:
                break;
        }
        throw new InferenceException(ErrorCategory.INVALID_MODEL, "result field \"" + column + "\": the model declares "
                + name().toLowerCase(java.util.Locale.ROOT) + " but gave " + describe(value));
    }

    private static String describe(Object value) {
        String text = String.valueOf(value);
        if (text.length() > 100) {
            text = text.substring(0, 100) + "...";
        }
        return value instanceof String ? "\"" + text + "\"" : text;
    }
}
