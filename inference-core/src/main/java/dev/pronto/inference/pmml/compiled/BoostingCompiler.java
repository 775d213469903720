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
import org.dmg.pmml.OutputField;
import org.dmg.pmml.ResultFeature;
import org.dmg.pmml.True;
import org.dmg.pmml.mining.MiningModel;
import org.dmg.pmml.mining.Segment;
import org.dmg.pmml.mining.Segmentation;
import org.dmg.pmml.regression.RegressionModel;
import org.dmg.pmml.regression.RegressionTable;
import org.dmg.pmml.tree.TreeModel;
import org.jpmml.evaluator.ModelEvaluator;
import org.jpmml.evaluator.TargetField;

/**
 * Compiles a gradient-boosting classifier as scikit-learn (GradientBoosting, HistGradientBoosting)
 * and LightGBM write it: a {@code modelChain} whose first segments are regression ensembles of trees
 * (sums with their {@code Target} rescaling, see {@link TreeSum}), each handing its value on through
 * one non-final {@code predictedValue} output field, and whose last segment is a classification
 * {@code RegressionModel} over those values that applies the link function (logit for two classes,
 * softmax for more).
 *
 * <p>Eligible: the chain's model has math context double, no Targets and no output of its own; every
 * segment has a {@code True} predicate; each member is a double regression MiningModel or TreeModel
 * (as {@link TreeEnsembleCompiler#regression} takes it) with no local transformations, plain
 * MiningFields and exactly that one double output field; the last segment is a RegressionModel as
 * {@link RegressionCompiler#build} takes it whose NumericPredictors name only the members' outputs.
 * Anything else throws {@link NotEligible}.
 */
final class BoostingCompiler {

    private BoostingCompiler() {
    }

    static ChainScorer compile(ModelEvaluator<?> evaluator, MiningModel model, TargetField target, List<String> resultNames) {
        List<Segment> segments = chainSegments(model);
        FieldCompiler fields = new FieldCompiler(evaluator, true, true);
        List<TreeSum> members = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        for (Segment segment : segments.subList(0, segments.size() - 1)) {
            Model member = segment.requireModel();
            outputs.add(checkMember(member, false));
            members.add(TreeEnsembleCompiler.regression(fields, member));
        }
        // the members' values sit right after the fields' slots, the link's tables after them
        int base = fields.build().slotCount();
        RegressionScorer scorer = link(evaluator, segments.get(segments.size() - 1), target, fields,
                handedOn(outputs, base), resultNames);
        CompiledFields compiled = fields.build();
        require(compiled.slotCount() == base, "the last segment derives fields of its own");
        return new ChainScorer(compiled, members.toArray(new TreeSum[0]), scorer, describe(members, segments));
    }

    /** The load line's words for a boosting chain: its members, trees and link function. */
    static String describe(List<TreeSum> members, List<Segment> segments) {
        int trees = members.stream().mapToInt(TreeSum::treeCount).sum();
        RegressionModel last = (RegressionModel) segments.get(segments.size() - 1).requireModel();
        return "MiningModel chain of " + members.size() + " boosted ensembles of " + trees + " trees and a RegressionModel ("
                + last.getNormalizationMethod().value() + ")";
    }

    /**
     * The segments of a classification {@code modelChain} as jpmml evaluates it here: math context
     * double, no Targets or output of its own, no local transformations in its segmentation, at
     * least two segments, each with a {@code True} predicate.
     */
    static List<Segment> chainSegments(MiningModel model) {
        require(model.requireMiningFunction() == MiningFunction.CLASSIFICATION, "its model chain is not a classification");
        require(model.getMathContext() == MathContext.DOUBLE, "mathContext is " + model.getMathContext());
        require(model.getTargets() == null || !model.getTargets().hasTargets(), "it has a Targets element");
        require(model.getOutput() == null || !model.getOutput().hasOutputFields(), "its model chain has output fields of its own");
        Segmentation segmentation = model.requireSegmentation();
        require(segmentation.getLocalTransformations() == null
                || !segmentation.getLocalTransformations().hasDerivedFields(), "its segmentation has local transformations");
        List<Segment> segments = segmentation.requireSegments();
        require(segments.size() >= 2, "its model chain has " + segments.size() + " segments");
        for (Segment segment : segments) {
            require(segment.requirePredicate() instanceof True, "a segment's predicate is not True");
        }
        return segments;
    }

    /** The slots of the values a chain's members hand on, by output name: one after another from {@code base}. */
    static Map<String, Integer> handedOn(List<String> outputs, int base) {
        Map<String, Integer> chained = new HashMap<>();
        for (int m = 0; m < outputs.size(); m++) {
            require(chained.put(outputs.get(m), base + m) == null, "two members output \"" + outputs.get(m) + "\"");
        }
        return chained;
    }

    /**
     * The chain's last segment: a classification RegressionModel whose NumericPredictors name only
     * the members' outputs ({@code chained}: their slots), scored as {@link RegressionScorer} scores
     * a logistic regression.
     */
    static RegressionScorer link(ModelEvaluator<?> evaluator, Segment segment, TargetField target, FieldCompiler fields,
            Map<String, Integer> chained, List<String> resultNames) {
        Model last = segment.requireModel();
        require(last instanceof RegressionModel, "the last segment of its model chain is a "
                + last.getClass().getSimpleName() + ", not a RegressionModel");
        RegressionModel link = (RegressionModel) last;
        require(link.requireMiningFunction() == MiningFunction.CLASSIFICATION, "the last segment is not a classification");
        TreeCompiler.requirePlainFields(link);
        for (RegressionTable table : link.getRegressionTables()) {
            require(!table.hasCategoricalPredictors(), "the last segment has CategoricalPredictors");
        }
        return RegressionCompiler.build(evaluator, link, target, fields,
                name -> {
                    require(chained.containsKey(name), "the last segment refers to \"" + name + "\", not a member's output");
                    return chained.get(name);
                }, resultNames);
    }

    /**
     * Checks a member of the chain and returns the name of the one value it hands on.
     *
     * @param localTransformations whether the member may derive fields of its own (a chain nested in
     *     a stacking chain, whose {@link ChainScope} compiles them)
     */
    static String checkMember(Model member, boolean localTransformations) {
        require(member instanceof MiningModel || member instanceof TreeModel, "a member of its model chain is a "
                + member.getClass().getSimpleName());
        require(member.requireMiningFunction() == MiningFunction.REGRESSION, "a member of its model chain is not a regression");
        require(localTransformations || member.getLocalTransformations() == null
                || !member.getLocalTransformations().hasDerivedFields(), "a member of its model chain has local transformations");
        TreeCompiler.requirePlainFields(member);
        require(member.getOutput() != null && member.getOutput().getOutputFields().size() == 1,
                "a member of its model chain does not output exactly one field");
        OutputField output = member.getOutput().getOutputFields().get(0);
        require(output.getResultFeature() == ResultFeature.PREDICTED_VALUE && output.getExpression() == null
                && output.getSegmentId() == null && output.getTargetField() == null && !output.isFinalResult()
                && output.getDataType() == DataType.DOUBLE,
                "a member's output field \"" + output.requireName() + "\" is not its value as a non-final double");
        return output.requireName();
    }
}
