package dev.pronto.inference.batch;

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
     * The value of a cell.
     *
     * @return the value, or {@code null} when the cell is not valid for its kind; the caller reports it
     */
    static Object value(Kind kind, String cell) {
        return switch (kind) {
            case TEXT -> cell;
            case DECIMAL -> decimal(cell);
            case INTEGER -> integer(cell);
            case BOOLEAN -> cell.equalsIgnoreCase("true") ? Boolean.TRUE : cell.equalsIgnoreCase("false") ? Boolean.FALSE : null;
        };
    }

    private static Object decimal(String cell) {
        try {
            return Double.parseDouble(cell.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** An integer as JSON would carry it (Integer when it fits, else Long); "2.0" as a double, as JSON would too. */
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
