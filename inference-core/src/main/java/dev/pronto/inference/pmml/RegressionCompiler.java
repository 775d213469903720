package dev.pronto.inference.pmml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.google.common.collect.BoundType;
import com.google.common.collect.Range;
import com.google.common.collect.RangeSet;
import org.dmg.pmml.Apply;
import org.dmg.pmml.Constant;
import org.dmg.pmml.DataField;
import org.dmg.pmml.DataType;
import org.dmg.pmml.DerivedField;
import org.dmg.pmml.Expression;
import org.dmg.pmml.FieldRef;
import org.dmg.pmml.MathContext;
import org.dmg.pmml.MiningField;
import org.dmg.pmml.MiningFunction;
import org.dmg.pmml.OpType;
import org.dmg.pmml.OutlierTreatmentMethod;
import org.dmg.pmml.Output;
import org.dmg.pmml.PMMLFunctions;
import org.dmg.pmml.ResultFeature;
import org.dmg.pmml.Value;
import org.dmg.pmml.regression.CategoricalPredictor;
import org.dmg.pmml.regression.NumericPredictor;
import org.dmg.pmml.regression.RegressionModel;
import org.dmg.pmml.regression.RegressionTable;
import org.jpmml.evaluator.Evaluator;
import org.jpmml.evaluator.ExpressionUtil;
import org.jpmml.evaluator.FieldUtil;
import org.jpmml.evaluator.FieldValue;
import org.jpmml.evaluator.InputField;
import org.jpmml.evaluator.ModelEvaluator;
import org.jpmml.evaluator.OutputField;
import org.jpmml.evaluator.TargetField;
import org.jpmml.evaluator.TypeUtil;

import dev.pronto.inference.pmml.CompiledRegression.Input;
import dev.pronto.inference.pmml.CompiledRegression.Node;
import dev.pronto.inference.pmml.CompiledRegression.Normalization;
import dev.pronto.inference.pmml.CompiledRegression.Source;

/**
 * Decides whether a loaded model has the narrow shape {@link CompiledRegression} mirrors exactly,
 * and builds it from the PMML objects jpmml itself evaluates (after its load-time parsing, so
 * coefficients, constants and category values are the very objects jpmml uses).
 *
 * <p>Eligible: a {@code RegressionModel} with math context double and no {@code Targets}; either
 * regression (one table, a double continuous target) or classification (a categorical target, one
 * table per category); only NumericPredictors (on continuous double inputs or DerivedFields) and
 * CategoricalPredictors (on categorical string inputs that declare their valid values); DerivedFields
 * of type double built from {@code + - * / pow sum avg log10 ln exp sqrt abs}, field references and
 * numeric constants; inputs whose MiningField keeps outliers as they are; output fields of feature
 * {@code probability} (with a value) or {@code predictedValue}. Everything else stays on jpmml.
 */
final class RegressionCompiler {

    /** The compiled scorer, or why the model is left to jpmml. */
    record Result(CompiledRegression scorer, String reason) {
    }

    /** A model part the compiled code does not mirror; the message says which. */
    private static final class NotEligible extends RuntimeException {
        NotEligible(String message) {
            super(message, null, false, false);
        }
    }

    private record Typed(Node node, DataType dataType) {
    }

    private final ModelEvaluator<?> evaluator;
    private final Map<String, Integer> inputIndex = new HashMap<>();
    private final List<Input> inputs = new ArrayList<>();
    private final List<Node> derived = new ArrayList<>();
    private final Map<String, Integer> derivedSlots = new HashMap<>();
    private final Set<String> compiling = new HashSet<>();

    private RegressionCompiler(ModelEvaluator<?> evaluator) {
        this.evaluator = evaluator;
    }

