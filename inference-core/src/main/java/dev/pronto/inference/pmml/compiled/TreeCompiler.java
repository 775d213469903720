package dev.pronto.inference.pmml.compiled;

import static dev.pronto.inference.pmml.compiled.NotEligible.require;

import java.util.ArrayList;
import java.util.List;

import com.google.common.collect.BiMap;
import org.dmg.pmml.DataType;
import org.dmg.pmml.EmbeddedModel;
import org.dmg.pmml.False;
import org.dmg.pmml.MathContext;
import org.dmg.pmml.MiningField;
import org.dmg.pmml.MiningFunction;
import org.dmg.pmml.Model;
import org.dmg.pmml.OutlierTreatmentMethod;
import org.dmg.pmml.InvalidValueTreatmentMethod;
import org.dmg.pmml.Predicate;
import org.dmg.pmml.ScoreDistribution;
import org.dmg.pmml.SimplePredicate;
import org.dmg.pmml.SimpleSetPredicate;
import org.dmg.pmml.True;
import org.dmg.pmml.Visitor;
import org.dmg.pmml.regression.Regression;
import org.dmg.pmml.regression.RegressionModel;
import org.dmg.pmml.VisitorAction;
import org.dmg.pmml.tree.Node;
import org.dmg.pmml.tree.TreeModel;
import org.jpmml.evaluator.ArrayUtil;
import org.jpmml.evaluator.EntityUtil;
import org.jpmml.evaluator.TypeUtil;
import org.jpmml.model.visitors.AbstractVisitor;

/**
 * Compiles one {@code TreeModel} (a model of its own, or a segment of an ensemble) into a
 * {@link Tree}, from the PMML objects jpmml itself evaluates.
 *
 * <p>Eligible: math context double, no {@code Targets}, no local transformations or output of its
 * own, segment MiningFields that leave values as they are, {@code noTrueChildStrategy} either way,
 * regression nodes that embed a plain {@code Regression} (their table gives the score),
 * {@code missingValueStrategy} none, lastPrediction, nullPrediction or defaultChild;
 * predicates {@code True}, {@code False}, {@code SimplePredicate} (comparisons on numeric fields,
 * {@code equal}/{@code notEqual} on categorical inputs, {@code isMissing}/{@code isNotMissing}
 * on inputs) and {@code SimpleSetPredicate} on categorical inputs; for classification whose
 * ensemble needs probabilities, a {@code ScoreDistribution} per class, in the target's category
 * order, on every node with a score. Anything else throws {@link NotEligible}.
 *
 * <p>Not thread-safe: one instance compiles one tree.
 */
final class TreeCompiler {

    private final FieldScope fields;
    /** The target's categories, parsed to its data type; {@code null} for a regression. */
    private final List<Object> categories;
    private final DataType targetType;
    /** Whether classification leaves need their class probabilities (not when the ensemble only counts votes). */
    private final boolean distributions;
    /** The math context every tree must declare: its leaf scores are then as jpmml holds them. */
    private final MathContext mathContext;
    private BiMap<String, Node> registry;

    TreeCompiler(FieldScope fields, List<Object> categories, DataType targetType, boolean distributions) {
        this(fields, categories, targetType, distributions, MathContext.DOUBLE);
    }

    /**
     * @param mathContext {@code float} for the regression trees of a float ensemble ({@link FloatSum}):
     *     jpmml-model parses their scores to {@code Float}s, which the leaves hold exactly as doubles
     */
    TreeCompiler(FieldScope fields, List<Object> categories, DataType targetType, boolean distributions,
            MathContext mathContext) {
        this.fields = fields;
        this.categories = categories;
        this.targetType = targetType;
        this.distributions = distributions;
        this.mathContext = mathContext;
    }

    Tree compile(TreeModel model, boolean segment) {
        require(model.isScorable(), "a tree is marked not scorable");
        require(model.getMathContext() == mathContext, "a tree's mathContext is " + model.getMathContext());
        require(model.getTargets() == null || !model.getTargets().hasTargets(), "a tree has a Targets element");
        MiningFunction expected = categories == null ? MiningFunction.REGRESSION : MiningFunction.CLASSIFICATION;
        require(model.requireMiningFunction() == expected, "a tree's function is " + model.getMiningFunction());
        if (segment) {
            // a model's own DerivedFields are the evaluator's local ones; a segment's would be another scope
            require(model.getLocalTransformations() == null || !model.getLocalTransformations().hasDerivedFields(),
                    "a segment tree has local transformations");
            require(model.getOutput() == null || !model.getOutput().hasOutputFields(), "a segment tree has output fields");
            requirePlainFields(model);
        }
        TreeModel.NoTrueChildStrategy noTrueChild = model.getNoTrueChildStrategy();
        // the same registry as ComplexTreeModelEvaluator's: nodes in visiting order, implicit ids from 1
        List<Node> nodes = new ArrayList<>();
        Visitor visitor = new AbstractVisitor() {
            @Override
            public VisitorAction visit(Node node) {
                nodes.add(node);
                return super.visit(node);
            }
        };
        visitor.applyTo(model);
        registry = EntityUtil.buildBiMap(nodes);
        Tree.MissingValues missingValues = switch (model.getMissingValueStrategy()) {
            case NONE -> Tree.MissingValues.NONE;
            case LAST_PREDICTION -> Tree.MissingValues.LAST_PREDICTION;
            case NULL_PREDICTION -> Tree.MissingValues.NULL_PREDICTION;
            case DEFAULT_CHILD -> Tree.MissingValues.DEFAULT_CHILD;
            default -> throw new NotEligible("a tree's missingValueStrategy is " + model.getMissingValueStrategy().value());
        };
        return new Tree(node(model.requireNode()), noTrueChild == TreeModel.NoTrueChildStrategy.RETURN_LAST_PREDICTION,
                missingValues);
    }

