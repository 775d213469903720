package dev.pronto.inference.pmml.compiled;

import static dev.pronto.inference.pmml.compiled.NotEligible.require;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.common.collect.Range;
import com.google.common.collect.RangeSet;
import org.dmg.pmml.DataField;
import org.dmg.pmml.DataType;
import org.dmg.pmml.DerivedField;
import org.dmg.pmml.Discretize;
import org.dmg.pmml.InvalidValueTreatmentMethod;
import org.dmg.pmml.MiningField;
import org.dmg.pmml.OpType;
import org.dmg.pmml.OutlierTreatmentMethod;
import org.dmg.pmml.Value;
import org.jpmml.evaluator.FieldUtil;
import org.jpmml.evaluator.InputField;
import org.jpmml.evaluator.ModelEvaluator;
import org.jpmml.evaluator.TypeUtil;
import org.jpmml.model.visitors.ActiveFieldFinder;


/**
 * Compiles a model's input fields and the DerivedFields it refers to into {@link CompiledFields},
 * from the PMML objects jpmml itself evaluates (after its load-time parsing, so constants and
 * category values are the very objects jpmml uses). Shared by every model type's compiler.
 *
 * <p>Eligible inputs: DataFields in active MiningFields that keep outliers as they are, either
 * continuous doubles or integers (with or without intervals; values converted by
 * {@link InputConversion}) or categorical strings, integers, doubles or booleans that declare their
 * valid values; an {@code invalidValueTreatment} of asIs keeps numbers outside the intervals and
 * unknown text of string fields, as jpmml does. Eligible DerivedFields: continuous doubles built from {@code + - * / pow sum avg log10 ln
 * exp sqrt abs}, field references and numeric constants. Anything else throws {@link NotEligible}.
 *
 * <p>Not thread-safe: one instance compiles one model.
 */
final class FieldCompiler implements FieldScope {

    private final ModelEvaluator<?> evaluator;
    private final ExpressionCompiler expressions;
    private final Map<String, Integer> inputIndex = new HashMap<>();
    private final List<Input> inputs = new ArrayList<>();
    private final List<Node> derived = new ArrayList<>();
    private final Map<String, Integer> derivedSlots = new HashMap<>();
    /** Slots of float inputs and DerivedFields, whose values are floats held as doubles. */
    private final Set<Integer> floatSlots = new HashSet<>();
    /** Slots of integer fields (inputs and DerivedFields), whose values are ints held as doubles. */
    private final Set<Integer> integerSlots = new HashSet<>();
    /** Whether DerivedFields the compiled code does not mirror are evaluated by jpmml ({@link EvaluatedField}). */
    private final boolean evaluatesOthers;
    /** Categorical DerivedFields (discretized, or evaluated by jpmml); field {@code k}'s category index is at {@code inputs + k}. */
    private final List<CategoricalField> categoricals = new ArrayList<>();
    private final Map<String, Integer> categoricalSlots = new HashMap<>();

    /**
     * Compiles every input field of the model; DerivedFields are compiled when first referred to.
     *
     * @param takesMissing whether the scorer handles missing values itself (as NaN, or
     *     {@link Input.Categorical#MISSING}) for inputs that jpmml leaves missing; otherwise a record
     *     with a missing input is declined
     */
    FieldCompiler(ModelEvaluator<?> evaluator, boolean takesMissing) {
        this(evaluator, takesMissing, false);
    }

    /**
     * @param evaluatesOthers whether a DerivedField whose expression is not mirrored is evaluated by
     *     jpmml per record ({@link EvaluatedField}) instead of making the model not eligible
     */
    FieldCompiler(ModelEvaluator<?> evaluator, boolean takesMissing, boolean evaluatesOthers) {
        this.evaluator = evaluator;
        this.expressions = new ExpressionCompiler(evaluator, this);
        this.evaluatesOthers = evaluatesOthers;
        for (InputField field : evaluator.getInputFields()) {
            inputIndex.put(field.getName(), inputs.size());
            Input input = input(field, takesMissing);
            if (input instanceof Input.Numeric numeric && numeric.dataType() == DataType.FLOAT) {
                floatSlots.add(inputs.size());
            } else if (input instanceof Input.Numeric numeric && numeric.dataType() == DataType.INTEGER) {
                integerSlots.add(inputs.size());
            }
            inputs.add(input);
        }
    }