    /**
     * Compiles the model if it is eligible.
     *
     * @param resultNames the names of {@code Prediction.fields()} in order, as the jpmml path reports them
     */
    static Result compile(Evaluator evaluator, List<String> resultNames) {
        if (!(evaluator instanceof ModelEvaluator<?> modelEvaluator)
                || !(modelEvaluator.getModel() instanceof RegressionModel)) {
            String kind = evaluator instanceof ModelEvaluator<?> m ? m.getModel().getClass().getSimpleName() : "unknown";
            return new Result(null, "it is a " + kind + ", not a RegressionModel");
        }
        try {
            return new Result(new RegressionCompiler(modelEvaluator).build(resultNames), null);
        } catch (NotEligible e) {
            return new Result(null, e.getMessage());
        } catch (RuntimeException e) {
            // jpmml's own checks (missing attributes and the like): the model stays on jpmml, which reports them
            return new Result(null, "jpmml refused part of it while compiling: " + e);
        }
    }

    private CompiledRegression build(List<String> resultNames) {
        RegressionModel model = (RegressionModel) evaluator.getModel();
        require(model.isScorable(), "the model is marked not scorable");
        require(model.getMathContext() == MathContext.DOUBLE, "mathContext is " + model.getMathContext());
        require(model.getTargets() == null || !model.getTargets().hasTargets(), "it has a Targets element");
        List<TargetField> targets = evaluator.getTargetFields();
        require(targets.size() == 1, targets.size() + " target fields");
        TargetField target = targets.get(0);
        require(!target.isSynthetic() && target.getName() != null, "it has no named target field");
        require(target.getTarget() == null, "its target has a Target element");
        require(model.getTargetField() == null || model.getTargetField().equals(target.getName()),
                "its targetField attribute names another field");
        require(!model.getRegressionTables().isEmpty(), "it has no RegressionTable");

        for (InputField field : evaluator.getInputFields()) {
            inputIndex.put(field.getName(), inputs.size());
            inputs.add(input(field));
        }
        List<RegressionTable> pmmlTables = model.getRegressionTables();
        CompiledRegression.Table[] tables = new CompiledRegression.Table[pmmlTables.size()];
        for (int t = 0; t < tables.length; t++) {
            tables[t] = table(pmmlTables.get(t));
        }

        MiningFunction function = model.requireMiningFunction();
        Normalization normalization;
        Object[] labels = null;
        Object[] classes = null;
        int[] tableOfClass = null;
        if (function == MiningFunction.REGRESSION) {
            require(tables.length == 1, tables.length + " regression tables for a regression");
            require(target.getOpType() == OpType.CONTINUOUS && target.getDataType() == DataType.DOUBLE,
                    "the target is not a continuous double");
            normalization = regressionNormalization(model.getNormalizationMethod());
        } else if (function == MiningFunction.CLASSIFICATION) {
            require(target.getOpType() == OpType.CATEGORICAL, "the target is not categorical");
            List<Object> categories = target.getCategories();
            require(tables.length >= 2 && categories != null && categories.size() == tables.length,
                    "the tables do not match the target's categories one to one");
            labels = new Object[tables.length];
            classes = categories.toArray();
            tableOfClass = new int[classes.length];
            java.util.Arrays.fill(tableOfClass, -1);
            for (int t = 0; t < tables.length; t++) {
                Object category = pmmlTables.get(t).requireTargetCategory();
                int c = categories.indexOf(category);
                require(c >= 0 && tableOfClass[c] < 0, "table " + t + " has an unknown or repeated targetCategory");
                tableOfClass[c] = t;
                labels[t] = TypeUtil.parseOrCast(target.getDataType(), category);
            }
            normalization = classificationNormalization(model.getNormalizationMethod(), pmmlTables);
        } else {
            throw new NotEligible("its function is " + function);
        }

        boolean probabilities = checkOutput(model.getOutput(), target, function);
        Source[] sources = new Source[resultNames.size()];
        int[] fieldTables = new int[resultNames.size()];
        Map<String, OutputField> outputs = new HashMap<>();
        for (OutputField output : evaluator.getOutputFields()) {
            outputs.put(output.getName(), output);
        }
        for (int f = 0; f < sources.length; f++) {
            String name = resultNames.get(f);
            OutputField output = outputs.get(name);
            if (output == null) {
                require(name.equals(target.getName()), "result field \"" + name + "\" is neither target nor output");
                sources[f] = Source.TARGET;
            } else if (output.getField().getResultFeature() == ResultFeature.PREDICTED_VALUE) {
                sources[f] = Source.TARGET;
            } else {
                // OutputUtil.getProbability: ValueMap.get(value); a category without a table gives 0.0
                Object value = output.getField().requireValue();
                sources[f] = Source.ZERO;
                for (int t = 0; t < pmmlTables.size(); t++) {
                    if (Objects.equals(value, pmmlTables.get(t).requireTargetCategory())) {
                        sources[f] = Source.PROBABILITY;
                        fieldTables[f] = t;
                    }
                }
            }
        }
        return new CompiledRegression(inputs.toArray(new Input[0]), derived.toArray(new Node[0]), tables,
                normalization, labels, classes, tableOfClass, probabilities, List.copyOf(resultNames), sources, fieldTables);
    }

