package dev.pronto.inference.pmml.compiled;

import static dev.pronto.inference.pmml.compiled.NotEligible.require;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.dmg.pmml.DataType;
import org.dmg.pmml.MathContext;
import org.dmg.pmml.MiningFunction;
import org.dmg.pmml.Model;
import org.dmg.pmml.OpType;
import org.dmg.pmml.ResultFeature;
import org.dmg.pmml.Target;
import org.dmg.pmml.True;
import org.dmg.pmml.mining.MiningModel;
import org.dmg.pmml.mining.Segment;
import org.dmg.pmml.mining.Segmentation;
import org.dmg.pmml.tree.TreeModel;
import org.jpmml.evaluator.ModelEvaluator;
import org.jpmml.evaluator.TargetField;
import org.jpmml.evaluator.tree.SimpleTreeModelEvaluator;

/**
 * Decides whether a {@code TreeModel}, or a {@code MiningModel} of trees, has a shape
 * {@link TreeScorer} mirrors exactly, and builds the scorer.
 *
 * <p>Eligible: a TreeModel as {@link TreeCompiler} takes it; or a MiningModel (math context double,
 * one named target) whose segments are TreeModels
 * with a {@code True} predicate, combined by {@code average}, {@code majorityVote} or
 * {@code weightedMajorityVote} (classification), or {@code average}, {@code sum},
 * {@code weightedAverage}, {@code weightedSum} or {@code weightedMedian} with a {@code Target} that
 * only rescales (regression); a {@code modelChain} goes to {@link BoostingCompiler}. Inputs and DerivedFields as
 * {@link FieldCompiler} takes them; output fields of feature {@code probability} or
 * {@code predictedValue}; a MiningModel in float math (XGBoost's) goes to {@link FloatEnsembleCompiler}.
 * Anything else (plain medians) throws {@link NotEligible}.
 */
final class TreeEnsembleCompiler {

    private TreeEnsembleCompiler() {
    }

    /**
     * Whether jpmml scores the trees with {@code ComplexTreeModelEvaluator}, whose results carry leaf
     * ids and (for classification) probabilities, rather than {@code SimpleTreeModelEvaluator}, whose
     * results are the bare score. jpmml picks the simple one for a tree of which only predicted values
     * are asked: for a model of its own, by its output fields; for a segment, by its parent's result
     * features plus the probabilities a classification ensemble needs ({@code createSegmentModelEvaluator}).
     */
    static boolean usesComplexTrees(ModelEvaluator<?> evaluator, Model model) {
        if (model instanceof TreeModel) {
            return !(evaluator instanceof SimpleTreeModelEvaluator);
        }
        Set<ResultFeature> features = EnumSet.noneOf(ResultFeature.class);
        for (ResultFeature feature : ResultFeature.values()) {
            if (evaluator.hasResultFeature(feature)) {
                features.add(feature);
            }
        }
        if (model.requireMiningFunction() == MiningFunction.CLASSIFICATION) {
            features.add(ResultFeature.PROBABILITY);
        }
        return !EnumSet.of(ResultFeature.PREDICTED_VALUE, ResultFeature.PREDICTED_DISPLAY_VALUE).containsAll(features);
    }

    static CompiledScorer compile(ModelEvaluator<?> evaluator, Model model, List<String> resultNames) {
        require(model.isScorable(), "the model is marked not scorable");
        List<TargetField> targets = evaluator.getTargetFields();
        require(targets.size() == 1, targets.size() + " target fields");
        TargetField target = targets.get(0);
        require(!target.isSynthetic() && target.getName() != null, "it has no named target field");
        MiningFunction function = model.requireMiningFunction();
        if (model instanceof MiningModel mining && mining.getMathContext() == MathContext.FLOAT) {
            return FloatEnsembleCompiler.compile(evaluator, mining, target, resultNames);
        }
        if (model instanceof MiningModel mining
                && mining.requireSegmentation().requireMultipleModelMethod() == Segmentation.MultipleModelMethod.MODEL_CHAIN) {
            return StackingCompiler.isStacking(mining) ? StackingCompiler.compile(evaluator, mining, target, resultNames)
                    : BoostingCompiler.compile(evaluator, mining, target, resultNames);
        }
        List<Object> categories = null;
        if (function == MiningFunction.CLASSIFICATION) {
            require(target.getTarget() == null && (model.getTargets() == null || !model.getTargets().hasTargets()),
                    "it has a Targets element");
            require(target.getOpType() == OpType.CATEGORICAL && target.getCategories() != null
                    && target.getCategories().size() >= 2, "the target is not categorical with its categories");
            categories = target.getCategories();
        } else {
            require(function == MiningFunction.REGRESSION && target.getOpType() == OpType.CONTINUOUS
                    && target.getDataType() == DataType.DOUBLE, "it is neither a classification nor a double regression");
        }
        FieldCompiler fields = new FieldCompiler(evaluator, true, true);
        ResultField.checkOutput(model.getOutput(), target, function);
        List<ResultField> results = ResultField.of(evaluator, target, categories == null ? List.of() : categories, resultNames);
        boolean complex = usesComplexTrees(evaluator, model);
        if (categories == null) {
            TreeSum sum = regression(fields, model);
            return new TreeScorer(fields.build(), sum, complex, results, name(model, sum.treeCount()));
        }
        TreeScorer.Voting voting = TreeScorer.Voting.SINGLE;
        if (model instanceof MiningModel mining) {
            voting = switch (segmentation(mining).requireMultipleModelMethod()) {
                case AVERAGE -> TreeScorer.Voting.AVERAGE;
                case MAJORITY_VOTE -> TreeScorer.Voting.MAJORITY_VOTE;
                case WEIGHTED_MAJORITY_VOTE -> TreeScorer.Voting.WEIGHTED_MAJORITY_VOTE;
                default -> throw new NotEligible("its segmentation method is "
                        + mining.getSegmentation().getMultipleModelMethod().value() + " for classification");
            };
        }
        boolean votes = voting == TreeScorer.Voting.MAJORITY_VOTE || voting == TreeScorer.Voting.WEIGHTED_MAJORITY_VOTE;
        TreeCompiler compiler = new TreeCompiler(fields, categories, target.getDataType(), !votes);
        List<Tree> trees = new ArrayList<>();
        double[] weights;
        if (model instanceof TreeModel tree) {
            trees.add(compiler.compile(tree, false));
            weights = new double[] {1.0};
        } else {
            List<Segment> segments = segmentation((MiningModel) model).requireSegments();
            weights = new double[segments.size()];
            for (int i = 0; i < weights.length; i++) {
                trees.add(compiler.compile(treeOf(segments.get(i)), true));
                weights[i] = segments.get(i).getWeight().doubleValue();
            }
        }
        return new TreeScorer(fields.build(), trees, voting, weights, categories.toArray(), complex, results,
                name(model, trees.size()));
    }