    /**
     * A segment's MiningFields must hand the values on as they are: a segment's own treatments
     * (replacements, outliers, invalid values, optypes) are not mirrored.
     */
    static void requirePlainFields(Model model) {
        for (MiningField field : model.requireMiningSchema().getMiningFields()) {
            require(field.getMissingValueReplacement() == null && field.getOpType() == null
                    && field.getOutlierTreatment() == OutlierTreatmentMethod.AS_IS
                    && field.getInvalidValueTreatment() == InvalidValueTreatmentMethod.RETURN_INVALID
                    && (field.getUsageType() == MiningField.UsageType.ACTIVE
                            || field.getUsageType() == MiningField.UsageType.TARGET),
                    "a segment treats its field \"" + field.requireName() + "\"");
        }
    }

    private TreeNode node(Node node) {
        List<Node> children = node.hasNodes() ? node.getNodes() : List.of();
        TreeNode[] compiled = new TreeNode[children.size()];
        int defaultChild = -1;
        for (int i = 0; i < compiled.length; i++) {
            compiled[i] = node(children.get(i));
            // ComplexTreeModelEvaluator.findDefaultChild: jpmml-model resolves the defaultChild attribute to
            // the child node itself when it loads the model; an unresolved id names the child
            Object defaultId = node.getDefaultChild();
            if (defaultId != null && (defaultId == children.get(i) || defaultId.equals(children.get(i).getId()))) {
                defaultChild = i;
            }
        }
        return new TreeNode(predicate(node.requirePredicate()), compiled, leaf(node), defaultChild);
    }

    private Tree.Leaf leaf(Node node) {
        if (!node.hasScore()) {
            return null;
        }
        String id = EntityUtil.getId(node, registry);
        Object score = node.requireScore();
        if (node.getEmbeddedModel() != null) {
            return new Tree.Leaf(id, regressionScore(score), null, -1, embeddedRegression(node.getEmbeddedModel()));
        }
        if (categories == null && mathContext == MathContext.FLOAT) {
            // whichever tree evaluator jpmml picks, the float sum takes Number.floatValue() of the score
            require(score instanceof Number, "a float tree's score is not a number");
            return new Tree.Leaf(id, (double) ((Number) score).floatValue(), null, -1);
        }
        if (categories == null) {
            return new Tree.Leaf(id, regressionScore(score), null, -1);
        }
        Object label = TypeUtil.parseOrCast(targetType, score);
        int classIndex = categories.indexOf(label);
        require(classIndex >= 0, "a node's score is not one of the target's categories");
        if (!distributions) {
            return new Tree.Leaf(id, label, null, classIndex);
        }
        require(node.hasScoreDistributions(), "a classification node has no ScoreDistribution");
        List<ScoreDistribution> distributions = node.getScoreDistributions();
        require(distributions.size() == categories.size(), "a node's ScoreDistributions do not list every class");
        // createNodeScoreDistribution: record counts (or probabilities) divided by their running sum unless it is one
        boolean probabilities = distributions.get(0).getProbability() != null;
        double[] values = new double[distributions.size()];
        double sum = 0.0;
        for (int c = 0; c < values.length; c++) {
            ScoreDistribution distribution = distributions.get(c);
            require(distribution.getConfidence() == null, "a ScoreDistribution has a confidence");
            require(categories.get(c).equals(TypeUtil.parseOrCast(targetType, distribution.requireValue())),
                    "a node's ScoreDistributions are not in the target's category order");
            Number count = probabilities ? distribution.requireProbability() : distribution.requireRecordCount();
            require(!probabilities || (count.doubleValue() >= 0d && count.doubleValue() <= 1d), "a probability is out of range");
            sum += count.doubleValue();
            values[c] = count.doubleValue();
        }
        require(sum != 0d, "a node's record counts sum to zero");
        if (sum != 1d) {
            for (int c = 0; c < values.length; c++) {
                values[c] = values[c] / sum;
            }
        }
        // NodeScoreDistribution.computeResult: the node's score, parsed to the target's type
        return new Tree.Leaf(id, label, values, classIndex);
    }

