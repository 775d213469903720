package dev.pronto.inference.pmml.compiled;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The packed splits ({@link TreeSplits}), tree by tree and all trees at once, reach the node jpmml's
 * walk reaches: here a plain reading of {@code ComplexTreeModelEvaluator} (first true child in
 * document order; an unknown predicate handled by the missing-value strategy; no true child by the
 * no-true-child strategy), on every comparison, thresholds where {@code <=} and {@code Double.compare}
 * part (the zeros) or where {@code <} becomes {@code <=} (next to them), each side of a missing value,
 * and categories that are missing, invalid, or that no child takes.
 */
class TreeSplitsTest {

    private static final double[] THRESHOLDS = {2.0, -3.5, 0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE,
        Double.MAX_VALUE, Double.POSITIVE_INFINITY};
    private static final int[] CATEGORIES = {Input.Categorical.MISSING, Input.Categorical.INVALID, 0, 1, 2};

    @Test
    void numericSplitsTakeTheChildOfTheGeneralWalkUnderEveryStrategy() {
        int checked = 0;
        for (Tree.MissingValues strategy : Tree.MissingValues.values()) {
            for (boolean lastPrediction : new boolean[] {false, true}) {
                for (Tree.Comparison comparison : Tree.Comparison.values()) {
                    for (double threshold : THRESHOLDS) {
                        for (int defaultChild = -1; defaultChild <= 1; defaultChild++) {
                            for (boolean catchAll : new boolean[] {false, true}) {
                                TreeNode root = numericTree(comparison, threshold, defaultChild, catchAll);
                                checked += assertSameScores(root, strategy, lastPrediction, values(threshold));
                            }
                        }
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(10_000);
    }

    @Test
    void categoricalSplitsTakeTheChildOfTheGeneralWalkUnderEveryStrategy() {
        Tree.Predicate[][] pairs = {
            {set(true), set(false)},
            {set(true), new Tree.Constant(true)},
            {new Tree.Category(1, true, 1), new Tree.Category(1, false, 1)},
            // no child takes value 2 (the general walk then applies the no-true-child strategy)
            {new Tree.Category(1, true, 1), new Tree.Category(1, true, 0)},
            {new Tree.Missing(-1, 1, true), set(false)},
        };
        for (Tree.MissingValues strategy : Tree.MissingValues.values()) {
            for (boolean lastPrediction : new boolean[] {false, true}) {
                for (Tree.Predicate[] pair : pairs) {
                    for (int defaultChild = -1; defaultChild <= 1; defaultChild++) {
                        TreeNode split = node(new Tree.Constant(true), 10.0, defaultChild,
                                leaf(pair[0], 11.0), leaf(pair[1], 12.0));
                        assertSameScores(split, strategy, lastPrediction, new double[] {1.0});
                    }
                }
            }
        }
    }

    /** A root, a numeric split on slot 0, its low side split again on input 1's category. */
    private static TreeNode numericTree(Tree.Comparison comparison, double threshold, int defaultChild, boolean catchAll) {
        Tree.Predicate first = new Tree.Compare(0, comparison, threshold);
        Tree.Predicate second = catchAll ? new Tree.Constant(true) : new Tree.Compare(0, Tree.Compare.negation(comparison), threshold);
        TreeNode low = node(first, 2.0, defaultChild == -1 ? -1 : 1 - defaultChild,
                leaf(set(true), 3.0), leaf(set(false), 4.0));
        return node(new Tree.Constant(true), 1.0, defaultChild, low, leaf(second, 5.0));
    }

    private static double[] values(double threshold) {
        List<Double> values = new ArrayList<>(List.of(Double.NaN, 0.0, -0.0, -1.0, 5.0, Double.NEGATIVE_INFINITY,
                Double.POSITIVE_INFINITY, Double.MIN_VALUE, -Double.MIN_VALUE));
        values.addAll(List.of(threshold, Math.nextDown(threshold), Math.nextUp(threshold), -threshold));
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Compares one tree alone and a forest of it, another tree and it again, with the reference. */
    private static int assertSameScores(TreeNode root, Tree.MissingValues strategy, boolean lastPrediction, double[] values) {
        Tree tree = new Tree(root, lastPrediction, strategy);
        Tree other = new Tree(numericTree(Tree.Comparison.GREATER_THAN, 1.5, 0, false), lastPrediction, strategy);
        TreeSum forest = new TreeSum(new Tree[] {tree, other, tree}, TreeSum.Method.SUM, new double[] {1, 1, 1}, false, 1, 0);
        int checked = 0;
        for (double value : values) {
            for (int category : CATEGORIES) {
                double[] slots = {value};
                int[] categories = {0, category};
                String at = strategy + ", last prediction " + lastPrediction + ", value " + value + ", category " + category;
                Double expected = reference(root, strategy, lastPrediction, slots, categories);
                assertThat(score(() -> tree.regressionScore(slots, categories))).as(at).isEqualTo(expected);
                Double otherScore = reference(other.layout().nodes[0], strategy, lastPrediction, slots, categories);
                Double sum = expected == null || otherScore == null ? null : expected + otherScore + expected;
                assertThat(score(() -> forest.value(slots, categories, null, 0))).as("forest, " + at).isEqualTo(sum);
                checked++;
            }
        }
        return checked;
    }

    private interface Scoring {
        double score();
    }

    private static Double score(Scoring scoring) {
        try {
            return scoring.score();
        } catch (NotCompiled declined) {
            return null;
        }
    }

    /**
     * jpmml's walk ({@code ComplexTreeModelEvaluator.handleTrue}, {@code handleMissingValue},
     * {@code handleNoTrueChild}) read plainly: the score, or {@code null} where jpmml is left to say.
     */
    private static Double reference(TreeNode node, Tree.MissingValues strategy, boolean lastPrediction,
            double[] slots, int[] categories) {
        descend:
        while (node.children().length > 0) {
            for (TreeNode child : node.children()) {
                int status;
                try {
                    status = child.predicate().test(slots, categories);
                } catch (NotCompiled declined) {
                    return null;
                }
                if (status == Tree.UNKNOWN) {
                    switch (strategy) {
                        case NONE -> {
                            continue;
                        }
                        case LAST_PREDICTION -> {
                            return (Double) node.leaf().value();
                        }
                        case DEFAULT_CHILD -> {
                            if (node.defaultChild() < 0) {
                                return null;
                            }
                            node = node.children()[node.defaultChild()];
                            continue descend;
                        }
                        default -> {
                            return null;
                        }
                    }
                }
                if (status == Tree.TRUE) {
                    node = child;
                    continue descend;
                }
            }
            return lastPrediction ? (Double) node.leaf().value() : null;
        }
        return (Double) node.leaf().value();
    }

    private static Tree.CategorySet set(boolean in) {
        return new Tree.CategorySet(1, in, new boolean[] {true, false, true}, false);
    }

    private static TreeNode leaf(Tree.Predicate predicate, double score) {
        return node(predicate, score, -1);
    }

    private static TreeNode node(Tree.Predicate predicate, double score, int defaultChild, TreeNode... children) {
        return new TreeNode(predicate, children, new Tree.Leaf("n" + score, score, null, -1), defaultChild);
    }
}
