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
 * no {@code Targets}, one named target) whose segmentation is {@code average} (classification or
 * regression) or {@code sum} (regression), every segment a TreeModel with a {@code True} predicate; inputs and DerivedFields as
 * {@link FieldCompiler} takes them; output fields of feature {@code probability} or
 * {@code predictedValue}. Anything else (gradient-boosting chains, votes, weights, XGBoost's float
 * math) throws {@link NotEligible}.
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
    private static boolean usesComplexTrees(ModelEvaluator<?> evaluator, Model model) {
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

    static TreeScorer compile(ModelEvaluator<?> evaluator, Model model, List<String> resultNames) {
        require(model.isScorable(), "the model is marked not scorable");
        require(model.getTargets() == null || !model.getTargets().hasTargets(), "it has a Targets element");
        List<TargetField> targets = evaluator.getTargetFields();
        require(targets.size() == 1, targets.size() + " target fields");
        TargetField target = targets.get(0);
        require(!target.isSynthetic() && target.getName() != null && target.getTarget() == null,
                "it has no plain named target field");
        MiningFunction function = model.requireMiningFunction();
        List<Object> categories = null;
        if (function == MiningFunction.CLASSIFICATION) {
            require(target.getOpType() == OpType.CATEGORICAL && target.getCategories() != null
                    && target.getCategories().size() >= 2, "the target is not categorical with its categories");
            categories = target.getCategories();
        } else {
            require(function == MiningFunction.REGRESSION && target.getOpType() == OpType.CONTINUOUS
                    && target.getDataType() == DataType.DOUBLE, "it is neither a classification nor a double regression");
        }
        FieldCompiler fields = new FieldCompiler(evaluator, true);
        TreeCompiler trees = new TreeCompiler(fields, categories, target.getDataType());
        List<Tree> compiled = new ArrayList<>();
        TreeScorer.Aggregation aggregation;
        if (model instanceof TreeModel tree) {
            compiled.add(trees.compile(tree, false));
            aggregation = TreeScorer.Aggregation.SINGLE;
        } else {
            MiningModel mining = (MiningModel) model;
            require(mining.getMathContext() == MathContext.DOUBLE, "mathContext is " + mining.getMathContext());
            Segmentation segmentation = mining.requireSegmentation();
            require(segmentation.getLocalTransformations() == null
                    || !segmentation.getLocalTransformations().hasDerivedFields(), "its segmentation has local transformations");
            Segmentation.MultipleModelMethod method = segmentation.requireMultipleModelMethod();
            if (method == Segmentation.MultipleModelMethod.AVERAGE) {
                aggregation = TreeScorer.Aggregation.AVERAGE;
            } else {
                require(method == Segmentation.MultipleModelMethod.SUM && function == MiningFunction.REGRESSION,
                        "its segmentation method is " + method.value() + " for " + function.value());
                aggregation = TreeScorer.Aggregation.SUM;
            }
            List<Segment> segments = segmentation.requireSegments();
            require(!segments.isEmpty(), "it has no segments");
            for (Segment segment : segments) {
                require(segment.requirePredicate() instanceof True, "a segment's predicate is not True");
                require(segment.requireModel() instanceof TreeModel, "a segment is a "
                        + segment.requireModel().getClass().getSimpleName() + ", not a TreeModel");
                compiled.add(trees.compile((TreeModel) segment.requireModel(), true));
            }
        }
        ResultField.checkOutput(model.getOutput(), target, function);
        Object[] classes = categories == null ? null : categories.toArray();
        List<ResultField> results = ResultField.of(evaluator, target, categories == null ? List.of() : categories, resultNames);
        boolean complex = usesComplexTrees(evaluator, model);
        return new TreeScorer(fields.build(), compiled, aggregation, classes, complex, results,
                model.getClass().getSimpleName() + (compiled.size() > 1 ? " of " + compiled.size() + " trees" : ""));
    }
}
