package dev.pronto.inference.batch;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * How a JSON value of a record becomes a Java value, the one rule for the JSON request body and JSON
 * Lines: integers as {@code Integer}/{@code Long}/{@code BigInteger} as they fit, other numbers as
 * {@code Double}, strings, booleans, null. Stateless.
 */
public final class JsonValues {

    private JsonValues() {
    }

    /** Whether the token is a value a record field may hold. */
    public static boolean isScalar(JsonToken token) {
        return token != null && token.isScalarValue() && token != JsonToken.VALUE_EMBEDDED_OBJECT;
    }

    /**
     * The value at the parser's current token, which must be {@linkplain #isScalar scalar}.
     *
     * @throws IllegalArgumentException for a token that is not
     */
    public static Object scalar(JsonParser in, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_NUMBER_INT -> in.getNumberValue();
            case VALUE_NUMBER_FLOAT -> in.getDoubleValue();
            case VALUE_STRING -> in.getText();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IllegalArgumentException("not a scalar token: " + token);
        };
    }

    /** A token as a client would name it ("an array", "a string"), for messages. */
    public static String describe(JsonToken token) {
        if (token == null) {
            return "the end of the input";
        }
        return switch (token) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }
}