    /** {@code ComplexTreeModelEvaluator.createNodeScore}: a DoubleValue of the score. */
    private static double regressionScore(Object score) {
        return score instanceof Number number ? number.doubleValue()
                : ((Number) TypeUtil.parseOrCast(DataType.DOUBLE, score)).doubleValue();
    }

    /**
     * The table of a regression node's embedded {@code Regression}, as
     * {@code TreeModelEvaluator.evaluateEmbeddedRegression} evaluates it: no Targets or Output (jpmml
     * refuses them), one table, no normalization; a classification node's embedded model is refused
     * by jpmml and left to it.
     */
    private LinearTable embeddedRegression(EmbeddedModel embedded) {
        require(categories == null && mathContext == MathContext.DOUBLE, "a classification or float node embeds a model");
        require(embedded instanceof Regression, "a node embeds a " + embedded.getClass().getSimpleName());
        Regression regression = (Regression) embedded;
        require((regression.getTargets() == null || !regression.getTargets().hasTargets())
                && (regression.getOutput() == null || !regression.getOutput().hasOutputFields())
                && (regression.getLocalTransformations() == null || !regression.getLocalTransformations().hasDerivedFields()),
                "a node's embedded regression has Targets, outputs or transformations");
        require(regression.requireMiningFunction() == MiningFunction.REGRESSION
                && regression.getNormalizationMethod() == RegressionModel.NormalizationMethod.NONE
                && regression.requireRegressionTables().size() == 1,
                "a node's embedded regression is not one plain regression table");
        return RegressionCompiler.table(regression.requireRegressionTables().get(0), fields, fields::numericSlot);
    }

    private Tree.Predicate predicate(Predicate predicate) {
        if (predicate instanceof True) {
            return new Tree.Constant(true);
        }
        if (predicate instanceof False) {
            return new Tree.Constant(false);
        }
        if (predicate instanceof SimpleSetPredicate set) {
            return set(set);
        }
        require(predicate instanceof SimplePredicate, "a node has a " + predicate.getClass().getSimpleName());
        SimplePredicate simple = (SimplePredicate) predicate;
        String name = simple.requireField();
        SimplePredicate.Operator operator = simple.requireOperator();
        if (operator == SimplePredicate.Operator.IS_MISSING || operator == SimplePredicate.Operator.IS_NOT_MISSING) {
            boolean missing = operator == SimplePredicate.Operator.IS_MISSING;
            if (fields.isCategorical(name)) {
                return new Tree.Missing(-1, fields.categoricalIndex(name), missing);
            }
            return new Tree.Missing(fields.numericSlot(name), -1, missing);
        }
        Object value = simple.requireValue();
        if (fields.isCategorical(name)) {
            require(operator == SimplePredicate.Operator.EQUAL || operator == SimplePredicate.Operator.NOT_EQUAL,
                    "a categorical field is compared with " + operator.value());
            int index = fields.categoricalIndex(name);
            return new Tree.Category(index, operator == SimplePredicate.Operator.EQUAL, fields.categoryOf(index, value));
        }
        int slot = fields.numericSlot(name);
        // FieldValue.compareToValue: the predicate's value parsed to the field's type (an int and a float are
        // exact as doubles, so Double.compare orders them as Integer.compareTo and Float.compareTo would)
        DataType type = fields.slotType(slot);
        double threshold;
        try {
            threshold = ((Number) TypeUtil.parseOrCast(type, value)).doubleValue();
        } catch (RuntimeException e) {
            throw new NotEligible("a threshold on \"" + name + "\" is not a " + type.value() + ": " + value);
        }
        Tree.Comparison comparison = switch (operator) {
            case EQUAL -> Tree.Comparison.EQUAL;
            case NOT_EQUAL -> Tree.Comparison.NOT_EQUAL;
            case LESS_THAN -> Tree.Comparison.LESS_THAN;
            case LESS_OR_EQUAL -> Tree.Comparison.LESS_OR_EQUAL;
            case GREATER_THAN -> Tree.Comparison.GREATER_THAN;
            case GREATER_OR_EQUAL -> Tree.Comparison.GREATER_OR_EQUAL;
            default -> throw new NotEligible("a predicate's operator is " + operator.value());
        };
        return new Tree.Compare(slot, comparison, threshold);
    }

    /**
     * {@code SimpleSetPredicate} on a categorical input ({@code FieldValue.isIn}: the array's
     * values parsed to the field's type, then compared by equality).
     */
    private Tree.Predicate set(SimpleSetPredicate set) {
        String name = set.requireField();
        require(fields.isCategoricalInput(name), "a set predicate is on \"" + name + "\", not a categorical input");
        int input = fields.categoricalInput(name);
        Input.Categorical field = fields.categorical(input);
        boolean[] members = new boolean[field.validValues().size()];
        boolean foreign = false;
        for (Object value : ArrayUtil.getContent(set.requireArray())) {
            int index = field.indexOf(value);
            if (index >= 0) {
                members[index] = true;
            } else {
                foreign = true;
            }
        }
        return new Tree.CategorySet(input, set.requireBooleanOperator() == SimpleSetPredicate.BooleanOperator.IS_IN, members,
                foreign);
    }
}