    /** The fields compiled so far, for the scorer. */
    CompiledFields build() {
        List<Node> nodes = derived.stream()
                .map(node -> node instanceof Node.Evaluated e ? new Node.Evaluated(e.field().frozen(evaluator, inputs)) : node)
                .toList();
        return new CompiledFields(evaluator, inputs, nodes,
                categoricals.stream().map(field -> field.frozen(evaluator, inputs)).toList());
    }

    /**
     * The slot of a numeric field as {@code ModelEvaluationContext.resolve} finds it: a MiningField,
     * then a local, then a global DerivedField (compiled now if it is not yet).
     */
    @Override
    public int numericSlot(String name) {
        if (evaluator.getMiningField(name) != null) {
            Integer index = inputIndex.get(name);
            require(index != null, "field \"" + name + "\" is not an active input");
            require(inputs.get(index) instanceof Input.Numeric, "field \"" + name + "\" is categorical");
            return index;
        }
        Integer slot = derivedSlots.get(name);
        if (slot != null) {
            return slot;
        }
        DerivedField field = derivedField(name);
        DataType type = field.requireDataType();
        boolean continuous = field.requireOpType() == OpType.CONTINUOUS;
        if (evaluatesOthers && continuous && (type == DataType.DOUBLE || type == DataType.FLOAT || type == DataType.INTEGER)) {
            try {
                return compiledSlot(name, field);
            } catch (NotEligible e) {
                return addSlot(name, new Node.Evaluated(tabulable(EvaluatedField.numeric(name, type))), type);
            }
        }
        return compiledSlot(name, field);
    }

    /**
     * The field, marked as depending only on categorical inputs when every field its expression refers
     * to (through other DerivedFields) is one, so that its values can be tabulated at load time.
     */
    private EvaluatedField tabulable(EvaluatedField field) {
        Set<Integer> found = new java.util.TreeSet<>();
        return categoricalDependencies(field.name(), found, new HashSet<>())
                ? field.dependingOn(found.stream().mapToInt(Integer::intValue).toArray()) : field;
    }

    private boolean categoricalDependencies(String name, Set<Integer> found, Set<String> seen) {
        if (!seen.add(name)) {
            return true;
        }
        if (evaluator.getMiningField(name) != null) {
            Integer index = inputIndex.get(name);
            if (index == null || !(inputs.get(index) instanceof Input.Categorical)) {
                return false;
            }
            found.add(index);
            return true;
        }
        DerivedField field = findDerivedField(name);
        if (field == null) {
            return false;
        }
        for (String reference : ActiveFieldFinder.getFieldNames(field)) {
            if (!categoricalDependencies(reference, found, seen)) {
                return false;
            }
        }
        return true;
    }

    /** A local DerivedField, else a global one ({@code ModelEvaluationContext.resolve}). */
    private DerivedField derivedField(String name) {
        DerivedField field = findDerivedField(name);
        require(field != null, "field \"" + name + "\" is unknown");
        return field;
    }

    private DerivedField findDerivedField(String name) {
        DerivedField field = evaluator.getLocalDerivedField(name);
        return field != null ? field : evaluator.getDerivedField(name);
    }

    /** A DerivedField compiled into a {@link Node} of its own. */
    private int compiledSlot(String name, DerivedField field) {
        return addSlot(name, expressions.derivedField(field), field.requireDataType());
    }

    private int addSlot(String name, Node node, DataType type) {
        int newSlot = inputs.size() + derived.size();
        derived.add(node);
        derivedSlots.put(name, newSlot);
        if (type == DataType.FLOAT) {
            floatSlots.add(newSlot);
        } else if (type == DataType.INTEGER) {
            integerSlots.add(newSlot);
        }
        return newSlot;
    }

