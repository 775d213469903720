package dev.pronto.inference.pmml.compiled;

import java.util.List;

import dev.pronto.inference.Prediction;

/**
 * A {@code TreeModel}, or a {@code MiningModel} whose segments are trees averaged, summed or voting
 * (random forests, extra trees, R's majority-vote forests, sums of regression trees with their
 * {@code Target} rescaling), scored by walking compiled trees instead of jpmml's general evaluator,
 * giving the very same values.
 *
 * <p>Why: on a 40-tree forest, jpmml builds per record and per tree an evaluation context, a trail,
 * a {@code ValueMap} of {@code Value}s, a segment result and its entity registry lookups, then
 * aggregates through vectors of boxed values; the trees themselves are a few dozen comparisons.
 *
 * <p>The arithmetic mirrors jpmml-evaluator 1.7.7 in the same order, so results are bit-identical:
 * <ul>
 *   <li>{@code ComplexTreeModelEvaluator}: first true child, {@code noTrueChildStrategy}, a leaf's
 *       probabilities as its record counts divided by their running sum unless that sum is one
 *       (computed once at load, {@link TreeCompiler});</li>
 *   <li>{@code ProbabilityAggregator.averageMap}: a sum from 0.0 in segment order, then a division
 *       by the number of segments; regression values as {@link TreeSum} computes them;</li>
 *   <li>{@code VoteAggregator.sumMap} then {@code ValueUtil.normalizeSimpleMax}: votes (or weights)
 *       added per class, classes in the order of their first vote, divided by their sum in that
 *       order unless it is one; the winner is the first of equal maxima in that order;</li>
 *   <li>{@code Classification.getWinner}: the first of equal maxima in class order;</li>
 *   <li>entity ids: each tree's leaf as {@code EntityUtil.getId} names it, in segment order.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
final class TreeScorer extends SlotScorer {

    /** How a classification ensemble combines its trees; a regression's trees are a {@link TreeSum}. */
    enum Voting { SINGLE, AVERAGE, MAJORITY_VOTE, WEIGHTED_MAJORITY_VOTE }

    /** A regression's trees; {@code null} for a classification. */
    private final TreeSum sum;
    /** A classification's trees; {@code null} for a regression. */
    private final Tree[] trees;
    private final Voting voting;
    /** Each segment's weight (weighted majority vote; 1.0 otherwise). */
    private final double[] weights;
    /** The classes in the target's order, as keys of the probabilities; {@code null} for a regression. */
    private final Object[] classes;
    /**
     * Whether jpmml's results carry leaf ids and class probabilities ({@code ComplexTreeModelEvaluator})
     * or only the score ({@code SimpleTreeModelEvaluator}).
     */
    private final boolean complex;
    private final ResultField[] resultFields;

    /** A regression: one tree, or an ensemble combined by {@code sum}. */
    TreeScorer(CompiledFields fields, TreeSum sum, boolean complex, List<ResultField> resultFields, String modelType) {
        this(fields, sum, null, null, null, null, complex, resultFields, modelType);
    }

    /** A classification: one tree, or trees averaged or voting. */
    TreeScorer(CompiledFields fields, List<Tree> trees, Voting voting, double[] weights, Object[] classes, boolean complex,
            List<ResultField> resultFields, String modelType) {
        this(fields, null, trees.toArray(new Tree[0]), voting, weights.clone(), classes, complex, resultFields, modelType);
    }

    private TreeScorer(CompiledFields fields, TreeSum sum, Tree[] trees, Voting voting, double[] weights, Object[] classes,
            boolean complex, List<ResultField> resultFields, String modelType) {
        super(fields, 0, modelType);
        this.sum = sum;
        this.trees = trees;
        this.voting = voting;
        this.weights = weights;
        this.classes = classes;
        this.complex = complex;
        this.resultFields = resultFields.toArray(new ResultField[0]);
    }

    @Override
    Prediction score(double[] slots, int[] categories, int base) {
        return classes == null ? regression(slots, categories) : classification(slots, categories);
    }

    private Prediction regression(double[] slots, int[] categories) {
        String[] ids = complex ? new String[sum.treeCount()] : null;
        Double value = sum.value(slots, categories, ids, 0);
        Prediction.Builder prediction = Prediction.builder(0, resultFields.length).value(value);
        for (ResultField field : resultFields) {
            prediction.field(field.name(), value);
        }
        return (complex ? prediction.entityIds(List.of(ids)) : prediction).build();
    }

    private Prediction classification(double[] slots, int[] categories) {
        Tree.Leaf[] leaves = new Tree.Leaf[trees.length];
        String[] ids = complex ? new String[trees.length] : null;
        for (int t = 0; t < trees.length; t++) {
            leaves[t] = trees[t].score(slots, categories);
            if (complex) {
                ids[t] = leaves[t].entityId();
            }
        }
        int count = classes.length;
        double[] probability;
        Object label;
        switch (voting) {
            case SINGLE -> {
                probability = leaves[0].probabilities();
                label = leaves[0].value();
            }
            case AVERAGE -> {
                probability = new double[count];
                for (Tree.Leaf leaf : leaves) {
                    double[] p = leaf.probabilities();
                    for (int c = 0; c < count; c++) {
                        probability[c] += p[c];
                    }
                }
                for (int c = 0; c < count; c++) {
                    probability[c] = probability[c] / leaves.length;
                }
                int winner = 0;
                for (int c = 1; c < count; c++) {
                    if (Double.compare(probability[winner], probability[c]) < 0) {
                        winner = c;
                    }
                }
                // jpmml's label is the winning category parsed to the target's type, as the categories already are
                label = classes[winner];
            }
            default -> {
                probability = new double[count];
                label = classes[vote(leaves, probability)];
            }
        }
        Double[] boxed = new Double[count];
        Prediction.Builder prediction = Prediction.builder(complex ? count : 0, resultFields.length).value(label);
        for (int c = 0; c < count; c++) {
            boxed[c] = probability[c];
            if (complex) {
                prediction.probability(classes[c], boxed[c]);
            }
        }
        for (ResultField field : resultFields) {
            Object value = switch (field.source()) {
                case TARGET -> label;
                case PROBABILITY -> boxed[field.index()];
                case ZERO -> 0.0;
            };
            prediction.field(field.name(), value);
        }
        return (complex ? prediction.entityIds(List.of(ids)) : prediction).build();
    }

    /**
     * Counts the votes into {@code probability} (a class without votes keeps 0.0) and returns the
     * winning class: {@code VoteAggregator} keeps the classes in the order of their first vote, which
     * decides the order of the normalising sum and which of equal maxima wins.
     */
    private int vote(Tree.Leaf[] leaves, double[] probability) {
        int[] order = new int[classes.length];
        boolean[] seen = new boolean[classes.length];
        int voted = 0;
        for (int t = 0; t < leaves.length; t++) {
            int c = leaves[t].classIndex();
            if (!seen[c]) {
                seen[c] = true;
                order[voted++] = c;
            }
            probability[c] += voting == Voting.WEIGHTED_MAJORITY_VOTE ? weights[t] : 1.0;
        }
        double total = probability[order[0]];
        for (int i = 1; i < voted; i++) {
            total += probability[order[i]];
        }
        if (total == 0d) {
            // normalizeSimpleMax throws UndefinedResultException: jpmml's error is the one to give
            throw NotCompiled.INSTANCE;
        }
        if (total != 1d) {
            for (int i = 0; i < voted; i++) {
                probability[order[i]] = probability[order[i]] / total;
            }
        }
        int winner = order[0];
        for (int i = 1; i < voted; i++) {
            if (Double.compare(probability[winner], probability[order[i]]) < 0) {
                winner = order[i];
            }
        }
        return winner;
    }
}
