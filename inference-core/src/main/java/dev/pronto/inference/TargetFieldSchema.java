package dev.pronto.inference;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One field a model predicts.
 *
 * @param name the field name; empty when the model leaves its target unnamed
 * @param dataType the data type of predicted values in lower case
 * @param opType {@code continuous} for regression, {@code categorical} or {@code ordinal} for classification
 * @param classes the class labels in the model's declared order, with their data type kept
 *     (an integer label is an {@link Integer}); empty for regression
 */
public record TargetFieldSchema(String name, String dataType, String opType, List<Object> classes) {

    /** Copies the list and rejects nulls. */
    public TargetFieldSchema {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dataType, "dataType");
        Objects.requireNonNull(opType, "opType");
        classes = Collections.unmodifiableList(new ArrayList<>(Objects.requireNonNull(classes, "classes")));
    }
}