    private Input input(InputField field) {
        String name = field.getName();
        require(field.getField() instanceof DataField, "input \"" + name + "\" is not a DataField");
        DataField dataField = (DataField) field.getField();
        MiningField miningField = field.getMiningField();
        require(miningField.getUsageType() == MiningField.UsageType.ACTIVE, "input \"" + name + "\" is not active");
        require(miningField.getOpType() == null, "input \"" + name + "\" has its optype overridden");
        // only the treatment of valid values matters: missing and invalid values go to jpmml
        require(miningField.getOutlierTreatment() == OutlierTreatmentMethod.AS_IS,
                "input \"" + name + "\" treats outliers");
        OpType opType = dataField.requireOpType();
        DataType dataType = dataField.requireDataType();
        if (opType == OpType.CONTINUOUS && dataType == DataType.DOUBLE) {
            require(!dataField.hasValues(), "input \"" + name + "\" lists Values");
            if (!dataField.hasIntervals()) {
                return new Input(name, false, null, null, null, null, null);
            }
            RangeSet<Double> valid = FieldUtil.getValidRanges(dataField);
            require(!valid.isEmpty(), "input \"" + name + "\" has no valid range");
            List<Range<Double>> ranges = new ArrayList<>(valid.asRanges());
            double[] lower = new double[ranges.size()];
            double[] upper = new double[ranges.size()];
            boolean[] lowerClosed = new boolean[ranges.size()];
            boolean[] upperClosed = new boolean[ranges.size()];
            for (int r = 0; r < ranges.size(); r++) {
                Range<Double> range = ranges.get(r);
                lower[r] = range.hasLowerBound() ? range.lowerEndpoint() : Double.NEGATIVE_INFINITY;
                lowerClosed[r] = !range.hasLowerBound() || range.lowerBoundType() == BoundType.CLOSED;
                upper[r] = range.hasUpperBound() ? range.upperEndpoint() : Double.POSITIVE_INFINITY;
                upperClosed[r] = !range.hasUpperBound() || range.upperBoundType() == BoundType.CLOSED;
            }
            return new Input(name, false, lower, lowerClosed, upper, upperClosed, null);
        }
        if (opType == OpType.CATEGORICAL && dataType == DataType.STRING) {
            require(dataField.hasValues() && !dataField.hasIntervals(), "input \"" + name + "\" does not list its valid values");
            List<String> valid = new ArrayList<>();
            for (Value value : dataField.getValues()) {
                require(value.getProperty() == Value.Property.VALID, "input \"" + name + "\" lists invalid or missing values");
                valid.add((String) TypeUtil.parseOrCast(DataType.STRING, value.requireValue()));
            }
            return new Input(name, true, null, null, null, null, List.copyOf(valid));
        }
        throw new NotEligible("input \"" + name + "\" is " + opType + " " + dataType);
    }

