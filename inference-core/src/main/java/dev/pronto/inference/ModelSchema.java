package dev.pronto.inference;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a model reads and what it answers: its input fields, targets and output fields.
 *
 * @param function what the model does, in lower case: {@code classification}, {@code regression},
 *     {@code clustering}, or another PMML mining function
 * @param inputs the fields read from each record, in the model's order
 * @param targets the predicted fields; usually exactly one
 * @param outputs the further fields computed for each record
 */
public record ModelSchema(String function, List<InputFieldSchema> inputs, List<TargetFieldSchema> targets,
        List<OutputFieldSchema> outputs) {

    /** Copies the lists and rejects nulls. */
    public ModelSchema {
        Objects.requireNonNull(function, "function");
        inputs = List.copyOf(Objects.requireNonNull(inputs, "inputs"));
        targets = List.copyOf(Objects.requireNonNull(targets, "targets"));
        outputs = List.copyOf(Objects.requireNonNull(outputs, "outputs"));
    }

    /** The first target, which {@link Prediction#value()} reports; empty for a model without targets. */
    public Optional<TargetFieldSchema> primaryTarget() {
        return targets.isEmpty() ? Optional.empty() : Optional.of(targets.get(0));
    }

    /** The class labels of the primary target in the model's order; empty unless the model classifies. */
    public List<Object> classes() {
        return primaryTarget().map(TargetFieldSchema::classes).orElse(List.of());
    }
}
