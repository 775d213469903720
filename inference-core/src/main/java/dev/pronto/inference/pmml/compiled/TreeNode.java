package dev.pronto.inference.pmml.compiled;

/**
 * One node of a compiled {@link Tree}: its predicate, its children in document order, its result if
 * it has a score ({@code null} otherwise), and the index of its {@code defaultChild} among its
 * children (-1: none).
 *
 * <p>The walk tests a node's children in order and takes the first whose predicate is true, as
 * jpmml does. Most nodes let it know the child from one look instead ({@link #next}), which is
 * where a tree's CPU goes: a two-way split ({@code x <= t} then {@code x > t}, any two predicates
 * that are complements, {@link Tree.Predicate#isComplementOf}, or a predicate then {@code True}) is
 * decided by its first predicate alone, and children that all test one categorical input
 * ({@code equal}, {@code isIn}, then perhaps {@code True}: the splits of scikit-learn's and
 * LightGBM's categorical trees) by a table from each valid value to the first child whose predicate
 * holds for it, computed at load with the predicates themselves. A missing value that makes the
 * first child's predicate unknown is reported as such, for the tree's missing-value strategy
 * ({@link Tree#score} follows a default child at once, or with the strategy {@code none} the child
 * the walk reaches by skipping unknown predicates, {@link #unknownSkipped}); an invalid value, or a
 * valid one for which no child holds, takes the general walk, which applies the missing-value and
 * no-true-child strategies.
 *
 * <p>Immutable after construction and thread-safe.
 */
final class TreeNode {

    final Tree.Predicate predicate;
    final TreeNode[] children;
    final Tree.Leaf leaf;
    final int defaultChild;

    /**
     * This node's predicate, copied here when it is a numeric comparison or a categorical
     * {@code equal}/{@code notEqual} (nearly all of them), so that the walk tests it from the node it is
     * at, without a call through the predicate's interface: {@code testKind} says which.
     */
    private final int testKind;
    private final int testIndex;
    private final Tree.Comparison testComparison;
    private final double testThreshold;
    private final boolean testEqual;
    private final int testValue;
    /** A two-way split: its first child's predicate decides. */
    private final boolean twoWay;
    /** Children that all test the categorical input {@code categoryInput} (-1: none). */
    private final int categoryInput;
    /** The child the walk takes for each valid value of {@code categoryInput}; -1: the general walk. */
    private final int[] categoryChild;
    /** Whether the first child's predicate is unknown when {@code categoryInput} is missing (not True or isMissing). */
    private final boolean firstTestsCategory;
    /**
     * The child the walk reaches under the missing-value strategy {@code none} when the first
     * child's predicate is unknown: the first later one that holds whatever the missing value is
     * ({@code True}, or a categorical predicate true for a missing value); -1: none, or not known
     * without the general walk.
     */
    final int unknownSkipped;

    TreeNode(Tree.Predicate predicate, TreeNode[] children, Tree.Leaf leaf, int defaultChild) {
        this.predicate = predicate;
        this.children = children;
        this.leaf = leaf;
        this.defaultChild = defaultChild;
        boolean catchAll = children.length == 2 && children[1].predicate instanceof Tree.Constant c && c.value();
        boolean split = catchAll || children.length == 2 && children[1].predicate.isComplementOf(children[0].predicate);
        boolean compare = split && children[0].predicate instanceof Tree.Compare;
        int input = compare ? -1 : categoricalInput(children);
        this.categoryInput = input;
        this.categoryChild = input >= 0 ? categoryTable(children, input) : null;
        this.twoWay = split && input < 0;
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
        this.firstTestsCategory = children.length > 0
                && (children[0].predicate instanceof Tree.Category || children[0].predicate instanceof Tree.CategorySet);
        if (input >= 0) {
            this.unknownSkipped = firstTestsCategory ? firstTrue(children, input, Input.Categorical.MISSING) : -1;
        } else {
            // a complement is unknown too where the first is (no child holds); True always holds
            this.unknownSkipped = catchAll ? 1 : -1;
        }
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
        if (categoryChild != null) {
            int category = categories[categoryInput];
            if (category >= 0) {
                return category < categoryChild.length ? categoryChild[category] : -1;
            }
            return category == Input.Categorical.MISSING && firstTestsCategory ? FIRST_UNKNOWN : -1;
        }
        if (twoWay) {
            return outcome(children[0].test(slots, categories));
        }
        return -1;
    }

    private static final int COMPARE = 0;
    private static final int CATEGORY = 1;
    private static final int OTHER = 2;

    /** This node's predicate: {@link Tree#TRUE}, {@link Tree#FALSE} or {@link Tree#UNKNOWN}. */
    int test(double[] slots, int[] categories) {
        return switch (testKind) {
            case COMPARE -> Tree.Compare.compare(slots[testIndex], testComparison, testThreshold);
            case CATEGORY -> Tree.Category.compare(categories[testIndex], testEqual, testValue);
            default -> predicate.test(slots, categories);
        };
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
        for (int value = 0; value < values; value++) {
            table[value] = firstTrue(children, input, value);
        }
        return table;
    }

    /**
     * The first child whose predicate is true when the categorical input has this index (a valid
     * one, or {@link Input.Categorical#MISSING}: unknown predicates are then skipped, as the
     * strategy {@code none} skips them), asked of the predicates themselves; -1 where none is.
     */
    private static int firstTrue(TreeNode[] children, int input, int category) {
        int[] categories = new int[input + 1];
        categories[input] = category;
        for (int i = 0; i < children.length; i++) {
            if (children[i].predicate.test(new double[0], categories) == Tree.TRUE) {
                return i;
            }
        }
        return -1;
    }
}
