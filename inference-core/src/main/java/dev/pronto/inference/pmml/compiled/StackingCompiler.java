package dev.pronto.inference.pmml.compiled;

import static dev.pronto.inference.pmml.compiled.NotEligible.require;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.dmg.pmml.DataType;
import org.dmg.pmml.MathContext;
import org.dmg.pmml.MiningField;
import org.dmg.pmml.MiningFunction;
import org.dmg.pmml.Model;
import org.dmg.pmml.OutputField;
import org.dmg.pmml.ResultFeature;
import org.dmg.pmml.mining.MiningModel;
import org.dmg.pmml.mining.Segment;
import org.dmg.pmml.mining.Segmentation;
import org.dmg.pmml.regression.RegressionModel;
import org.dmg.pmml.regression.RegressionTable;
import org.jpmml.evaluator.ModelEvaluator;
import org.jpmml.evaluator.TargetField;

/**
 * Compiles a stacking classifier as JPMML-SkLearn writes scikit-learn's {@code StackingClassifier}:
 * a {@code modelChain} whose first segments are classification RegressionModels (the base
 * estimators), each handing one class's probability on through a non-final {@code probability}
 * output field ({@link ClassifierMember}), and whose last segment is a gradient-boosting chain over
 * those probabilities (the final estimator: regression ensembles of trees, whose own DerivedFields
 * see the handed-on values through a {@link ChainScope}, then a link RegressionModel), scored by
 * {@link StackingScorer}.
 *
 * <p>Eligible: both chains as {@link BoostingCompiler#chainSegments} takes them; base estimators
 * with math context double, no Targets, no local transformations, plain MiningFields and no target
 * field other than the chain's, tables as {@link RegressionCompiler#table} takes them (numeric,
 * categorical and interaction terms over the model's inputs and DerivedFields), output fields that
 * are all {@code probability} of one of its tables' categories, exactly one of them non-final and
 * none in the model's result; the nested chain's members as {@link BoostingCompiler#checkMember}
 * takes them but with DerivedFields of their own, its link as {@link BoostingCompiler#link} takes
 * it. Anything else throws {@link NotEligible}.
 */
final class StackingCompiler {

    private StackingCompiler() {
    }

    /** Whether a model chain is a stacking chain (its first member a RegressionModel) rather than gradient boosting. */
    static boolean isStacking(MiningModel model) {
        List<Segment> segments = model.requireSegmentation().requireSegments();
        return !segments.isEmpty() && segments.get(0).requireModel() instanceof RegressionModel;
    }

    static StackingScorer compile(ModelEvaluator<?> evaluator, MiningModel model, TargetField target, List<String> resultNames) {
        List<Segment> segments = BoostingCompiler.chainSegments(model);
        FieldCompiler fields = new FieldCompiler(evaluator, true, true);
        List<ClassifierMember> members = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        for (Segment segment : segments.subList(0, segments.size() - 1)) {
            Model member = segment.requireModel();
            require(member instanceof RegressionModel, "a member of its stacking chain is a " + member.getClass().getSimpleName());
            outputs.add(handedOutput((RegressionModel) member, target, resultNames));
            members.add(member((RegressionModel) member, fields));
        }
        int base = fields.build().slotCount();
        Map<String, Integer> handedOn = BoostingCompiler.handedOn(outputs, base);

        Model last = segments.get(segments.size() - 1).requireModel();
        require(last instanceof MiningModel mining && mining.requireSegmentation().getMultipleModelMethod()
                == Segmentation.MultipleModelMethod.MODEL_CHAIN, "the last segment of its stacking chain is not a model chain");
        MiningModel finalEstimator = (MiningModel) last;
        TreeCompiler.requirePlainFields(finalEstimator);
        requireOwnTarget(finalEstimator, target);
        require(finalEstimator.getLocalTransformations() == null || !finalEstimator.getLocalTransformations().hasDerivedFields(),
                "the last segment of its stacking chain has local transformations");
        List<Segment> inner = BoostingCompiler.chainSegments(finalEstimator);
        List<TreeSum> boosted = new ArrayList<>();
        List<String> boostedOutputs = new ArrayList<>();
        List<Node> derived = new ArrayList<>();
        int boostedBase = base + members.size();
        int nextSlot = boostedBase + inner.size() - 1;
        for (Segment segment : inner.subList(0, inner.size() - 1)) {
            Model member = segment.requireModel();
            boostedOutputs.add(BoostingCompiler.checkMember(member, true));
            ChainScope scope = new ChainScope(evaluator, List.of(finalEstimator), member, handedOn, nextSlot);
            boosted.add(TreeEnsembleCompiler.regression(scope, member));
            derived.addAll(scope.nodes());
            nextSlot = scope.endSlot();
        }
        RegressionScorer link = BoostingCompiler.link(evaluator, inner.get(inner.size() - 1), target, fields,
                BoostingCompiler.handedOn(boostedOutputs, boostedBase), resultNames);
        CompiledFields compiled = fields.build();
        require(compiled.slotCount() == base, "the last segment of its stacking chain derives fields from the record");
        return new StackingScorer(compiled, outputs, members, boosted, derived, link, "MiningModel stacking chain of "
                + members.size() + " RegressionModels and a " + BoostingCompiler.describe(boosted, inner));
    }

