package dev.pronto.pipeline.onnx;

import java.math.BigDecimal;
import java.util.Locale;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;

/**
 * Converts one record value to a tensor element, or says precisely why it cannot.
 *
 * <p>A {@code null} (JSON {@code null}) is a missing value: NaN for float and double inputs, which
 * is how scikit-learn-onnx imputers expect it, and an error for the other types, which have no
 * missing value.
 */
final class ValueConversion {

    private ValueConversion() {
    }

    static double toDouble(Object value, String field, int record) {
        if (value == null) {
            return Double.NaN;
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof String text) {
            try {
                return Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                throw invalid(field, record, "expected a number, got " + quote(text));
            }
        }
        throw invalid(field, record, "expected a number, got " + describe(value));
    }

    static long toLong(Object value, String field, int record) {
        if (value == null) {
            throw invalid(field, record, "expected an integer, got null; the model's integer input has no missing value");
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Number || value instanceof String) {
            try {
                return new BigDecimal(value.toString().trim()).longValueExact();
            } catch (ArithmeticException | NumberFormatException e) {
                throw invalid(field, record, "expected an integer, got " + quote(value.toString()));
            }
        }
        throw invalid(field, record, "expected an integer, got " + describe(value));
    }

    static String toText(Object value, String field, int record) {
        if (value == null) {
            throw invalid(field, record, "expected a string, got null; the model's string input has no missing value");
        }
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            // 3.0 from a JSON client that wrote 3 reads as the category "3", as scikit-learn's would
            return number == Math.rint(number) && Math.abs(number) < 1e15 ? Long.toString((long) number) : value.toString();
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        throw invalid(field, record, "expected a string, got " + describe(value));
    }

    static boolean toBoolean(Object value, String field, int record) {
        if (value instanceof Boolean flag) {
            return flag;
        }
        if (value instanceof String text) {
            switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "true":
                    return true;
                case "false":
                    return false;
                default:
                    break;
            }
        }
        throw invalid(field, record, "expected true or false, got " + (value instanceof String text ? quote(text)
                : describe(value)));
    }

    private static String quote(String text) {
        String shown = text.length() > 60 ? text.substring(0, 60) + "..." : text;
        return "\"" + shown + "\"";
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return value instanceof java.util.Map ? "an object" : value instanceof java.util.List ? "an array" : "a value of another kind";
    }

    private static InferenceException invalid(String field, int record, String reason) {
        return new InferenceException(ErrorCategory.INVALID_RECORD, "input field \"" + field + "\": " + reason,
                field, record, null);
    }
}