    /**
     * The type of a slot's value: float and integer fields (inputs and DerivedFields) are held exactly
     * as doubles, so {@link Double#compare} orders them as {@code Float} or {@code Integer} would, but
     * jpmml parses a threshold compared with them ({@code ScalarValue.compareToValue}) and computes with
     * them in their own type.
     */
    @Override
    public DataType slotType(int slot) {
        return floatSlots.contains(slot) ? DataType.FLOAT : integerSlots.contains(slot) ? DataType.INTEGER : DataType.DOUBLE;
    }

    /**
     * Whether {@code name} is a categorical field a tree's {@code equal}, {@code notEqual} or
     * missing-value predicate can test: an active categorical input, or (when evaluating others) a
     * categorical DerivedField, evaluated by jpmml.
     */
    @Override
    public boolean isCategorical(String name) {
        if (isCategoricalInput(name) || categoricalSlots.containsKey(name)) {
            return true;
        }
        if (!evaluatesOthers || evaluator.getMiningField(name) != null || derivedSlots.containsKey(name)) {
            return false;
        }
        DerivedField field = findDerivedField(name);
        return field != null && field.getOpType() == OpType.CATEGORICAL && field.getDataType() != null;
    }

    /** The category index of a field {@link #isCategorical} accepts. */
    @Override
    public int categoricalIndex(String name) {
        if (isCategoricalInput(name)) {
            return categoricalInput(name);
        }
        Integer index = categoricalSlots.get(name);
        if (index == null) {
            require(isCategorical(name), "field \"" + name + "\" is not categorical");
            CategoricalField field = categoricalField(name, derivedField(name));
            index = inputs.size() + categoricals.size();
            categoricals.add(field);
            categoricalSlots.put(name, index);
        }
        return index;
    }

    /**
     * A categorical DerivedField: a {@code Discretize} of a numeric field is computed from that field's
     * slot ({@link DiscretizedField}); any other (or a Discretize not mirrored) is evaluated by jpmml.
     */
    private CategoricalField categoricalField(String name, DerivedField field) {
        if (field.requireExpression() instanceof Discretize discretize) {
            try {
                return DiscretizedField.of(field, discretize, numericSlot(discretize.requireField()));
            } catch (NotEligible e) {
                // evaluated by jpmml, below
            }
        }
        return tabulable(EvaluatedField.categorical(name, field.requireDataType()));
    }

    /**
     * The index of a predicate's value among the values of categorical field {@code index}: for an
     * input, among its valid values (-1 if it is none of them); for a DerivedField, among the values
     * its predicates name.
     */
    @Override
    public int categoryOf(int index, Object pmmlValue) {
        if (index < inputs.size()) {
            return categorical(index).indexOf(pmmlValue);
        }
        return categoricals.get(index - inputs.size()).categoryIndex(pmmlValue);
    }

    /** The index of a categorical input field, whose values are {@link Input.Categorical#validValues()}. */
    @Override
    public int categoricalInput(String name) {
        Integer index = evaluator.getMiningField(name) == null ? null : inputIndex.get(name);
        require(index != null && inputs.get(index) instanceof Input.Categorical,
                "categorical predictor \"" + name + "\" is not on a categorical input");
        return index;
    }

    /** Whether {@code name} is an active categorical input of the model. */
    @Override
    public boolean isCategoricalInput(String name) {
        Integer index = evaluator.getMiningField(name) == null ? null : inputIndex.get(name);
        return index != null && inputs.get(index) instanceof Input.Categorical;
    }

    @Override
    public Input.Categorical categorical(int index) {
        return (Input.Categorical) inputs.get(index);
    }

