package dev.pronto.inference.pmml.compiled;

/**
 * One node of a compiled {@link Tree}: its predicate, its children in document order, its result if
 * it has a score ({@code null} otherwise), and the index of its {@code defaultChild} among its
 * children (-1: none). The walk goes through the nodes as laid out in a {@link TreeLayout}.
 *
 * <p>Immutable and thread-safe.
 */
final class TreeNode {

    private static final int COMPARE = 0;
    private static final int CATEGORY = 1;
    private static final int OTHER = 2;

    final Tree.Predicate predicate;
    final TreeNode[] children;
    final Tree.Leaf leaf;
    final int defaultChild;

    /**
     * This node's predicate, copied here when it is a numeric comparison or a categorical
     * {@code equal}/{@code notEqual} (nearly all of them), so that the walk tests it without a call
     * through the predicate's interface, which takes five forms and cost a fifth of a rule-list
     * forest's CPU in dispatch alone: {@code testKind} says which.
     */
    private final int testKind;
    private final int testIndex;
    private final Tree.Comparison testComparison;
    private final double testThreshold;
    private final boolean testEqual;
    private final int testValue;

    TreeNode(Tree.Predicate predicate, TreeNode[] children, Tree.Leaf leaf, int defaultChild) {
        this.predicate = predicate;
        this.children = children;
        this.leaf = leaf;
        this.defaultChild = defaultChild;
        if (predicate instanceof Tree.Compare c) {
            this.testKind = COMPARE;
            this.testIndex = c.slot();
            this.testComparison = c.comparison();
            this.testThreshold = c.threshold();
            this.testEqual = false;
            this.testValue = 0;
        } else if (predicate instanceof Tree.Category c) {
            this.testKind = CATEGORY;
            this.testIndex = c.input();
            this.testComparison = null;
            this.testThreshold = Double.NaN;
            this.testEqual = c.equal();
            this.testValue = c.value();
        } else {
            this.testKind = OTHER;
            this.testIndex = -1;
            this.testComparison = null;
            this.testThreshold = Double.NaN;
            this.testEqual = false;
            this.testValue = 0;
        }
    }

    /** This node's predicate: {@link Tree#TRUE}, {@link Tree#FALSE} or {@link Tree#UNKNOWN}. */
    int test(double[] slots, int[] categories) {
        return switch (testKind) {
            case COMPARE -> Tree.Compare.compare(slots[testIndex], testComparison, testThreshold);
            case CATEGORY -> Tree.Category.compare(categories[testIndex], testEqual, testValue);
            default -> predicate.test(slots, categories);
        };
    }
}
