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
        FieldCompiler fields = new FieldCompiler(evaluator, true, true);
        List<TreeSum> members = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        for (Segment segment : segments.subList(0, segments.size() - 1)) {
            Model member = segment.requireModel();
            outputs.add(checkMember(member));
            members.add(TreeEnsembleCompiler.regression(fields, member));
        }
        // the members' values sit right after the fields' slots, the link's tables after them
        int base = fields.build().slotCount();
        Map<String, Integer> chained = new HashMap<>();
        for (int m = 0; m < outputs.size(); m++) {
            require(chained.put(outputs.get(m), base + m) == null, "two members output \"" + outputs.get(m) + "\"");
        }
        Model last = segments.get(segments.size() - 1).requireModel();
        require(last instanceof RegressionModel, "the last segment of its model chain is a "
                + last.getClass().getSimpleName() + ", not a RegressionModel");
        RegressionModel link = (RegressionModel) last;
        require(link.requireMiningFunction() == MiningFunction.CLASSIFICATION, "the last segment is not a classification");
        TreeCompiler.requirePlainFields(link);
        for (RegressionTable table : link.getRegressionTables()) {
            require(!table.hasCategoricalPredictors(), "the last segment has CategoricalPredictors");
        }
        RegressionScorer scorer = RegressionCompiler.build(evaluator, link, target, fields,
                name -> {
                    require(chained.containsKey(name), "the last segment refers to \"" + name + "\", not a member's output");
                    return chained.get(name);
                }, resultNames);
        CompiledFields compiled = fields.build();
        require(compiled.slotCount() == base, "the last segment derives fields of its own");
        int trees = members.stream().mapToInt(TreeSum::treeCount).sum();
        return new ChainScorer(compiled, members.toArray(new TreeSum[0]), scorer,
                "MiningModel chain of " + members.size() + " boosted ensembles of " + trees + " trees and a RegressionModel ("
                        + link.getNormalizationMethod().value() + ")");
    }

    /** Checks a member of the chain and returns the name of the one value it hands on. */
    private static String checkMember(Model member) {
        require(member instanceof MiningModel || member instanceof TreeModel, "a member of its model chain is a "
                + member.getClass().getSimpleName());
        require(member.requireMiningFunction() == MiningFunction.REGRESSION, "a member of its model chain is not a regression");
        require(member.getLocalTransformations() == null || !member.getLocalTransformations().hasDerivedFields(),
                "a member of its model chain has local transformations");
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
