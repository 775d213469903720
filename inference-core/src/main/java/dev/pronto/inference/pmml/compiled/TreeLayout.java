package dev.pronto.inference.pmml.compiled;

import java.util.ArrayList;
import java.util.List;

/**
 * A compiled tree's nodes in arrays, breadth first, so that each node's children are consecutive
 * and the walk ({@link Tree#score}) goes from node to node by index through a few small arrays
 * instead of through objects spread over the heap: a forest of a few thousand nodes then fits
 * in the processor's caches, which is where a tree's CPU goes.
 *
 * <p>The walk tests a node's children in order and takes the first whose predicate is true, as
 * jpmml does, each test read from these arrays ({@link #test}). Most nodes let it know the child
 * from one look instead ({@link #shortcut}): a two-way split ({@code x <= t} then {@code x > t},
 * any other pair of complements, {@link Tree.Predicate#isComplementOf}, or a predicate then
 * {@code True}) is decided by its first predicate alone, and children that all test one categorical input ({@code equal}, {@code isIn},
 * then perhaps {@code True}: scikit-learn's and LightGBM's categorical splits) by a table from each
 * valid value to the first child whose predicate holds for it, computed at load with the predicates
 * themselves. A missing value that makes the first child's predicate unknown goes where the tree's
 * missing-value strategy sends it ({@link #unknownChild}: the default child, or under {@code none}
 * the first child that holds whatever the value); an invalid value, a valid one no child holds, and
 * every other node take the general walk, child by child.
 *
 * <p>Immutable after construction and thread-safe.
 */
final class TreeLayout {

    /** What {@link #shortcut} gives when the first child's predicate is unknown (its value is missing). */
    static final int FIRST_UNKNOWN = -2;
    /** What {@link #shortcut} gives when the general walk must decide. */
    static final int GENERAL = -1;

    private static final byte NO_SHORTCUT = 0;
    private static final byte TWO_WAY = 1;
    private static final byte CATEGORY_TABLE = 2;

    private static final byte COMPARE = 0;
    private static final byte CATEGORY = 1;
    private static final byte OTHER = 2;

    /** The nodes, breadth first: the root at 0. */
    final TreeNode[] nodes;
    /** The index of each node's first child; -1 for a node without children. */
    final int[] firstChild;
    final int[] childCount;
    /** Where {@link #shortcut} sends a missing value that makes the first child unknown; -1: the general walk. */
    final int[] unknownChild;
    private final byte[] kind;
    /** The categorical input a {@code CATEGORY_TABLE} reads, and its table. */
    private final int[] tableInput;
    private final int[][] table;
    /**
     * Each node's own predicate, copied here when it is a numeric comparison or a categorical
     * {@code equal}/{@code notEqual} (nearly all of them), so that the walk tests it without a call
     * through the predicate's interface, which takes five forms and cost a fifth of a rule-list
     * forest's CPU in dispatch alone: {@code testKind} says which.
     */
    private final byte[] testKind;
    /** The slot of a comparison, the input of a category. */
    private final int[] testIndex;
    private final Tree.Comparison[] testComparison;
    private final double[] testThreshold;
    private final boolean[] testEqual;
    private final int[] testValue;

    TreeLayout(TreeNode root, Tree.MissingValues missingValues) {
        List<TreeNode> order = new ArrayList<>();
        order.add(root);
        for (int i = 0; i < order.size(); i++) {
            order.addAll(List.of(order.get(i).children()));
        }
        int count = order.size();
        nodes = order.toArray(new TreeNode[0]);
        firstChild = new int[count];
        childCount = new int[count];
        unknownChild = new int[count];
        kind = new byte[count];
        tableInput = new int[count];
        table = new int[count][];
        testKind = new byte[count];
        testIndex = new int[count];
        testComparison = new Tree.Comparison[count];
        testThreshold = new double[count];
        testEqual = new boolean[count];
        testValue = new int[count];
        int next = 1;
        for (int i = 0; i < count; i++) {
            copyTest(i, nodes[i].predicate());
            TreeNode[] children = nodes[i].children();
            firstChild[i] = children.length == 0 ? -1 : next;
            childCount[i] = children.length;
            next += children.length;
            unknownChild[i] = -1;
            if (children.length > 0) {
                describe(i, children, missingValues);
            }
        }
    }

