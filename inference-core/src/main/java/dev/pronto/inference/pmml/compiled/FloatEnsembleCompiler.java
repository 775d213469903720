package dev.pronto.inference.pmml.compiled;

import static dev.pronto.inference.pmml.compiled.NotEligible.require;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.dmg.pmml.DataType;
import org.dmg.pmml.MathContext;
import org.dmg.pmml.MiningFunction;
import org.dmg.pmml.Model;
import org.dmg.pmml.OpType;
import org.dmg.pmml.Output;
import org.dmg.pmml.OutputField;
import org.dmg.pmml.ResultFeature;
import org.dmg.pmml.Target;
import org.dmg.pmml.True;
import org.dmg.pmml.mining.MiningModel;
import org.dmg.pmml.mining.Segment;
import org.dmg.pmml.mining.Segmentation;
import org.dmg.pmml.regression.NumericPredictor;
import org.dmg.pmml.regression.RegressionModel;
import org.dmg.pmml.regression.RegressionTable;
import org.dmg.pmml.tree.TreeModel;
import org.jpmml.evaluator.ModelEvaluator;
import org.jpmml.evaluator.TargetField;

/**
 * Compiles a MiningModel in {@code x-mathContext="float"}, as JPMML-XGBoost writes every XGBoost
 * model, into a {@link FloatScorer}: a regression sum of trees alone ({@link FloatSum}), or a
 * {@code modelChain} of such sums (one per class, or one) and a link {@code RegressionModel}
 * ({@link FloatLink}).
 *
 * <p>Eligible: every model part in math context float; sums ({@code sum} or {@code weightedSum} with
 * weights that are not negative) of regression TreeModels with {@code True} predicates, as
 * {@link TreeCompiler} takes them, with a {@code Target} that only rescales; each chain member hands
 * its value on through one non-final float {@code predictedValue} output field; the link is a
 * RegressionModel with NumericPredictors of exponent 1 on those fields only, for classification
 * (two tables with logit, or softmax) or regression (none, exp or logit), with no Targets; the
 * target's and outputs' types as XGBoost declares them (a float regression target; a classification's
 * {@code probability} outputs declared float). Inputs as {@link FieldCompiler} takes them. Anything
 * else throws {@link NotEligible}.
 */
final class FloatEnsembleCompiler {

    private FloatEnsembleCompiler() {
    }

    static FloatScorer compile(ModelEvaluator<?> evaluator, MiningModel model, TargetField target, List<String> resultNames) {
        require(model.getMathContext() == MathContext.FLOAT, "mathContext is " + model.getMathContext());
        FieldCompiler fields = new FieldCompiler(evaluator, true);
        Segmentation segmentation = model.requireSegmentation();
        if (segmentation.requireMultipleModelMethod() != Segmentation.MultipleModelMethod.MODEL_CHAIN) {
            // a regression ensemble alone (XGBoost's regressors without a link)
            require(model.requireMiningFunction() == MiningFunction.REGRESSION, "a float ensemble is not a regression");
            requireFloatTarget(target);
            ResultField.checkOutput(model.getOutput(), target, MiningFunction.REGRESSION);
            FloatSum sum = sum(fields, model);
            return new FloatScorer(fields.build(), new FloatSum[] {sum}, null, null,
                    TreeEnsembleCompiler.usesComplexTrees(evaluator, model),
                    ResultField.of(evaluator, target, List.of(), resultNames),
                    "MiningModel of " + sum.treeCount() + " trees in float");
        }
        require(model.getTargets() == null || !model.getTargets().hasTargets(), "its model chain has a Targets element");
        require(model.getOutput() == null || !model.getOutput().hasOutputFields(), "its model chain has output fields of its own");
        require(segmentation.getLocalTransformations() == null
                || !segmentation.getLocalTransformations().hasDerivedFields(), "its segmentation has local transformations");
        List<Segment> segments = segmentation.requireSegments();
        require(segments.size() >= 2, "its model chain has " + segments.size() + " segments");
        List<FloatSum> members = new ArrayList<>();
        Map<String, Integer> chained = new HashMap<>();
        int base = fields.build().slotCount();
        for (Segment segment : segments.subList(0, segments.size() - 1)) {
            require(segment.requirePredicate() instanceof True, "a segment's predicate is not True");
            Model member = segment.requireModel();
            require(member instanceof MiningModel, "a member of its model chain is a " + member.getClass().getSimpleName());
            String output = memberOutput(member);
            require(chained.put(output, base + members.size()) == null, "two members output \"" + output + "\"");
            members.add(sum(fields, (MiningModel) member));
        }
        require(fields.build().slotCount() == base, "a member derives fields");
        Segment last = segments.get(segments.size() - 1);
        require(last.requirePredicate() instanceof True && last.requireModel() instanceof RegressionModel,
                "the last segment of its model chain is not a RegressionModel");
        RegressionModel regression = (RegressionModel) last.requireModel();
        FloatLink link = link(regression, model.requireMiningFunction(), chained);
        RegressionScorer.Classes classes = null;
        List<Object> tableKeys = regression.getRegressionTables().stream().map(RegressionTable::getTargetCategory).toList();
        if (link.isClassification()) {
            classes = RegressionCompiler.classes(target, regression.getRegressionTables());
            requireFloatProbabilities(regression.getOutput(), target);
        } else {
            requireFloatTarget(target);
            require(regression.getOutput() == null || !regression.getOutput().hasOutputFields(), "the link has output fields");
        }
        List<ResultField> results = ResultField.of(evaluator, target, link.isClassification() ? tableKeys : List.of(), resultNames);
        for (ResultField result : results) {
            require(result.source() != ResultField.Source.ZERO, "output field \"" + result.name() + "\" names no class of the model");
        }
        int trees = members.stream().mapToInt(FloatSum::treeCount).sum();
        return new FloatScorer(fields.build(), members.toArray(new FloatSum[0]), link, classes, false, results,
                "MiningModel chain of " + members.size() + " boosted ensembles of " + trees + " trees in float and a RegressionModel ("
                        + regression.getNormalizationMethod().value() + ")");
    }

