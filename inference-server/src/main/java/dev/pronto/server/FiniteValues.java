package dev.pronto.server;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;

/**
 * The {@code /invocations} record values that would reach a model as an infinite number: a JSON number
 * beyond the range of a double, or a string a model would parse as one. Both are refused with
 * {@code 422 invalid_record} naming the record and field, since scoring infinity answers nonsense.
 */
final class FiniteValues {

    private FiniteValues() {
    }

    /** A number no double can hold ({@code 1e400}) would be scored as infinity: refused instead. */
    static Object number(double value, JsonParser in, String field, int record) throws IOException {
        if (Double.isInfinite(value)) {
            throw notFinite(in.getText(), field, record);
        }
        return value;
    }

    /**
     * A string the model would read as an infinite number ({@code "Infinity"}, {@code "1e400"}), refused as
     * {@link #number} refuses the number. Only strings that start as a number does and have an exponent or an
     * {@code I}, or more digits than a double has, can overflow, so other strings are not parsed here: a
     * category such as {@code "Private"} would cost a {@link NumberFormatException} (and its stack trace) for
     * every record.
     */
    static String text(String text, String field, int record) {
        if (startsLikeANumber(text)
                && (text.length() > 308 || text.indexOf('e') >= 0 || text.indexOf('E') >= 0 || text.indexOf('I') >= 0)) {
            try {
                if (Double.isInfinite(Double.parseDouble(text))) {
                    throw notFinite("\"" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "\"", field, record);
                }
            } catch (NumberFormatException notANumber) {
                // a string the model reads as a category, or refuses itself
            }
        }
        return text;
    }

    /** Whether Java's double parser could read the text as a number: after blanks and a sign, a digit, a point or "I". */
    private static boolean startsLikeANumber(String text) {
        int i = 0;
        while (i < text.length() && text.charAt(i) <= ' ') {
            i++;
        }
        if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            i++;
        }
        if (i == text.length()) {
            return false;
        }
        char first = text.charAt(i);
        return (first >= '0' && first <= '9') || first == '.' || first == 'I';
    }

    private static ApiException notFinite(String value, String field, int record) {
        return new ApiException(422, "invalid_record", "record " + record + ", field \"" + field + "\": " + value
                + " is not a finite number (a double holds at most about 1.8e308)", field, record);
    }
}
