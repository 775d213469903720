package dev.pronto.inference.pmml.compiled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * A node takes its second child without testing it only when the two predicates are complements
 * (each pair here is checked against the predicates' own outcomes on values around the threshold,
 * missing and invalid ones included), and a child of a categorical split from a table only for the
 * valid values the predicates decide.
 */
class TreePredicateTest {

    private static final double[] VALUES = {Double.NaN, Double.NEGATIVE_INFINITY, -1.0, 2.0, Math.nextDown(2.0),
        Math.nextUp(2.0), 5.0, Double.POSITIVE_INFINITY};
    private static final int[] CATEGORIES = {Input.Categorical.MISSING, Input.Categorical.INVALID, 0, 1, 2};

    @Test
    void numericSplitsAreComplementsOnlyForTheNegatedComparisonOfTheSameSlotAndThreshold() {
        assertComplements(compare(Tree.Comparison.LESS_OR_EQUAL, 2.0), compare(Tree.Comparison.GREATER_THAN, 2.0));
        assertComplements(compare(Tree.Comparison.LESS_THAN, 2.0), compare(Tree.Comparison.GREATER_OR_EQUAL, 2.0));
        assertComplements(compare(Tree.Comparison.EQUAL, 2.0), compare(Tree.Comparison.NOT_EQUAL, 2.0));
        assertComplements(compare(Tree.Comparison.GREATER_THAN, 2.0), compare(Tree.Comparison.LESS_OR_EQUAL, 2.0));

        assertNotComplements(compare(Tree.Comparison.LESS_OR_EQUAL, 2.0), compare(Tree.Comparison.GREATER_OR_EQUAL, 2.0));
        assertNotComplements(compare(Tree.Comparison.LESS_OR_EQUAL, 2.0),
                compare(Tree.Comparison.GREATER_THAN, Math.nextUp(2.0)));
        assertNotComplements(compare(Tree.Comparison.LESS_OR_EQUAL, 2.0),
                new Tree.Compare(1, Tree.Comparison.GREATER_THAN, 2.0));
        assertNotComplements(compare(Tree.Comparison.LESS_OR_EQUAL, 2.0), new Tree.Missing(0, -1, true));
    }

    @Test
    void categoricalAndConstantSplits() {
        assertComplements(new Tree.Category(0, true, 1), new Tree.Category(0, false, 1));
        assertNotComplements(new Tree.Category(0, true, 1), new Tree.Category(0, false, 2));
        assertNotComplements(new Tree.Category(0, true, 1), new Tree.Category(0, true, 1));
        assertComplements(set(true, false), set(false, false));
        assertComplements(set(true, true), set(false, true));
        assertNotComplements(set(true, false), set(false, true));
        assertNotComplements(set(true, false),
                new Tree.CategorySet(0, false, new boolean[] {false, true, true}, false));
        assertComplements(new Tree.Missing(0, -1, true), new Tree.Missing(0, -1, false));
        assertComplements(new Tree.Missing(-1, 0, false), new Tree.Missing(-1, 0, true));
        assertComplements(new Tree.Constant(true), new Tree.Constant(false));
        assertNotComplements(new Tree.Constant(true), new Tree.Constant(true));
    }

    private static Tree.Compare compare(Tree.Comparison comparison, double threshold) {
        return new Tree.Compare(0, comparison, threshold);
    }

    private static Tree.CategorySet set(boolean in, boolean foreign) {
        return new Tree.CategorySet(0, in, new boolean[] {true, false, true}, foreign);
    }

    private static void assertNotComplements(Tree.Predicate first, Tree.Predicate second) {
        assertThat(second.isComplementOf(first)).as("%s after %s", second, first).isFalse();
    }

    /** The claim, and what it promises: opposite outcomes, unknown together, declining together. */
    private static void assertComplements(Tree.Predicate first, Tree.Predicate second) {
        assertThat(second.isComplementOf(first)).as("%s after %s", second, first).isTrue();
        for (double value : VALUES) {
            for (int category : CATEGORIES) {
                double[] slots = {value, value};
                int[] categories = {category, category};
                Integer outcome = outcome(first, slots, categories);
                Integer other = outcome(second, slots, categories);
                String at = first + " / " + second + " at " + value + ", category " + category;
                if (outcome == null || outcome == Tree.UNKNOWN) {
                    assertThat(other).as(at).isEqualTo(outcome);
                } else {
                    assertThat(other).as(at).isEqualTo(outcome == Tree.TRUE ? Tree.FALSE : Tree.TRUE);
                }
            }
        }
    }

    /** The predicate's outcome, or null where it declines the record. */
    private static Integer outcome(Tree.Predicate predicate, double[] slots, int[] categories) {
        try {
            return predicate.test(slots, categories);
        } catch (NotCompiled declined) {
            return null;
        }
    }

