package dev.pronto.inference;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The answer of a model for one record, as plain Java values.
 *
 * @param value the predicted value of the primary target: a class label for classification (of the
 *     label's data type, so an integer label is an {@link Integer}), a number for regression, a
 *     cluster id for clustering; {@code null} if the model predicts nothing for this record
 * @param probabilities class probabilities keyed by class label, in the model's class order; empty
 *     unless the model yields probabilities
 * @param fields every named target and output field, decoded, in the model's order
 * @param entityIds ids of the model entities that decided the prediction, such as the leaf node of a
 *     decision tree, or one leaf per tree of an ensemble in segment order; empty where the model has none
 */
public record Prediction(Object value, Map<Object, Double> probabilities, Map<String, Object> fields,
        List<String> entityIds) {

    /** Copies the maps, keeping their order, and rejects nulls (except the value). */
    public Prediction {
        probabilities = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(probabilities, "probabilities")));
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(fields, "fields")));
        entityIds = List.copyOf(Objects.requireNonNull(entityIds, "entityIds"));
    }
}