    private static Input input(InputField field, boolean takesMissing) {
        String name = field.getName();
        require(field.getField() instanceof DataField, "input \"" + name + "\" is not a DataField");
        DataField dataField = (DataField) field.getField();
        MiningField miningField = field.getMiningField();
        require(miningField.getUsageType() == MiningField.UsageType.ACTIVE, "input \"" + name + "\" is not active");
        require(miningField.getOpType() == null, "input \"" + name + "\" has its optype overridden");
        // valid values are kept as they are; invalid ones too where the field says asIs without a replacement
        // (any other invalid-value treatment, and every missing value the model does not take, goes to jpmml)
        require(miningField.getOutlierTreatment() == OutlierTreatmentMethod.AS_IS,
                "input \"" + name + "\" treats outliers");
        // jpmml-model reads PMML 4.4's asIs as AS_VALUE; InputFieldUtil.createInvalidInputValue keeps the value
        // itself (marked invalid) for both when there is no replacement
        InvalidValueTreatmentMethod invalid = miningField.getInvalidValueTreatment();
        boolean invalidAsIs = (invalid == InvalidValueTreatmentMethod.AS_IS || invalid == InvalidValueTreatmentMethod.AS_VALUE)
                && miningField.getInvalidValueReplacement() == null;
        // InputFieldUtil.prepareInputValue: without a replacement, a missing value stays missing
        boolean missing = takesMissing && miningField.getMissingValueReplacement() == null;
        OpType opType = dataField.requireOpType();
        DataType dataType = dataField.requireDataType();
        if (opType == OpType.CONTINUOUS && dataType == DataType.FLOAT) {
            // float inputs (XGBoost): NaN declared missing, no intervals; values converted as jpmml does
            require(!dataField.hasIntervals() && (!dataField.hasValues()
                    || dataField.getValues().stream().allMatch(FieldCompiler::isMissingNaN)),
                    "input \"" + name + "\" lists Values or Intervals");
            return new Input.Numeric(name, dataType, new Input.Interval[0], missing, false);
        }
        if (opType == OpType.CONTINUOUS && (dataType == DataType.DOUBLE || dataType == DataType.INTEGER)) {
            // NaN declared a missing value (LightGBM, XGBoost) changes nothing here, where a NaN is declined;
            // any other declared value would make a number missing or invalid, which is not mirrored
            require(!dataField.hasValues() || dataField.getValues().stream().allMatch(FieldCompiler::isMissingNaN),
                    "input \"" + name + "\" lists valid or invalid Values");
            if (!dataField.hasIntervals()) {
                return new Input.Numeric(name, dataType, new Input.Interval[0], missing, invalidAsIs);
            }
            RangeSet<Double> valid = FieldUtil.getValidRanges(dataField);
            require(!valid.isEmpty(), "input \"" + name + "\" has no valid range");
            List<Input.Interval> intervals = new ArrayList<>();
            for (Range<Double> range : valid.asRanges()) {
                intervals.add(Input.Interval.of(range));
            }
            return new Input.Numeric(name, dataType, intervals.toArray(new Input.Interval[0]), missing, invalidAsIs);
        }
        if (opType == OpType.CATEGORICAL
                && (dataType == DataType.STRING || dataType == DataType.INTEGER || dataType == DataType.DOUBLE
                        || dataType == DataType.BOOLEAN)) {
            require(!dataField.hasIntervals(), "input \"" + name + "\" has Intervals");
            if (dataType == DataType.BOOLEAN && !dataField.hasValues()) {
                // a boolean that lists no values takes both (XGBoost's); its values index false, true
                return new Input.Categorical(name, dataType, List.<Object>of(Boolean.FALSE, Boolean.TRUE), missing, false);
            }
            require(dataField.hasValues(), "input \"" + name + "\" does not list its valid values");
            List<Object> valid = new ArrayList<>();
            for (Value value : dataField.getValues()) {
                if (isMissingNaN(value) && dataType == DataType.DOUBLE) {
                    // NaN as the missing value of a double (LightGBM): a NaN given is declined, never a category
                    continue;
                }
                require(value.getProperty() == Value.Property.VALID, "input \"" + name + "\" lists invalid or missing values");
                valid.add(TypeUtil.parseOrCast(dataType, value.requireValue()));
            }
            return new Input.Categorical(name, dataType, valid, missing, invalidAsIs);
        }
        throw new NotEligible("input \"" + name + "\" is " + opType + " " + dataType);
    }

    /** A {@code Value} that declares NaN a missing value. */
    private static boolean isMissingNaN(Value value) {
        return value.getProperty() == Value.Property.MISSING && "NaN".equals(String.valueOf(value.requireValue()));
    }
}