    private CompiledRegression.Table table(RegressionTable table) {
        require(!table.hasPredictorTerms(), "a table has PredictorTerms");
        List<NumericPredictor> numeric = table.hasNumericPredictors() ? table.getNumericPredictors() : List.of();
        int[] slots = new int[numeric.size()];
        double[] coefficients = new double[numeric.size()];
        int[] exponents = new int[numeric.size()];
        for (int i = 0; i < slots.length; i++) {
            NumericPredictor predictor = numeric.get(i);
            Typed value = field(predictor.requireField());
            require(value.node() instanceof CompiledRegression.SlotNode, "predictor on a constant");
            require(value.dataType() == DataType.DOUBLE, "predictor \"" + predictor.requireField() + "\" is not double");
            slots[i] = ((CompiledRegression.SlotNode) value.node()).slot();
            coefficients[i] = predictor.requireCoefficient().doubleValue();
            exponents[i] = predictor.getExponent();
        }
        List<CategoricalPredictor> categorical = table.hasCategoricalPredictors() ? table.getCategoricalPredictors() : List.of();
        int[] categoricalInputs = new int[categorical.size()];
        int[] categoricalValues = new int[categorical.size()];
        double[] categoricalCoefficients = new double[categorical.size()];
        for (int i = 0; i < categorical.size(); i++) {
            CategoricalPredictor predictor = categorical.get(i);
            String name = predictor.requireField();
            Integer index = evaluator.getMiningField(name) == null ? null : inputIndex.get(name);
            require(index != null && inputs.get(index).categorical(), "categorical predictor \"" + name + "\" is not on a categorical input");
            categoricalInputs[i] = index;
            // FieldValue.equalsValue: the predictor's value parsed or cast to the field's type (string)
            Object value = TypeUtil.parseOrCast(DataType.STRING, predictor.requireValue());
            int valueIndex = inputs.get(index).validValues().indexOf(value);
            // a value no valid input can equal never matches
            categoricalValues[i] = valueIndex >= 0 ? valueIndex : -2;
            categoricalCoefficients[i] = predictor.requireCoefficient().doubleValue();
        }
        return new CompiledRegression.Table(table.requireIntercept().doubleValue(), slots, coefficients, exponents,
                categoricalInputs, categoricalValues, categoricalCoefficients);
    }

    /** Resolves a field name as {@code ModelEvaluationContext.resolve} does: MiningField, local, then global DerivedField. */
    private Typed field(String name) {
        if (evaluator.getMiningField(name) != null) {
            Integer index = inputIndex.get(name);
            require(index != null, "field \"" + name + "\" is not an active input");
            require(!inputs.get(index).categorical(), "field \"" + name + "\" is categorical");
            return new Typed(new CompiledRegression.SlotNode(index), DataType.DOUBLE);
        }
        Integer slot = derivedSlots.get(name);
        if (slot != null) {
            return new Typed(new CompiledRegression.SlotNode(slot), DataType.DOUBLE);
        }
        DerivedField field = evaluator.getLocalDerivedField(name);
        if (field == null) {
            field = evaluator.getDerivedField(name);
        }
        require(field != null, "field \"" + name + "\" is unknown");
        require(field.requireDataType() == DataType.DOUBLE && field.requireOpType() == OpType.CONTINUOUS,
                "derived field \"" + name + "\" is not a continuous double");
        require(compiling.add(name), "derived field \"" + name + "\" refers to itself");
        Typed expression = expression(field.requireExpression());
        compiling.remove(name);
        // the DerivedField's cast to double: Number.doubleValue() of a double or an integer
        require(expression.dataType() == DataType.DOUBLE || expression.dataType() == DataType.INTEGER,
                "derived field \"" + name + "\" is not numeric");
        int newSlot = inputs.size() + derived.size();
        derived.add(expression.node());
        derivedSlots.put(name, newSlot);
        return new Typed(new CompiledRegression.SlotNode(newSlot), DataType.DOUBLE);
    }