    /** A float regression sum of trees, with its Target rescaling. */
    private static FloatSum sum(FieldCompiler fields, MiningModel mining) {
        require(mining.getMathContext() == MathContext.FLOAT, "a member's mathContext is " + mining.getMathContext());
        require(mining.requireMiningFunction() == MiningFunction.REGRESSION, "a member is not a regression");
        require(mining.getLocalTransformations() == null || !mining.getLocalTransformations().hasDerivedFields(),
                "a member has local transformations");
        TreeCompiler.requirePlainFields(mining);
        Segmentation segmentation = mining.requireSegmentation();
        require(segmentation.getLocalTransformations() == null
                || !segmentation.getLocalTransformations().hasDerivedFields(), "its segmentation has local transformations");
        Segmentation.MultipleModelMethod method = segmentation.requireMultipleModelMethod();
        require(method == Segmentation.MultipleModelMethod.SUM || method == Segmentation.MultipleModelMethod.WEIGHTED_SUM,
                "its segmentation method is " + method.value() + " in float");
        List<Segment> segments = segmentation.requireSegments();
        require(!segments.isEmpty(), "it has no segments");
        TreeCompiler compiler = new TreeCompiler(fields, null, DataType.DOUBLE, false, MathContext.FLOAT);
        Tree[] trees = new Tree[segments.size()];
        float[] weights = new float[trees.length];
        boolean[] weighted = new boolean[trees.length];
        for (int i = 0; i < trees.length; i++) {
            Segment segment = segments.get(i);
            require(segment.requirePredicate() instanceof True, "a segment's predicate is not True");
            require(segment.requireModel() instanceof TreeModel, "a segment is a " + segment.requireModel().getClass().getSimpleName());
            trees[i] = compiler.compile((TreeModel) segment.requireModel(), true);
            Number weight = segment.getWeight();
            // ValueAggregator.add(value, weight) refuses a negative weight and skips the product for a weight of 1
            require(weight.doubleValue() >= 0d, "a segment's weight is negative");
            weights[i] = weight.floatValue();
            weighted[i] = method == Segmentation.MultipleModelMethod.WEIGHTED_SUM && weight.doubleValue() != 1d;
        }
        if (mining.getTargets() == null || !mining.getTargets().hasTargets()) {
            return new FloatSum(trees, weights, weighted, false, 1f, 0f);
        }
        List<Target> targets = mining.getTargets().getTargets();
        require(targets.size() == 1, "it has " + targets.size() + " Target elements");
        Target target = targets.get(0);
        require(target.getMin() == null && target.getMax() == null && target.getCastInteger() == null
                && !target.hasTargetValues(), "its Target does more than rescale");
        return new FloatSum(trees, weights, weighted, true, target.getRescaleFactor().floatValue(),
                target.getRescaleConstant().floatValue());
    }

