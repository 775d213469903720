package dev.pronto.inference.pmml.compiled;

import java.util.List;
import java.util.Map;

/**
 * A compiled model's inputs and DerivedFields, read from a record into slots: slot {@code i} holds
 * input {@code i} (a numeric input's value), then slot {@code inputs + d} derived field {@code d}, in
 * evaluation order. A model's scorer appends its own slots after {@link #slotCount()}.
 *
 * <p>Immutable and thread-safe.
 */
final class CompiledFields {

    private final Input[] inputs;
    private final Node[] derived;

    CompiledFields(List<Input> inputs, List<Node> derived) {
        this.inputs = inputs.toArray(new Input[0]);
        this.derived = derived.toArray(new Node[0]);
    }

    /** How many slots {@link #read} fills. */
    int slotCount() {
        return inputs.length + derived.length;
    }

    /**
     * Fills the first {@link #slotCount()} slots from the record, as jpmml would prepare and derive
     * them, or throws {@link NotCompiled} for a record jpmml must score.
     *
     * @return for each input, the index of a categorical input's value among its valid values (a
     *         numeric input's entry is unused); {@code null} when the model has no categorical input
     */
    int[] read(Map<String, ?> record, double[] slots) {
        int inputCount = inputs.length;
        int[] categories = null;
        for (int i = 0; i < inputCount; i++) {
            Input input = inputs[i];
            Object raw = record.get(input.name());
            if (input instanceof Input.Numeric numeric) {
                slots[i] = numeric.number(raw);
            } else {
                if (categories == null) {
                    categories = new int[inputCount];
                }
                categories[i] = ((Input.Categorical) input).category(raw);
            }
        }
        for (int d = 0; d < derived.length; d++) {
            slots[inputCount + d] = derived[d].eval(slots);
        }
        return categories;
    }
}
