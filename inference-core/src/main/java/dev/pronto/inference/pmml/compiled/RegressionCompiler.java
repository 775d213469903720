package dev.pronto.inference.pmml.compiled;

import static dev.pronto.inference.pmml.compiled.NotEligible.require;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToIntFunction;

import org.dmg.pmml.DataType;
import org.dmg.pmml.FieldRef;
import org.dmg.pmml.MathContext;
import org.dmg.pmml.MiningFunction;
import org.dmg.pmml.OpType;
import org.dmg.pmml.regression.CategoricalPredictor;
import org.dmg.pmml.regression.NumericPredictor;
import org.dmg.pmml.regression.PredictorTerm;
import org.dmg.pmml.regression.RegressionModel;
import org.dmg.pmml.regression.RegressionTable;
import org.jpmml.evaluator.ModelEvaluator;
import org.jpmml.evaluator.TargetField;
import org.jpmml.evaluator.TypeUtil;

import dev.pronto.inference.pmml.compiled.RegressionScorer.Classes;

/**
 * Decides whether a {@code RegressionModel} has the narrow shape {@link RegressionScorer} mirrors
 * exactly, and builds the scorer from the PMML objects jpmml itself evaluates.
 *
 * <p>Eligible: math context double and no {@code Targets}; either regression (one table, a double
 * continuous target) or classification (a categorical target, one table per category); only
 * NumericPredictors (on numeric inputs or DerivedFields; exponent not 0), CategoricalPredictors (on
 * categorical inputs; in a stacking chain also on categorical DerivedFields) and PredictorTerms of one
 * or two factors, with inputs and DerivedFields as {@link FieldCompiler} takes them; output fields of
 * feature {@code probability} (with a value) or {@code predictedValue}. Anything else throws
 * {@link NotEligible}.
 */
final class RegressionCompiler {

    private RegressionCompiler() {
    }

    /**
     * Builds the scorer of an eligible model.
     *
     * @param resultNames the names of {@code Prediction.fields()} in order, as the jpmml path reports them
     * @throws NotEligible naming the first part of the model that is not mirrored
     */
    static RegressionScorer compile(ModelEvaluator<?> evaluator, RegressionModel model, List<String> resultNames) {
        require(model.isScorable(), "the model is marked not scorable");
        List<TargetField> targets = evaluator.getTargetFields();
        require(targets.size() == 1, targets.size() + " target fields");
        TargetField target = targets.get(0);
        require(!target.isSynthetic() && target.getName() != null, "it has no named target field");
        require(target.getTarget() == null, "its target has a Target element");
        return build(evaluator, model, target, new FieldCompiler(evaluator, false), null, resultNames);
    }

    /**
     * Builds the scorer of a RegressionModel whose NumericPredictors may name, beside the model's
     * fields, slots computed before the tables (the outputs of the models before it in a chain).
     *
     * @param numericSlot the slot of a NumericPredictor's field; {@code null} for the model's own fields
     */
    static RegressionScorer build(ModelEvaluator<?> evaluator, RegressionModel model, TargetField target,
            FieldCompiler fields, ToIntFunction<String> numericSlot, List<String> resultNames) {
        require(model.getMathContext() == MathContext.DOUBLE, "mathContext is " + model.getMathContext());
        require(model.getTargets() == null || !model.getTargets().hasTargets(), "it has a Targets element");
        require(model.getTargetField() == null || model.getTargetField().equals(target.getName()),
                "its targetField attribute names another field");
        require(!model.getRegressionTables().isEmpty(), "it has no RegressionTable");
        ToIntFunction<String> numeric = numericSlot == null ? fields::numericSlot : numericSlot;
        List<RegressionTable> pmmlTables = model.getRegressionTables();
        LinearTable[] tables = new LinearTable[pmmlTables.size()];
        for (int t = 0; t < tables.length; t++) {
            tables[t] = table(pmmlTables.get(t), fields, numeric);
        }

        MiningFunction function = model.requireMiningFunction();
        Normalization normalization;
        Classes classes = null;
        if (function == MiningFunction.REGRESSION) {
            require(tables.length == 1, tables.length + " regression tables for a regression");
            require(target.getOpType() == OpType.CONTINUOUS && target.getDataType() == DataType.DOUBLE,
                    "the target is not a continuous double");
            normalization = regressionNormalization(model.getNormalizationMethod());
        } else if (function == MiningFunction.CLASSIFICATION) {
            classes = classes(target, pmmlTables);
            normalization = classificationNormalization(model.getNormalizationMethod(), pmmlTables);
        } else {
            throw new NotEligible("its function is " + function);
        }
        boolean probabilities = ResultField.checkOutput(model.getOutput(), target, function);
        return new RegressionScorer(fields.build(), tables, normalization, classes, probabilities,
                ResultField.of(evaluator, target, pmmlTables.stream().map(RegressionTable::getTargetCategory).toList(), resultNames));
    }

