package dev.pronto.inference;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One input field a model reads from each record.
 *
 * @param name the field name, as record keys must spell it
 * @param dataType the declared data type in lower case, e.g. {@code double}, {@code string}, {@code integer}
 * @param opType {@code continuous}, {@code categorical} or {@code ordinal}
 * @param validValues the values a categorical or ordinal field accepts, in the model's order; empty if unrestricted
 * @param validRanges the intervals a continuous field accepts; empty if unrestricted
 */
public record InputFieldSchema(String name, String dataType, String opType, List<Object> validValues,
        List<ValueRange> validRanges) {

    /** Copies the lists and rejects nulls. */
    public InputFieldSchema {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dataType, "dataType");
        Objects.requireNonNull(opType, "opType");
        validValues = Collections.unmodifiableList(new ArrayList<>(Objects.requireNonNull(validValues, "validValues")));
        validRanges = List.copyOf(Objects.requireNonNull(validRanges, "validRanges"));
    }
}