    private Typed expression(Expression expression) {
        if (expression instanceof Constant constant) {
            FieldValue value = ExpressionUtil.evaluateConstant(constant);
            require(value != null, "a constant is missing");
            DataType type = value.getDataType();
            require(type == DataType.DOUBLE || type == DataType.INTEGER, "a constant is " + type);
            return new Typed(new CompiledRegression.ConstantNode(value.asNumber().doubleValue()), type);
        }
        if (expression instanceof FieldRef ref) {
            return field(ref.requireField());
        }
        if (expression instanceof Apply apply) {
            return apply(apply);
        }
        throw new NotEligible("it uses the expression " + expression.getClass().getSimpleName());
    }

    private Typed apply(Apply apply) {
        String function = apply.requireFunction();
        List<Typed> arguments = new ArrayList<>();
        for (Expression argument : apply.getExpressions()) {
            arguments.add(expression(argument));
        }
        boolean anyDouble = arguments.stream().anyMatch(a -> a.dataType() == DataType.DOUBLE);
        Node[] nodes = arguments.stream().map(Typed::node).toArray(Node[]::new);
        switch (function) {
            case PMMLFunctions.ADD, PMMLFunctions.SUBTRACT, PMMLFunctions.MULTIPLY, PMMLFunctions.DIVIDE, PMMLFunctions.POW -> {
                // with two integers jpmml does integer arithmetic; with a double, double arithmetic
                require(nodes.length == 2 && anyDouble, "function " + function + " is not applied to two numbers, one a double");
                int op = switch (function) {
                    case PMMLFunctions.ADD -> CompiledRegression.BinaryNode.ADD;
                    case PMMLFunctions.SUBTRACT -> CompiledRegression.BinaryNode.SUBTRACT;
                    case PMMLFunctions.MULTIPLY -> CompiledRegression.BinaryNode.MULTIPLY;
                    case PMMLFunctions.DIVIDE -> CompiledRegression.BinaryNode.DIVIDE;
                    default -> CompiledRegression.BinaryNode.POW;
                };
                return new Typed(new CompiledRegression.BinaryNode(op, nodes[0], nodes[1]), DataType.DOUBLE);
            }
            case PMMLFunctions.SUM -> {
                // a sum of integers is cast back to integer by jpmml
                require(nodes.length >= 1 && anyDouble, "sum has no double argument");
                return new Typed(new CompiledRegression.AggregateNode(false, nodes), DataType.DOUBLE);
            }
            case PMMLFunctions.AVG -> {
                require(nodes.length >= 1, "avg has no argument");
                return new Typed(new CompiledRegression.AggregateNode(true, nodes), DataType.DOUBLE);
            }
            case PMMLFunctions.LOG10, PMMLFunctions.LN, PMMLFunctions.EXP, PMMLFunctions.SQRT -> {
                require(nodes.length == 1, "function " + function + " takes one argument");
                int op = switch (function) {
                    case PMMLFunctions.LOG10 -> CompiledRegression.UnaryNode.LOG10;
                    case PMMLFunctions.LN -> CompiledRegression.UnaryNode.LN;
                    case PMMLFunctions.EXP -> CompiledRegression.UnaryNode.EXP;
                    default -> CompiledRegression.UnaryNode.SQRT;
                };
                return new Typed(new CompiledRegression.UnaryNode(op, nodes[0]), DataType.DOUBLE);
            }
            case PMMLFunctions.ABS -> {
                // abs keeps its argument's type: only doubles stay doubles
                require(nodes.length == 1 && anyDouble, "abs is not applied to a double");
                return new Typed(new CompiledRegression.UnaryNode(CompiledRegression.UnaryNode.ABS, nodes[0]), DataType.DOUBLE);
            }
            default -> throw new NotEligible("it applies the function " + function);
        }
    }