    /** A chain member's one output: its value as a non-final float. */
    private static String memberOutput(Model member) {
        require(member.getOutput() != null && member.getOutput().getOutputFields().size() == 1,
                "a member of its model chain does not output exactly one field");
        OutputField output = member.getOutput().getOutputFields().get(0);
        require(output.getResultFeature() == ResultFeature.PREDICTED_VALUE && output.getExpression() == null
                && output.getSegmentId() == null && output.getTargetField() == null && !output.isFinalResult()
                && output.getDataType() == DataType.FLOAT,
                "a member's output field \"" + output.requireName() + "\" is not its value as a non-final float");
        return output.requireName();
    }

    private static FloatLink link(RegressionModel regression, MiningFunction function, Map<String, Integer> chained) {
        require(regression.getMathContext() == MathContext.FLOAT, "the link's mathContext is " + regression.getMathContext());
        require(regression.requireMiningFunction() == function, "the link's function is " + regression.getMiningFunction());
        require(regression.getTargets() == null || !regression.getTargets().hasTargets(), "the link has a Targets element");
        require(regression.getLocalTransformations() == null || !regression.getLocalTransformations().hasDerivedFields(),
                "the link has local transformations");
        TreeCompiler.requirePlainFields(regression);
        List<RegressionTable> tables = regression.getRegressionTables();
        RegressionModel.NormalizationMethod method = regression.getNormalizationMethod();
        FloatLink.Kind kind;
        if (function == MiningFunction.REGRESSION) {
            require(tables.size() == 1, tables.size() + " regression tables for a regression");
            kind = switch (method) {
                case NONE -> FloatLink.Kind.REGRESSION_NONE;
                case EXP -> FloatLink.Kind.REGRESSION_EXP;
                case LOGIT, SOFTMAX -> FloatLink.Kind.REGRESSION_LOGIT;
                default -> throw new NotEligible("normalizationMethod " + method.value() + " for a float regression");
            };
        } else {
            require(function == MiningFunction.CLASSIFICATION, "its function is " + function);
            if (tables.size() == 2 && method == RegressionModel.NormalizationMethod.LOGIT) {
                kind = FloatLink.Kind.BINOMIAL_LOGIT;
            } else {
                // two tables with softmax: jpmml's binary logit when the second is empty, not mirrored in float
                require(tables.size() > 2 && method == RegressionModel.NormalizationMethod.SOFTMAX,
                        "normalizationMethod " + method.value() + " for " + tables.size() + " classes in float");
                kind = FloatLink.Kind.SOFTMAX;
            }
        }
        int[][] slots = new int[tables.size()][];
        float[][] coefficients = new float[tables.size()][];
        float[] intercepts = new float[tables.size()];
        boolean[] withIntercept = new boolean[tables.size()];
        for (int t = 0; t < tables.size(); t++) {
            RegressionTable table = tables.get(t);
            require(!table.hasCategoricalPredictors() && !table.hasPredictorTerms(), "a link table has other than NumericPredictors");
            List<NumericPredictor> predictors = table.hasNumericPredictors() ? table.getNumericPredictors() : List.of();
            slots[t] = new int[predictors.size()];
            coefficients[t] = new float[predictors.size()];
            for (int i = 0; i < predictors.size(); i++) {
                NumericPredictor predictor = predictors.get(i);
                Integer slot = chained.get(predictor.requireField());
                require(slot != null, "the link refers to \"" + predictor.requireField() + "\", not a member's output");
                require(predictor.getExponent() == 1, "a link predictor has an exponent");
                slots[t][i] = slot;
                coefficients[t][i] = predictor.requireCoefficient().floatValue();
            }
            Number intercept = table.requireIntercept();
            intercepts[t] = intercept.floatValue();
            withIntercept[t] = intercept.doubleValue() != 0d;
        }
        return new FloatLink(kind, slots, coefficients, intercepts, withIntercept);
    }

    private static void requireFloatTarget(TargetField target) {
        require(target.getOpType() == OpType.CONTINUOUS && target.getDataType() == DataType.FLOAT,
                "the target is not a continuous float");
    }

    /** Each output of the link is a float probability of one class ({@code OutputUtil} casts it to float). */
    private static void requireFloatProbabilities(Output output, TargetField target) {
        require(target.getOpType() == OpType.CATEGORICAL, "the target is not categorical");
        if (output == null) {
            return;
        }
        for (OutputField field : output.getOutputFields()) {
            require(field.getResultFeature() == ResultFeature.PROBABILITY && field.getValue() != null
                    && field.getDataType() == DataType.FLOAT && field.getSegmentId() == null && field.getExpression() == null
                    && (field.getTargetField() == null || field.getTargetField().equals(target.getName())),
                    "output field \"" + field.requireName() + "\" is not a float probability of a class");
        }
    }
}