    /**
     * A regression TreeModel, or a regression MiningModel of trees averaged or summed (weighted or
     * not), with its {@code Target} rescaling; also the members of a gradient-boosting chain.
     */
    static TreeSum regression(FieldScope fields, Model model) {
        TreeCompiler compiler = new TreeCompiler(fields, null, DataType.DOUBLE, false);
        if (model instanceof TreeModel tree) {
            require(tree.getTargets() == null || !tree.getTargets().hasTargets(), "it has a Targets element");
            return new TreeSum(new Tree[] {compiler.compile(tree, false)}, TreeSum.Method.SINGLE, new double[] {1.0},
                    false, 1.0, 0.0);
        }
        MiningModel mining = (MiningModel) model;
        require(mining.requireMiningFunction() == MiningFunction.REGRESSION, "a segment's function is " + mining.getMiningFunction());
        Segmentation segmentation = segmentation(mining);
        TreeSum.Method method = switch (segmentation.requireMultipleModelMethod()) {
            case AVERAGE -> TreeSum.Method.AVERAGE;
            case SUM -> TreeSum.Method.SUM;
            case WEIGHTED_AVERAGE -> TreeSum.Method.WEIGHTED_AVERAGE;
            case WEIGHTED_SUM -> TreeSum.Method.WEIGHTED_SUM;
            case WEIGHTED_MEDIAN -> TreeSum.Method.WEIGHTED_MEDIAN;
            default -> throw new NotEligible("its segmentation method is "
                    + segmentation.getMultipleModelMethod().value() + " for regression");
        };
        List<Segment> segments = segmentation.requireSegments();
        Tree[] trees = new Tree[segments.size()];
        double[] weights = new double[segments.size()];
        for (int i = 0; i < trees.length; i++) {
            trees[i] = compiler.compile(treeOf(segments.get(i)), true);
            weights[i] = segments.get(i).getWeight().doubleValue();
        }
        Target target = target(mining);
        return target == null ? new TreeSum(trees, method, weights, false, 1.0, 0.0)
                : new TreeSum(trees, method, weights, true, target.getRescaleFactor().doubleValue(),
                        target.getRescaleConstant().doubleValue());
    }

    /** The one {@code Target} of a regression ensemble, if it has one, when it only rescales. */
    private static Target target(MiningModel mining) {
        if (mining.getTargets() == null || !mining.getTargets().hasTargets()) {
            return null;
        }
        List<Target> targets = mining.getTargets().getTargets();
        require(targets.size() == 1, "it has " + targets.size() + " Target elements");
        Target target = targets.get(0);
        require(target.getMin() == null && target.getMax() == null && target.getCastInteger() == null
                && !target.hasTargetValues(), "its Target does more than rescale");
        return target;
    }

    /** A MiningModel's segmentation, when jpmml evaluates it as a plain ensemble of the model's own fields. */
    private static Segmentation segmentation(MiningModel mining) {
        require(mining.getMathContext() == MathContext.DOUBLE, "mathContext is " + mining.getMathContext());
        Segmentation segmentation = mining.requireSegmentation();
        require(segmentation.getLocalTransformations() == null
                || !segmentation.getLocalTransformations().hasDerivedFields(), "its segmentation has local transformations");
        // missingPredictionTreatment does not matter: a tree that predicts nothing leaves the record to jpmml
        require(!segmentation.requireSegments().isEmpty(), "it has no segments");
        return segmentation;
    }

    private static TreeModel treeOf(Segment segment) {
        require(segment.requirePredicate() instanceof True, "a segment's predicate is not True");
        require(segment.requireModel() instanceof TreeModel, "a segment is a "
                + segment.requireModel().getClass().getSimpleName() + ", not a TreeModel");
        return (TreeModel) segment.requireModel();
    }

    private static String name(Model model, int trees) {
        return model.getClass().getSimpleName() + (model instanceof MiningModel ? " of " + trees + " trees" : "");
    }
}
