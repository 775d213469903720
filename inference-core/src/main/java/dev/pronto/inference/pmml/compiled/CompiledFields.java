package dev.pronto.inference.pmml.compiled;

import java.util.List;
import java.util.Map;

import org.jpmml.evaluator.EvaluationContext;
import org.jpmml.evaluator.ModelEvaluationContext;
import org.jpmml.evaluator.ModelEvaluator;

/**
 * A compiled model's inputs and DerivedFields, read from a record into slots: slot {@code i} holds
 * input {@code i} (a numeric input's value), then slot {@code inputs + d} derived field {@code d}, in
 * evaluation order. A model's scorer appends its own slots after {@link #slotCount()}. Categorical
 * values are indexes: input {@code i}'s at {@code i}, then each categorical DerivedField
 * ({@link CategoricalField}: discretized from a slot, or evaluated by jpmml) after the inputs.
 *
 * <p>Immutable and thread-safe.
 */
final class CompiledFields {

    private final ModelEvaluator<?> evaluator;
    private final Input[] inputs;
    private final Node[] derived;
    private final CategoricalField[] categoricals;
    private final boolean hasCategories;

    CompiledFields(ModelEvaluator<?> evaluator, List<Input> inputs, List<Node> derived, List<CategoricalField> categoricals) {
        this.evaluator = evaluator;
        this.inputs = inputs.toArray(new Input[0]);
        this.derived = derived.toArray(new Node[0]);
        this.categoricals = categoricals.toArray(new CategoricalField[0]);
        this.hasCategories = !categoricals.isEmpty() || inputs.stream().anyMatch(Input.Categorical.class::isInstance);
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
     *         numeric input's entry is unused), then the categorical DerivedFields' indexes;
     *         {@code null} when the model has no categorical field
     */
    int[] read(Map<String, ?> record, double[] slots) {
        int inputCount = inputs.length;
        int[] categories = hasCategories ? new int[inputCount + categoricals.length] : null;
        for (int i = 0; i < inputCount; i++) {
            Input input = inputs[i];
            Object raw = record.get(input.name());
            if (input instanceof Input.Numeric numeric) {
                slots[i] = numeric.number(raw);
            } else {
                categories[i] = ((Input.Categorical) input).category(raw);
            }
        }
        // a field tabulated at load time is looked up; any other is evaluated in one jpmml context per record
        // (as ModelEvaluator.evaluate makes one), made when first needed and caching what it derives
        EvaluationContext context = null;
        for (int d = 0; d < derived.length; d++) {
            Node node = derived[d];
            if (node instanceof Node.Evaluated evaluated) {
                EvaluatedField field = evaluated.field();
                int row = field.row(categories);
                if (row >= 0) {
                    slots[inputCount + d] = field.number(row);
                } else {
                    context = context == null ? context(record) : context;
                    slots[inputCount + d] = field.number(context);
                }
            } else {
                slots[inputCount + d] = node.eval(slots);
            }
        }
        for (int k = 0; k < categoricals.length; k++) {
            if (categoricals[k] instanceof DiscretizedField discretized) {
                // after the derived fields: its numeric field's slot is filled
                categories[inputCount + k] = discretized.category(slots);
                continue;
            }
            EvaluatedField field = (EvaluatedField) categoricals[k];
            int row = field.row(categories);
            if (row >= 0) {
                categories[inputCount + k] = field.category(row);
            } else {
                context = context == null ? context(record) : context;
                categories[inputCount + k] = field.category(context);
            }
        }
        return categories;
    }

    private EvaluationContext context(Map<String, ?> record) {
        ModelEvaluationContext context = new ModelEvaluationContext(evaluator);
        context.setArguments(record);
        return context;
    }
}
