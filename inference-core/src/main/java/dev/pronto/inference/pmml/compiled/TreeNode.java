package dev.pronto.inference.pmml.compiled;

/**
 * One node of a compiled {@link Tree}: its predicate, its children in document order, its result if
 * it has a score ({@code null} otherwise), and the index of its {@code defaultChild} among its
 * children (-1: none).
 *
 * <p>The walk tests a node's children in order and takes the first whose predicate is true, as
 * jpmml does. Most nodes let it know the child from one look instead ({@link #next}), which is
 * where a tree's CPU goes: a binary split ({@code x <= t} then {@code x > t}, or any two predicates
 * that are complements, {@link Tree.Predicate#isComplementOf}) is decided by its first predicate
 * alone, and children that all test one categorical input ({@code equal}, {@code isIn}: the splits
 * of scikit-learn's and LightGBM's categorical trees) by a table from each valid value to the first
 * child whose predicate holds for it, computed at load with the predicates themselves. A missing
 * value that makes the first child's predicate unknown is reported as such, for the tree's
 * missing-value strategy ({@link Tree#score} follows a default child at once); an invalid value, or
 * a valid one for which no child holds, takes the general walk, which applies the missing-value and
 * no-true-child strategies.
 *
 * <p>Immutable after construction and thread-safe.
 */
final class TreeNode {

    final Tree.Predicate predicate;
    final TreeNode[] children;
    final Tree.Leaf leaf;
    final int defaultChild;

    /** A binary split on a numeric comparison: its parts, copied here so the walk reads them from this node. */
    private final int splitSlot;
    private final Tree.Comparison splitComparison;
    private final double splitThreshold;
    /** Any other binary split: its first child's predicate decides. */
    private final boolean binarySplit;
    /** Children that all test the categorical input {@code categoryInput} (-1: none). */
    private final int categoryInput;
    /** The child the walk takes for each valid value of {@code categoryInput}; -1: the general walk. */
    private final int[] categoryChild;
    /** Whether the first child tests the category's value (unknown when it is missing), not True or isMissing. */
    private final boolean firstTestsCategory;

    TreeNode(Tree.Predicate predicate, TreeNode[] children, Tree.Leaf leaf, int defaultChild) {
        this.predicate = predicate;
        this.children = children;
        this.leaf = leaf;
        this.defaultChild = defaultChild;
        boolean complements = children.length == 2 && children[1].predicate.isComplementOf(children[0].predicate);
        Tree.Compare compare = complements && children[0].predicate instanceof Tree.Compare c ? c : null;
        this.splitSlot = compare == null ? -1 : compare.slot();
        this.splitComparison = compare == null ? null : compare.comparison();
        this.splitThreshold = compare == null ? Double.NaN : compare.threshold();
        int input = categoricalInput(children);
        this.categoryInput = compare == null ? input : -1;
        this.categoryChild = categoryInput >= 0 ? categoryTable(children, categoryInput) : null;
        this.binarySplit = complements && compare == null && categoryInput < 0;
        this.firstTestsCategory = children.length > 0
                && (children[0].predicate instanceof Tree.Category || children[0].predicate instanceof Tree.CategorySet);
    }

    /** What {@link #next} gives when the first child's predicate is unknown (its value is missing). */
    static final int FIRST_UNKNOWN = -2;

    /**
     * The index of the child the walk goes to, known without testing the children in turn;
     * {@link #FIRST_UNKNOWN} when the first child's predicate is unknown, for the tree's
     * missing-value strategy to decide; -1 when the general walk must decide (an invalid value, no
     * child that holds, no shortcut).
     */
    int next(double[] slots, int[] categories) {
        if (splitSlot >= 0) {
            return outcome(Tree.Compare.compare(slots[splitSlot], splitComparison, splitThreshold));
        }
        if (categoryChild != null) {
            int category = categories[categoryInput];
            if (category >= 0) {
                return category < categoryChild.length ? categoryChild[category] : -1;
            }
            return category == Input.Categorical.MISSING && firstTestsCategory ? FIRST_UNKNOWN : -1;
        }
        if (binarySplit) {
            return outcome(children[0].predicate.test(slots, categories));
        }
        return -1;
    }

    /** The child a binary split's first predicate sends the walk to. */
    private static int outcome(int status) {
        return status == Tree.UNKNOWN ? FIRST_UNKNOWN : status == Tree.TRUE ? 0 : 1;
    }

    /**
     * The categorical input every child's predicate tests ({@code True}/{@code False} test none),
     * or -1 if they test different inputs, a numeric one, or no input at all.
     */
    private static int categoricalInput(TreeNode[] children) {
        int input = -1;
        for (TreeNode child : children) {
            Tree.Predicate p = child.predicate;
            int tested;
            if (p instanceof Tree.Category category) {
                tested = category.input();
            } else if (p instanceof Tree.CategorySet set) {
                tested = set.input();
            } else if (p instanceof Tree.Missing missing) {
                tested = missing.input() >= 0 ? missing.input() : -2;
            } else {
                tested = p instanceof Tree.Constant ? -1 : -2;
            }
            if (tested == -2 || (tested >= 0 && input >= 0 && tested != input)) {
                return -1;
            }
            input = Math.max(input, tested);
        }
        return input;
    }

    /**
     * For each valid value of the input (up to the largest index a predicate names), the first child
     * whose predicate is true for it, asked of the predicates themselves; -1 where none is.
     */
    private static int[] categoryTable(TreeNode[] children, int input) {
        int values = 0;
        for (TreeNode child : children) {
            if (child.predicate instanceof Tree.Category category) {
                values = Math.max(values, category.value() + 1);
            } else if (child.predicate instanceof Tree.CategorySet set) {
                values = Math.max(values, set.members().length);
            }
        }
        int[] table = new int[values];
        int[] categories = new int[input + 1];
        for (int value = 0; value < values; value++) {
            categories[input] = value;
            table[value] = -1;
            for (int i = 0; i < children.length; i++) {
                if (children[i].predicate.test(new double[0], categories) == Tree.TRUE) {
                    table[value] = i;
                    break;
                }
            }
        }
        return table;
    }
}
