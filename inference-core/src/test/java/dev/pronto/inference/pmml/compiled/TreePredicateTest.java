package dev.pronto.inference.pmml.compiled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * A node takes its second child without testing it only when the two predicates are complements:
 * each pair here is checked against the predicates' own outcomes on values around the threshold,
 * missing and invalid ones included.
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
    void aCategoryThatIsNoValidValueDeclinesAnInvalidInput() {
        assertThatThrownBy(() -> new Tree.Category(0, true, -1).test(new double[0], new int[] {Input.Categorical.INVALID}))
                .isInstanceOf(NotCompiled.class);
    }
}