    @Test
    void childrenOnOneCategoricalInputAreChosenByTableAndOnlyForValidValues() {
        // scikit-learn's categorical split: "equal Executive", then "isIn" the other values; a third value (2) in neither
        TreeLayout split = layout(Tree.MissingValues.NONE, new Tree.Category(1, true, 0),
                new Tree.CategorySet(1, true, new boolean[] {false, true}, false));
        assertThat(next(split, 0)).isEqualTo(0);
        assertThat(next(split, 1)).isEqualTo(1);
        assertThat(next(split, 2)).as("a valid value no child holds: the general walk").isEqualTo(TreeLayout.GENERAL);
        assertThat(next(split, Input.Categorical.MISSING)).as("no child holds for a missing value under none")
                .isEqualTo(TreeLayout.GENERAL);
        assertThat(next(split, Input.Categorical.INVALID)).isEqualTo(TreeLayout.GENERAL);
        // the first child that holds wins, a catch-all True after the categorical children included
        TreeLayout multiway = layout(Tree.MissingValues.NONE, new Tree.CategorySet(1, true, new boolean[] {true, true, false}, false),
                new Tree.Category(1, true, 1), new Tree.Constant(true));
        assertThat(next(multiway, 0)).isEqualTo(0);
        assertThat(next(multiway, 1)).isEqualTo(0);
        assertThat(next(multiway, 2)).isEqualTo(2);
        assertThat(next(multiway, Input.Categorical.MISSING)).isEqualTo(TreeLayout.FIRST_UNKNOWN);
        assertThat(multiway.unknownChild[0]).as("True is the first child a missing value leaves").isEqualTo(2);
        TreeLayout withMissing = layout(Tree.MissingValues.NONE, new Tree.Category(1, true, 0), new Tree.Missing(-1, 1, true),
                new Tree.Constant(true));
        assertThat(withMissing.unknownChild[0]).isEqualTo(1);
        // under defaultChild a missing value follows the default child (here the second)
        TreeLayout withDefault = new TreeLayout(root(1, new Tree.Category(1, true, 0), new Tree.Category(1, false, 0)),
                Tree.MissingValues.DEFAULT_CHILD);
        assertThat(next(withDefault, Input.Categorical.MISSING)).isEqualTo(TreeLayout.FIRST_UNKNOWN);
        assertThat(withDefault.unknownChild[0]).isEqualTo(1);
        // a first child that is True whatever the value: a missing value is not unknown to it
        assertThat(next(layout(Tree.MissingValues.NONE, new Tree.Constant(true), new Tree.Category(1, true, 1)),
                Input.Categorical.MISSING)).isEqualTo(TreeLayout.GENERAL);
        // children on two inputs, or a numeric one, are left to the general walk (no complements here)
        assertThat(next(layout(Tree.MissingValues.NONE, new Tree.Category(1, true, 0), new Tree.Category(0, true, 1)), 0))
                .isEqualTo(TreeLayout.GENERAL);
        assertThat(next(layout(Tree.MissingValues.NONE, new Tree.Category(1, true, 0),
                new Tree.Compare(0, Tree.Comparison.LESS_THAN, 1.0)), 0)).isEqualTo(TreeLayout.GENERAL);
    }

    @Test
    void aNumericSplitTakesTheSecondChildWhereTheFirstIsFalseAndAMissingValueWhereTheStrategySays() {
        TreeLayout split = layout(Tree.MissingValues.NONE, compare(Tree.Comparison.LESS_OR_EQUAL, 2.0),
                compare(Tree.Comparison.GREATER_THAN, 2.0));
        assertThat(split.shortcut(0, new double[] {2.0}, new int[0])).isEqualTo(0);
        assertThat(split.shortcut(0, new double[] {Math.nextUp(2.0)}, new int[0])).isEqualTo(1);
        assertThat(split.shortcut(0, new double[] {Double.NaN}, new int[0])).isEqualTo(TreeLayout.FIRST_UNKNOWN);
        assertThat(split.unknownChild[0]).as("the complement is unknown too").isEqualTo(-1);
        // scikit-learn's forests: "x <= t", then True
        TreeLayout catchAll = layout(Tree.MissingValues.NONE, compare(Tree.Comparison.LESS_OR_EQUAL, 2.0), new Tree.Constant(true));
        assertThat(catchAll.shortcut(0, new double[] {2.0}, new int[0])).isEqualTo(0);
        assertThat(catchAll.shortcut(0, new double[] {3.0}, new int[0])).isEqualTo(1);
        assertThat(catchAll.shortcut(0, new double[] {Double.NaN}, new int[0])).isEqualTo(TreeLayout.FIRST_UNKNOWN);
        assertThat(catchAll.unknownChild[0]).isEqualTo(1);
        assertThat(layout(Tree.MissingValues.LAST_PREDICTION, compare(Tree.Comparison.LESS_OR_EQUAL, 2.0),
                new Tree.Constant(true)).unknownChild[0]).as("the general walk applies lastPrediction").isEqualTo(-1);
        TreeLayout notASplit = layout(Tree.MissingValues.NONE, compare(Tree.Comparison.LESS_OR_EQUAL, 2.0),
                compare(Tree.Comparison.GREATER_THAN, 3.0));
        assertThat(notASplit.shortcut(0, new double[] {5.0}, new int[0])).isEqualTo(TreeLayout.GENERAL);
    }

    private static TreeLayout layout(Tree.MissingValues missingValues, Tree.Predicate... childPredicates) {
        return new TreeLayout(root(-1, childPredicates), missingValues);
    }

    private static TreeNode root(int defaultChild, Tree.Predicate... childPredicates) {
        TreeNode[] children = new TreeNode[childPredicates.length];
        for (int i = 0; i < children.length; i++) {
            children[i] = new TreeNode(childPredicates[i], new TreeNode[0], null, -1);
        }
        return new TreeNode(new Tree.Constant(true), children, null, defaultChild);
    }

    private static int next(TreeLayout layout, int category) {
        return layout.shortcut(0, new double[1], new int[] {Input.Categorical.MISSING, category});
    }

    @Test
    void aCategoryThatIsNoValidValueDeclinesAnInvalidInput() {
        assertThatThrownBy(() -> new Tree.Category(0, true, -1).test(new double[0], new int[] {Input.Categorical.INVALID}))
                .isInstanceOf(NotCompiled.class);
    }
}