    private static Normalization regressionNormalization(RegressionModel.NormalizationMethod method) {
        return switch (method) {
            case NONE -> Normalization.REGRESSION_NONE;
            case SOFTMAX, LOGIT -> Normalization.REGRESSION_LOGIT;
            case EXP -> Normalization.REGRESSION_EXP;
            case CLOGLOG -> Normalization.REGRESSION_CLOGLOG;
            case LOGLOG -> Normalization.REGRESSION_LOGLOG;
            case CAUCHIT -> Normalization.REGRESSION_CAUCHIT;
            default -> throw new NotEligible("normalizationMethod " + method + " for a regression");
        };
    }

    /** {@code RegressionTableUtil.evaluateClassification} for a categorical target. */
    private static Normalization classificationNormalization(RegressionModel.NormalizationMethod method,
            List<RegressionTable> tables) {
        if (tables.size() == 2) {
            return switch (method) {
                case NONE -> Normalization.BINOMIAL_NONE;
                case LOGIT -> Normalization.BINOMIAL_LOGIT;
                case CLOGLOG -> Normalization.BINOMIAL_CLOGLOG;
                case LOGLOG -> Normalization.BINOMIAL_LOGLOG;
                case CAUCHIT -> Normalization.BINOMIAL_CAUCHIT;
                case SIMPLEMAX -> Normalization.MULTINOMIAL_SIMPLEMAX;
                // jpmml's non-standard rule: softmax with an empty second table is a binary logit
                case SOFTMAX -> isDefault(tables.get(1)) ? Normalization.BINOMIAL_LOGIT : Normalization.MULTINOMIAL_SOFTMAX;
                default -> throw new NotEligible("normalizationMethod " + method + " for two classes");
            };
        }
        return switch (method) {
            case NONE -> Normalization.MULTINOMIAL_NONE;
            case SIMPLEMAX -> Normalization.MULTINOMIAL_SIMPLEMAX;
            case SOFTMAX -> Normalization.MULTINOMIAL_SOFTMAX;
            case LOGIT -> Normalization.MULTINOMIAL_LOGIT;
            default -> throw new NotEligible("normalizationMethod " + method + " for " + tables.size() + " classes");
        };
    }

    private static boolean isDefault(RegressionTable table) {
        return !table.hasNumericPredictors() && !table.hasCategoricalPredictors() && !table.hasPredictorTerms()
                && table.requireIntercept().doubleValue() == 0d;
    }

    /**
     * Checks every output field, final or not, and tells whether the model's classification is a
     * probability distribution ({@code ModelEvaluator.createClassification}).
     */
    private static boolean checkOutput(Output output, TargetField target, MiningFunction function) {
        boolean probabilities = false;
        if (output == null || !output.hasOutputFields()) {
            return false;
        }
        for (org.dmg.pmml.OutputField field : output.getOutputFields()) {
            String name = field.requireName();
            require(field.getSegmentId() == null && field.getExpression() == null,
                    "output field \"" + name + "\" has a segment or an expression");
            require(field.getTargetField() == null || field.getTargetField().equals(target.getName()),
                    "output field \"" + name + "\" names another target");
            ResultFeature feature = field.getResultFeature();
            if (feature == ResultFeature.PROBABILITY) {
                require(function == MiningFunction.CLASSIFICATION && field.getValue() != null,
                        "output field \"" + name + "\" is a probability without a value");
                require(field.getDataType() == null || field.getDataType() == DataType.DOUBLE,
                        "output field \"" + name + "\" is not a double");
                probabilities = true;
            } else if (feature == ResultFeature.PREDICTED_VALUE) {
                require(field.getDataType() == null || field.getDataType() == target.getDataType(),
                        "output field \"" + name + "\" changes the predicted value's type");
            } else {
                throw new NotEligible("output field \"" + name + "\" has feature " + feature.value());
            }
        }
        return probabilities;
    }

    private static void require(boolean condition, String reason) {
        if (!condition) {
            throw new NotEligible(reason);
        }
    }
}