    private void describe(int i, TreeNode[] children, Tree.MissingValues missingValues) {
        Tree.Predicate first = children[0].predicate();
        boolean catchAll = children.length == 2 && children[1].predicate() instanceof Tree.Constant c && c.value();
        boolean split = catchAll || children.length == 2 && children[1].predicate().isComplementOf(first);
        int input = split && first instanceof Tree.Compare ? -1 : categoricalInput(children);
        // under none, unknown children are skipped: a complement is unknown too, True always holds
        int skipped = catchAll ? 1 : -1;
        if (input >= 0) {
            kind[i] = CATEGORY_TABLE;
            tableInput[i] = input;
            table[i] = categoryTable(children, input);
            // a missing value makes the first child unknown only if it tests the value (not True or isMissing)
            boolean firstUnknown = first instanceof Tree.Category || first instanceof Tree.CategorySet;
            if (!firstUnknown) {
                return;
            }
            skipped = firstTrue(children, input, Input.Categorical.MISSING);
        } else if (split) {
            kind[i] = TWO_WAY;
        } else {
            kind[i] = NO_SHORTCUT;
            return;
        }
        if (missingValues == Tree.MissingValues.DEFAULT_CHILD) {
            unknownChild[i] = nodes[i].defaultChild();
        } else if (missingValues == Tree.MissingValues.NONE) {
            unknownChild[i] = skipped;
        }
    }

    /**
     * The offset of the child the walk goes to from node {@code n}, known without testing the
     * children in turn; {@link #FIRST_UNKNOWN} when the first child's predicate is unknown (see
     * {@link #unknownChild}); {@link #GENERAL} when the general walk must decide.
     */
    int shortcut(int n, double[] slots, int[] categories) {
        switch (kind[n]) {
            case TWO_WAY -> {
                return outcome(test(firstChild[n], slots, categories));
            }
            case CATEGORY_TABLE -> {
                int category = categories[tableInput[n]];
                int[] children = table[n];
                if (category >= 0) {
                    return category < children.length ? children[category] : GENERAL;
                }
                return category == Input.Categorical.MISSING && unknownChild[n] != -1 ? FIRST_UNKNOWN : GENERAL;
            }
            default -> {
                return GENERAL;
            }
        }
    }

    /** Whether node {@code n} is a two-way split, decided by its first child's predicate alone. */
    boolean isTwoWay(int n) {
        return kind[n] == TWO_WAY;
    }

    /** Node {@code n}'s table from each valid value of {@link #tableInput} to its child, or {@code null}. */
    int[] table(int n) {
        return kind[n] == CATEGORY_TABLE ? table[n] : null;
    }

    int tableInput(int n) {
        return tableInput[n];
    }

    /** Node {@code n}'s predicate: {@link Tree#TRUE}, {@link Tree#FALSE} or {@link Tree#UNKNOWN}. */
    int test(int n, double[] slots, int[] categories) {
        return switch (testKind[n]) {
            case COMPARE -> Tree.Compare.compare(slots[testIndex[n]], testComparison[n], testThreshold[n]);
            case CATEGORY -> Tree.Category.compare(categories[testIndex[n]], testEqual[n], testValue[n]);
            default -> nodes[n].predicate().test(slots, categories);
        };
    }

    private void copyTest(int n, Tree.Predicate predicate) {
        if (predicate instanceof Tree.Compare c) {
            testKind[n] = COMPARE;
            testIndex[n] = c.slot();
            testComparison[n] = c.comparison();
            testThreshold[n] = c.threshold();
        } else if (predicate instanceof Tree.Category c) {
            testKind[n] = CATEGORY;
            testIndex[n] = c.input();
            testEqual[n] = c.equal();
            testValue[n] = c.value();
        } else {
            testKind[n] = OTHER;
        }
    }

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
            Tree.Predicate p = child.predicate();
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

    /** For each valid value of the input (up to the largest index a predicate names), {@link #firstTrue}. */
    private static int[] categoryTable(TreeNode[] children, int input) {
        int values = 0;
        for (TreeNode child : children) {
            if (child.predicate() instanceof Tree.Category category) {
                values = Math.max(values, category.value() + 1);
            } else if (child.predicate() instanceof Tree.CategorySet set) {
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
            if (children[i].predicate().test(new double[0], categories) == Tree.TRUE) {
                return i;
            }
        }
        return -1;
    }
}