    static Classes classes(TargetField target, List<RegressionTable> pmmlTables) {
        require(target.getOpType() == OpType.CATEGORICAL, "the target is not categorical");
        List<Object> categories = target.getCategories();
        int count = pmmlTables.size();
        require(count >= 2 && categories != null && categories.size() == count,
                "the tables do not match the target's categories one to one");
        Object[] labels = new Object[count];
        int[] tableOfClass = new int[count];
        Arrays.fill(tableOfClass, -1);
        for (int t = 0; t < count; t++) {
            Object category = pmmlTables.get(t).requireTargetCategory();
            int c = categories.indexOf(category);
            require(c >= 0 && tableOfClass[c] < 0, "table " + t + " has an unknown or repeated targetCategory");
            tableOfClass[c] = t;
            labels[t] = TypeUtil.parseOrCast(target.getDataType(), category);
        }
        return new Classes(labels, categories.toArray(), tableOfClass);
    }

    /**
     * One table; also the embedded regression of a linear tree's node ({@link TreeCompiler}) and the
     * members of a stacking chain ({@link StackingCompiler}).
     *
     * @param numericSlot the slot of a NumericPredictor's or a PredictorTerm factor's field
     */
    static LinearTable table(RegressionTable table, FieldScope fields, ToIntFunction<String> numericSlot) {
        List<NumericPredictor> numeric = table.hasNumericPredictors() ? table.getNumericPredictors() : List.of();
        int[] slots = new int[numeric.size()];
        double[] coefficients = new double[numeric.size()];
        int[] exponents = new int[numeric.size()];
        for (int i = 0; i < slots.length; i++) {
            NumericPredictor predictor = numeric.get(i);
            slots[i] = numericSlot.applyAsInt(predictor.requireField());
            coefficients[i] = predictor.requireCoefficient().doubleValue();
            exponents[i] = predictor.getExponent();
            // Math.pow(NaN, 0) is 1, where jpmml's table is missing for a missing value
            require(exponents[i] != 0, "a NumericPredictor of \"" + predictor.requireField() + "\" has exponent 0");
        }
        List<CategoricalPredictor> categorical = table.hasCategoricalPredictors() ? table.getCategoricalPredictors() : List.of();
        int[] categoricalInputs = new int[categorical.size()];
        int[] categoricalValues = new int[categorical.size()];
        double[] categoricalCoefficients = new double[categorical.size()];
        for (int i = 0; i < categorical.size(); i++) {
            CategoricalPredictor predictor = categorical.get(i);
            String name = predictor.requireField();
            categoricalInputs[i] = categoricalField(fields, name);
            categoricalValues[i] = categoricalValue(fields, name, categoricalInputs[i], predictor.requireValue());
            categoricalCoefficients[i] = predictor.requireCoefficient().doubleValue();
        }
        List<PredictorTerm> terms = table.hasPredictorTerms() ? table.getPredictorTerms() : List.of();
        int[][] termSlots = new int[terms.size()][];
        double[] termCoefficients = new double[terms.size()];
        for (int i = 0; i < terms.size(); i++) {
            PredictorTerm term = terms.get(i);
            List<FieldRef> factors = term.requireFieldRefs();
            // DoubleValue.add(c, x) and add(c, x1, x2) are mirrored; three or more factors multiply in another order
            require(factors.size() == 1 || factors.size() == 2, "a PredictorTerm has " + factors.size() + " factors");
            termSlots[i] = new int[factors.size()];
            for (int f = 0; f < factors.size(); f++) {
                // ExpressionUtil.evaluate(FieldRef): mapMissingTo would turn a missing factor into a value
                require(factors.get(f).getMapMissingTo() == null, "a PredictorTerm's field reference maps missing values");
                termSlots[i][f] = numericSlot.applyAsInt(factors.get(f).requireField());
            }
            termCoefficients[i] = term.requireCoefficient().doubleValue();
        }
        return new LinearTable(table.requireIntercept().doubleValue(), slots, coefficients, exponents,
                categoricalInputs, categoricalValues, categoricalCoefficients, termSlots, termCoefficients);
    }

    /** The category index of a CategoricalPredictor's field: a categorical input, or a categorical DerivedField. */
    private static int categoricalField(FieldScope fields, String name) {
        if (fields.isCategoricalInput(name)) {
            return fields.categoricalInput(name);
        }
        require(fields.isCategorical(name), "categorical predictor \"" + name + "\" is not on a categorical input");
        return fields.categoricalIndex(name);
    }

    /** {@code FieldValue.equals(HasValue)}: the predictor's value parsed or cast to the field's type. */
    private static int categoricalValue(FieldScope fields, String name, int index, Object value) {
        if (!fields.isCategoricalInput(name)) {
            // a DerivedField's values are the ones its predictors name; any other value it takes matches none
            return fields.categoryOf(index, value);
        }
        int valueIndex = fields.categorical(index).indexOf(value);
        // an invalid value kept as it is (asIs) could equal a predictor's value that is not a valid one
        require(valueIndex >= 0 || !fields.categorical(index).invalidAsIs(),
                "a CategoricalPredictor of \"" + name + "\" names a value that is not valid");
        return valueIndex >= 0 ? valueIndex : LinearTable.NO_VALUE;
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
    static Normalization classificationNormalization(RegressionModel.NormalizationMethod method,
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
}
