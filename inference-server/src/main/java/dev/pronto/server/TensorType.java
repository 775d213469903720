package dev.pronto.server;

import java.util.Arrays;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Open Inference Protocol's tensor data types, and how Pronto maps them onto the model's field
 * types: numbers for the numeric types, booleans for {@code BOOL}, strings for {@code BYTES}
 * ({@link TensorColumns} decodes them into columns). The engine converts each value to its field's
 * declared type, as it does for {@code /invocations}.
 */
enum TensorType {
    BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES;

    /** The tensor type of a model field's declared data type (lower case, as the engine's schema gives it). */
    static TensorType forField(String dataType) {
        return switch (dataType) {
            case "double" -> FP64;
            case "float" -> FP32;
            case "integer" -> INT64;
            case "boolean" -> BOOL;
            default -> BYTES;
        };
    }

    /**
     * Reads a tensor's {@code datatype}.
     *
     * @throws ApiException 400 naming the input and the accepted types
     */
    static TensorType parse(String text, String input) {
        try {
            return valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "invalid_request", "input \"" + input + "\": unknown datatype \"" + text
                    + "\"; the datatypes are " + Arrays.toString(values()));
        }
    }

    boolean isInteger() {
        return ordinal() >= UINT8.ordinal() && ordinal() <= INT64.ordinal();
    }

    boolean isFloat() {
        return this == FP16 || this == FP32 || this == FP64;
    }

    /**
     * The error for an element of an input tensor that does not fit this type (see {@link TensorColumns}).
     *
     * @param index the element's index in the tensor's flattened data
     */
    ApiException mismatch(JsonNode element, String input, int index) {
        String expected = isInteger() ? "integers" : isFloat() ? "numbers" : this == BOOL ? "true or false" : "strings";
        return new ApiException(400, "invalid_request", "input \"" + input + "\": datatype " + this + " holds " + expected
                + ", element " + index + " is " + shortText(element));
    }

    private static String shortText(JsonNode element) {
        String text = element.toString();
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    /** Whether a value a model returned can be written as this type without changing it. */
    boolean fits(Object value) {
        if (value == null) {
            return true;
        }
        return switch (this) {
            case FP16, FP32, FP64 -> value instanceof Number;
            case BOOL -> value instanceof Boolean;
            case BYTES -> value instanceof String;
            default -> value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte;
        };
    }
}