    /** A base estimator's tables, normalisation, and the table whose probability it hands on. */
    private static ClassifierMember member(RegressionModel member, FieldCompiler fields) {
        require(member.getMathContext() == MathContext.DOUBLE, "a member's mathContext is " + member.getMathContext());
        List<RegressionTable> pmmlTables = member.getRegressionTables();
        require(pmmlTables.size() >= 2, "a member of its stacking chain has " + pmmlTables.size() + " tables");
        LinearTable[] tables = new LinearTable[pmmlTables.size()];
        for (int t = 0; t < tables.length; t++) {
            tables[t] = RegressionCompiler.table(pmmlTables.get(t), fields, fields::numericSlot);
        }
        Object handed = handedOutputField(member).requireValue();
        int handedTable = -1;
        for (int t = 0; t < tables.length; t++) {
            Object category = pmmlTables.get(t).requireTargetCategory();
            for (int u = 0; u < t; u++) {
                require(!Objects.equals(category, pmmlTables.get(u).requireTargetCategory()), "a member repeats a targetCategory");
            }
            // OutputUtil: the distribution's probability of the field's value, keyed by the tables' categories
            if (Objects.equals(category, handed)) {
                handedTable = t;
            }
        }
        require(handedTable >= 0, "a member hands on the probability of \"" + handed + "\", which none of its tables scores");
        return new ClassifierMember(tables, RegressionCompiler.classificationNormalization(member.getNormalizationMethod(),
                pmmlTables), handedTable);
    }

    /**
     * Checks a base estimator's shape and outputs and returns the name of the one value it hands on:
     * every output field is a double {@code probability} of a value; the final ones are not in the
     * model's result (jpmml reports only the last segment's), so they need no value here.
     */
    private static String handedOutput(RegressionModel member, TargetField target, List<String> resultNames) {
        require(member.requireMiningFunction() == MiningFunction.CLASSIFICATION, "a member of its stacking chain is not a classification");
        require(member.isScorable(), "a member is marked not scorable");
        require(member.getTargets() == null || !member.getTargets().hasTargets(), "a member has a Targets element");
        require(member.getLocalTransformations() == null || !member.getLocalTransformations().hasDerivedFields(),
                "a member of its stacking chain has local transformations");
        TreeCompiler.requirePlainFields(member);
        requireOwnTarget(member, target);
        require(member.getTargetField() == null, "a member names its targetField");
        for (OutputField output : member.getOutput().getOutputFields()) {
            String name = output.requireName();
            require(output.getResultFeature() == ResultFeature.PROBABILITY && output.getValue() != null
                    && output.getExpression() == null && output.getSegmentId() == null && output.getTargetField() == null
                    && (output.getDataType() == null || output.getDataType() == DataType.DOUBLE),
                    "a member's output field \"" + name + "\" is not a double probability of a class");
            require(!resultNames.contains(name), "a member's output field \"" + name + "\" is in the result");
        }
        return handedOutputField(member).requireName();
    }

    private static OutputField handedOutputField(RegressionModel member) {
        require(member.getOutput() != null, "a member of its stacking chain hands nothing on");
        List<OutputField> handed = member.getOutput().getOutputFields().stream().filter(o -> !o.isFinalResult()).toList();
        require(handed.size() == 1, "a member of its stacking chain hands on " + handed.size() + " values");
        return handed.get(0);
    }

    /** A nested model either names no target or the chain's own, so it is classified as the chain's target is. */
    private static void requireOwnTarget(Model model, TargetField target) {
        for (MiningField field : model.requireMiningSchema().getMiningFields()) {
            if (field.getUsageType() == MiningField.UsageType.TARGET) {
                require(field.requireName().equals(target.getName()), "a segment names another target");
            }
        }
    }
}
