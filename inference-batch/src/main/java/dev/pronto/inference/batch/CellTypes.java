package dev.pronto.inference.batch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.pronto.inference.InputFieldSchema;
import dev.pronto.inference.ModelSchema;

/**
 * Turns CSV cells into the values a JSON client would send for the same row: numbers for numeric
 * input fields, booleans for boolean ones, text for the rest (and for columns the model does not
 * read), so that a row scores the same whichever format it came in. Immutable.
 */
final class CellTypes {

    /** How a column's cells are read. */
    enum Kind { TEXT, DECIMAL, INTEGER, BOOLEAN }

    private final Map<String, Kind> kinds;
    private final List<String> inputOrder;

    private CellTypes(Map<String, Kind> kinds, List<String> inputOrder) {
        this.kinds = kinds;
        this.inputOrder = inputOrder;
    }

    static CellTypes of(ModelSchema schema) {
        Map<String, Kind> kinds = new HashMap<>();
        List<String> order = new ArrayList<>();
        for (InputFieldSchema input : schema.inputs()) {
            kinds.put(input.name(), switch (input.dataType()) {
                case "double", "float" -> Kind.DECIMAL;
                case "integer" -> Kind.INTEGER;
                case "boolean" -> Kind.BOOLEAN;
                default -> Kind.TEXT;
            });
            order.add(input.name());
        }
        return new CellTypes(kinds, List.copyOf(order));
    }

    /** The model's input names in its order: the columns of a CSV without a header. */
    List<String> inputOrder() {
        return inputOrder;
    }

    Kind kind(String column) {
        return kinds.getOrDefault(column, Kind.TEXT);
    }

    /**
     * The value of the cell {@code bytes[from, to)} (UTF-8).
     *
     * @return the value, or {@code null} when the cell is not valid for its kind; the caller reports it
     */
    static Object value(Kind kind, byte[] bytes, int from, int to) {
        return switch (kind) {
            case TEXT -> new String(bytes, from, to - from, StandardCharsets.UTF_8);
            case DECIMAL -> decimal(bytes, from, to);
            case INTEGER -> integer(bytes, from, to);
            case BOOLEAN -> bool(new String(bytes, from, to - from, StandardCharsets.UTF_8));
        };
    }

    private static Boolean bool(String cell) {
        return cell.equalsIgnoreCase("true") ? Boolean.TRUE : cell.equalsIgnoreCase("false") ? Boolean.FALSE : null;
    }

    /**
     * A decimal as {@link Double#parseDouble} reads it. Plain decimals of at most 15 digits (nearly every
     * cell) are computed from the bytes: the digits and the power of ten are exact doubles, so one division
     * rounds correctly to the same double (Clinger's fast path); anything else goes through the JDK.
     */
    private static Double decimal(byte[] bytes, int from, int to) {
        int i = from;
        boolean negative = false;
        if (i < to && (bytes[i] == '-' || bytes[i] == '+')) {
            negative = bytes[i++] == '-';
        }
        long digits = 0;
        int count = 0;
        int fraction = 0;
        boolean point = false;
        for (; i < to; i++) {
            int digit = bytes[i] - '0';
            if (digit >= 0 && digit <= 9 && count < 15) {
                digits = digits * 10 + digit;
                count++;
                fraction += point ? 1 : 0;
            } else if (bytes[i] == '.' && !point) {
                point = true;
            } else {
                return decimal(new String(bytes, from, to - from, StandardCharsets.UTF_8));
            }
        }
        if (count == 0) {
            return decimal(new String(bytes, from, to - from, StandardCharsets.UTF_8));
        }
        double value = digits / POWERS_OF_TEN[fraction];
        return negative ? -value : value;
    }

    private static final double[] POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
        1e13, 1e14, 1e15};

    private static Double decimal(String cell) {
        try {
            return Double.parseDouble(cell.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** An integer as JSON would carry it (Integer when it fits, else Long); "2.0" as a double, as JSON would too. */
    private static Object integer(byte[] bytes, int from, int to) {
        int i = from;
        boolean negative = false;
        if (i < to && (bytes[i] == '-' || bytes[i] == '+')) {
            negative = bytes[i++] == '-';
        }
        long value = 0;
        // 18 digits cannot overflow a long; longer or other text goes the JDK's way
        if (i == to || to - i > 18) {
            return integer(new String(bytes, from, to - from, StandardCharsets.UTF_8));
        }
        for (; i < to; i++) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9) {
                return integer(new String(bytes, from, to - from, StandardCharsets.UTF_8));
            }
            value = value * 10 + digit;
        }
        value = negative ? -value : value;
        return value == (int) value ? (Object) (int) value : (Object) value;
    }

    private static Object integer(String cell) {
        String text = cell.trim();
        try {
            long value = Long.parseLong(text);
            return value == (int) value ? (Object) (int) value : (Object) value;
        } catch (NumberFormatException e) {
            return decimal(text);
        }
    }

    static String describe(Kind kind) {
        return switch (kind) {
            case DECIMAL -> "a number";
            case INTEGER -> "an integer";
            case BOOLEAN -> "true or false";
            case TEXT -> "text";
        };
    }
}
