package dev.pronto.inference.pmml.compiled;

import static dev.pronto.inference.pmml.compiled.NotEligible.require;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.dmg.pmml.DataType;
import org.dmg.pmml.DerivedField;
import org.dmg.pmml.MiningField;
import org.dmg.pmml.Model;
import org.jpmml.evaluator.ModelEvaluator;

/**
 * The fields a model nested in a stacking chain sees: its own local DerivedFields, and the values
 * the chain's earlier members hand on through their output fields. Scikit-learn's stacking writes
 * its final estimator (a gradient-boosting chain) over the base estimators' probabilities, and the
 * boosting member casts them to float and back in DerivedFields of its own before its trees compare
 * them.
 *
 * <p>Mirrors jpmml-evaluator 1.7.7's {@code ModelEvaluationContext.resolve} in a nested model: a
 * name in the model's MiningSchema comes from the enclosing context (here: a handed-on value, a
 * double; the nested models must name it in their MiningSchemas and leave it as it is), any other
 * name is one of the model's local DerivedFields, compiled by {@link ExpressionCompiler#derivedField}
 * (a float cast narrows the probability, a double cast of that float keeps it). Names that resolve
 * further out (the record's inputs, the outer DerivedFields), and categorical fields, are not
 * mirrored here and leave the model on jpmml.
 *
 * <p>The compiled DerivedFields are {@link Node}s over the slots, evaluated in order into slots
 * {@code firstSlot, firstSlot + 1, ...} after the handed-on values are computed.
 *
 * <p>Not thread-safe: one instance compiles one nested model.
 */
final class ChainScope implements FieldScope {

    private final ExpressionCompiler expressions;
    private final Map<String, DerivedField> locals = new HashMap<>();
    private final Map<String, Integer> handedOn;
    private final Set<String> schema = new HashSet<>();
    private final int firstSlot;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Integer> slots = new HashMap<>();
    private final Set<Integer> floatSlots = new HashSet<>();

    /**
     * @param enclosing the models between the chain and {@code model}, outermost first, each of
     *     which must name a handed-on value in its MiningSchema for {@code model} to see it
     * @param handedOn the slots of the values the chain's earlier members hand on, by output name
     * @param firstSlot the slot of the first DerivedField this scope compiles
     */
    ChainScope(ModelEvaluator<?> evaluator, List<Model> enclosing, Model model, Map<String, Integer> handedOn, int firstSlot) {
        this.expressions = new ExpressionCompiler(evaluator, this);
        this.handedOn = handedOn;
        this.firstSlot = firstSlot;
        if (model.getLocalTransformations() != null && model.getLocalTransformations().hasDerivedFields()) {
            for (DerivedField field : model.getLocalTransformations().getDerivedFields()) {
                locals.put(field.requireName(), field);
            }
        }
        for (String name : handedOn.keySet()) {
            boolean named = true;
            for (Model scope : enclosing) {
                named &= names(scope, name);
            }
            if (named && names(model, name)) {
                schema.add(name);
            }
        }
    }

    private static boolean names(Model model, String name) {
        for (MiningField field : model.requireMiningSchema().getMiningFields()) {
            if (field.requireName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** The DerivedFields compiled, in slot order from {@code firstSlot}. */
    List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /** The slot after the last one this scope fills: the next scope's first. */
    int endSlot() {
        return firstSlot + nodes.size();
    }

    @Override
    public int numericSlot(String name) {
        Integer slot = slots.get(name);
        if (slot != null) {
            return slot;
        }
        if (schema.contains(name)) {
            // a MiningField: the enclosing context's value, which no local DerivedField can hide
            return handedOn.get(name);
        }
        DerivedField field = locals.get(name);
        require(field != null, "a model nested in its chain refers to \"" + name
                + "\", neither a DerivedField of its own nor a value handed on");
        Node node = expressions.derivedField(field);
        int newSlot = firstSlot + nodes.size();
        nodes.add(node);
        slots.put(name, newSlot);
        if (field.requireDataType() == DataType.FLOAT) {
            floatSlots.add(newSlot);
        }
        return newSlot;
    }

    @Override
    public DataType slotType(int slot) {
        return floatSlots.contains(slot) ? DataType.FLOAT : DataType.DOUBLE;
    }

    @Override
    public boolean isCategorical(String name) {
        return false;
    }

    @Override
    public int categoricalIndex(String name) {
        throw categorical(name);
    }

    @Override
    public int categoryOf(int index, Object pmmlValue) {
        throw new NotEligible("a model nested in its chain tests a categorical field");
    }

    @Override
    public boolean isCategoricalInput(String name) {
        return false;
    }

    @Override
    public int categoricalInput(String name) {
        throw categorical(name);
    }

    @Override
    public Input.Categorical categorical(int index) {
        throw new NotEligible("a model nested in its chain tests a categorical field");
    }

    private static NotEligible categorical(String name) {
        return new NotEligible("a model nested in its chain tests \"" + name + "\" as a categorical field");
    }
}
