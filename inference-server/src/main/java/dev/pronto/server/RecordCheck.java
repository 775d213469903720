package dev.pronto.server;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.pronto.inference.InputFieldSchema;
import dev.pronto.inference.ModelSchema;

/**
 * Checks records against the inputs of the model that will score them, where a lenient engine would
 * score silently wrong: a misspelt key would be a missing value (and a {@code null} prediction), and
 * JSON {@code true} would be the number 1.
 *
 * <p>Thread-safe.
 */
final class RecordCheck {

    private static final Set<String> NUMERIC_TYPES = Set.of("double", "float", "integer");

    private final ProtectionSettings.UnknownKeys unknownKeys;
    /** Written by any request thread; a stale read only builds the facts again. */
    private volatile Inputs lastInputs;

    RecordCheck(ProtectionSettings.UnknownKeys unknownKeys) {
        this.unknownKeys = unknownKeys;
    }

    /**
     * @throws ApiException 400 {@code unknown_field} for a key that is not an input (as the
     *     {@link ProtectionSettings.UnknownKeys} setting says), naming the closest input; 422
     *     {@code invalid_record} for a boolean given to a numeric input
     */
    void check(List<? extends Map<String, ?>> records, ModelSchema schema) {
        Inputs facts = inputs(schema);
        if (records instanceof CompactRecords.Rows rows && !suspect(rows, facts)) {
            return;
        }
        List<InputFieldSchema> inputs = schema.inputs();
        Set<String> names = facts.numeric().keySet();
        for (int i = 0; i < records.size(); i++) {
            Map<String, ?> record = records.get(i);
            if (unknownKeys != ProtectionSettings.UnknownKeys.IGNORE && !names.containsAll(record.keySet())) {
                List<InputFieldSchema> absent = inputs.stream().filter(input -> !record.containsKey(input.name())).toList();
                if (unknownKeys == ProtectionSettings.UnknownKeys.REFUSE || !absent.isEmpty()) {
                    for (String key : record.keySet()) {
                        if (!names.contains(key)) {
                            // the inputs the record lacks are what a misspelt key was meant to be
                            throw unknownKey(key, i, absent.isEmpty() ? inputs : absent, inputs);
                        }
                    }
                }
            }
            for (InputFieldSchema input : inputs) {
                if (record.get(input.name()) instanceof Boolean flag && NUMERIC_TYPES.contains(input.dataType())) {
                    throw new ApiException(422, "invalid_record", "record " + i + ", field \"" + input.name()
                            + "\": expected a number (" + input.dataType() + "), got the boolean " + flag, input.name(), i);
                }
            }
        }
    }

    /**
     * Whether the records of a request might fail the check, asked of each key of the request once
     * instead of each record: a key that is not an input, or a boolean seen in a numeric input. Only
     * then are the records checked one by one, which finds the first offending record and words the
     * error as for any other records.
     */
    private boolean suspect(CompactRecords.Rows rows, Inputs facts) {
        for (int slot = 0; slot < rows.fieldCount(); slot++) {
            Boolean numeric = facts.numeric().get(rows.field(slot));
            if (numeric == null ? unknownKeys != ProtectionSettings.UnknownKeys.IGNORE
                    : numeric && rows.heldBoolean(slot)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The input names of a schema and whether each is numeric, remembered for the last schema seen:
     * most servers score one model, and the map would otherwise be built for every request.
     */
    private Inputs inputs(ModelSchema schema) {
        Inputs last = lastInputs;
        if (last != null && last.schema() == schema) {
            return last;
        }
        Map<String, Boolean> numeric = new HashMap<>(schema.inputs().size() * 2);
        for (InputFieldSchema input : schema.inputs()) {
            numeric.put(input.name(), NUMERIC_TYPES.contains(input.dataType()));
        }
        Inputs facts = new Inputs(schema, numeric);
        lastInputs = facts;
        return facts;
    }

    /** @param numeric per input name, whether the input is numeric; its keys are the input names */
    private record Inputs(ModelSchema schema, Map<String, Boolean> numeric) {
    }

    private static ApiException unknownKey(String key, int record, List<InputFieldSchema> candidates,
            List<InputFieldSchema> inputs) {
        String closest = null;
        int best = Integer.MAX_VALUE;
        for (InputFieldSchema input : candidates) {
            int distance = distance(key, input.name());
            if (distance < best) {
                best = distance;
                closest = input.name();
            }
        }
        // a suggestion only when the key looks like a typo of it, not when it is merely the least unlike
        boolean typo = closest != null && best <= Math.max(2, Math.min(key.length(), closest.length()) / 3);
        StringBuilder message = new StringBuilder("record ").append(record).append(": \"").append(key)
                .append("\" is not an input field of the model");
        if (typo) {
            message.append("; did you mean \"").append(closest).append("\"?");
        }
        message.append(" (inputs: ");
        for (int i = 0; i < inputs.size() && i < 20; i++) {
            message.append(i == 0 ? "" : ", ").append(inputs.get(i).name());
        }
        message.append(inputs.size() > 20 ? ", ...)" : ")")
                .append(". A server that should ignore such keys sets [Limits] unknown_record_keys = ignore");
        return new ApiException(400, "unknown_field", message.toString(), key, record);
    }

    /** Levenshtein distance, case-insensitive: {@code Sepal_Length} is a typo of {@code sepal_length} too. */
    static int distance(String a, String b) {
        String x = a.toLowerCase(java.util.Locale.ROOT);
        String y = b.toLowerCase(java.util.Locale.ROOT);
        int[] previous = new int[y.length() + 1];
        int[] current = new int[y.length() + 1];
        for (int j = 0; j <= y.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= x.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= y.length(); j++) {
                int substitution = previous[j - 1] + (x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[y.length()];
    }
}
