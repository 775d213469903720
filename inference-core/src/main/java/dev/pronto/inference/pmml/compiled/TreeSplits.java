package dev.pronto.inference.pmml.compiled;

/**
 * A compiled tree's two-way splits packed for the walk's hot loop ({@link #descend}): each node in
 * one int (what it is, the slot or input it reads, where a missing value goes) plus a threshold (a
 * numeric split) or two bit masks (a categorical one), so that a step costs a few independent loads
 * and one comparison. Gradient-boosted trees are nearly all such splits; a node that is not one,
 * and a value such a node cannot decide (an invalid category, a missing value without a known
 * child), is handed back to {@link Tree}'s general walk, which is the reference: every packed step
 * gives the child that walk gives (see {@link #numeric} and {@link #categorical} for why).
 *
 * <p>Immutable after construction and thread-safe.
 */
final class TreeSplits {

    private static final int LEAF = 0;
    /** A numeric split whose missing value goes where NaN's comparison sends it: no test for NaN. */
    private static final int NUMERIC = 1;
    /** A numeric split whose missing value the general walk decides. */
    private static final int NUMERIC_CHECKED = 2;
    private static final int CATEGORICAL = 3;
    private static final int GENERAL = 4;
    private static final int KIND = 7;
    /** A leaf whose score is a plain number ({@link #score}). */
    private static final int PLAIN = 1 << 3;
    /** A numeric split that compares the value's negation. */
    private static final int NEGATE = 1 << 3;
    /** A numeric split: the child offset when {@code value <= threshold} is 1 (0 without it). */
    private static final int FLIP_SHIFT = 4;
    private static final int MISSING_SHIFT = 5;
    /** Where a missing value goes: child 0, child 1, or the general walk. */
    private static final int MISSING_GENERAL = 2;
    private static final int INDEX_SHIFT = 8;

    /** Each node: its kind in bits 0-2, flags in 3-6, the slot or input it reads from bit 8. */
    private final int[] op;
    private final int[] firstChild;
    private final double[] threshold;
    /** A categorical split's masks at 2n (categories going to the second child) and 2n+1 (categories it decides). */
    private final long[] masks;
    private final double[] scores;
    /** Each tree's root: the trees' nodes follow one another. */
    private final int[] roots;

    /** One tree's splits, or a forest's (each tree's nodes after the previous tree's, {@link #root}). */
    TreeSplits(TreeLayout... layouts) {
        roots = new int[layouts.length];
        int count = 0;
        for (int t = 0; t < layouts.length; t++) {
            roots[t] = count;
            count += layouts[t].nodes.length;
        }
        op = new int[count];
        firstChild = new int[count];
        threshold = new double[count];
        masks = new long[2 * count];
        scores = new double[count];
        for (int t = 0; t < layouts.length; t++) {
            for (int n = 0; n < layouts[t].nodes.length; n++) {
                pack(layouts[t], n, roots[t]);
            }
        }
    }

    private void pack(TreeLayout layout, int local, int root) {
        int n = root + local;
        TreeNode node = layout.nodes[local];
        if (layout.firstChild[local] < 0) {
            firstChild[n] = -1;
            Tree.Leaf leaf = node.leaf();
            boolean plain = leaf != null && leaf.regression() == null && leaf.value() instanceof Double;
            op[n] = LEAF | (plain ? PLAIN : 0);
            scores[n] = plain ? (Double) leaf.value() : Double.NaN;
            return;
        }
        firstChild[n] = root + layout.firstChild[local];
        int unknown = layout.unknownChild[local];
        int missing = unknown == 0 || unknown == 1 ? unknown : MISSING_GENERAL;
        TreeNode first = layout.nodes[layout.firstChild[local]];
        if (layout.isTwoWay(local) && first.predicate() instanceof Tree.Compare compare && numeric(n, compare, missing)) {
            op[n] |= compare.slot() << INDEX_SHIFT;
        } else if (layout.childCount[local] == 2 && categorical(n, layout.table(local))) {
            op[n] = CATEGORICAL | missing << MISSING_SHIFT | layout.tableInput(local) << INDEX_SHIFT;
        } else {
            op[n] = GENERAL;
        }
    }

    /** Tree {@code t}'s root: its node {@code i} is {@code root(t) + i}. */
    int root(int t) {
        return roots[t];
    }

    /**
     * Packs {@code value comparison threshold} as {@code value <= t} for some t, if the comparison
     * is an order and the threshold finite and not zero: then {@link Double#compare}, jpmml's
     * comparison, orders a present value as {@code <=} does (they differ only on NaN, which is
     * missing here, and on the two zeros), and {@code x < t} is {@code x <= Math.nextDown(t)} for
     * every double x. A missing value (NaN) fails every comparison, so it goes to the child of the
     * false side without a test of its own: where that is not the child the walk sends it to, the
     * split compares the negation instead ({@code x > t} is {@code -x < -t}), whose false side is the
     * other child.
     */
    private boolean numeric(int n, Tree.Compare compare, int missing) {
        double t = compare.threshold();
        if (!Double.isFinite(t) || t == 0d) {
            return false;
        }
        // the child of the low side (value <= low), the other one taking the high side
        double low;
        int lowChild;
        switch (compare.comparison()) {
            case LESS_OR_EQUAL -> {
                low = t;
                lowChild = 0;
            }
            case LESS_THAN -> {
                low = Math.nextDown(t);
                lowChild = 0;
            }
            // x > t is not (x <= t), x >= t is not (x < t): the low side goes to the second child
            case GREATER_THAN -> {
                low = t;
                lowChild = 1;
            }
            case GREATER_OR_EQUAL -> {
                low = Math.nextDown(t);
                lowChild = 1;
            }
            default -> {
                return false;
            }
        }
        if (missing == MISSING_GENERAL) {
            threshold[n] = low;
            op[n] = NUMERIC_CHECKED | lowChild << FLIP_SHIFT;
        } else if (missing != lowChild) {
            // NaN fails value <= low: it takes the high side's child, as it should
            threshold[n] = low;
            op[n] = NUMERIC | lowChild << FLIP_SHIFT;
        } else {
            // value > low is -value < -low, i.e. -value <= nextDown(-low): NaN fails it, taking the low side's child
            threshold[n] = Math.nextDown(-low);
            op[n] = NUMERIC | NEGATE | (1 - lowChild) << FLIP_SHIFT;
        }
        return true;
    }

    /**
     * Packs a two-child categorical node's table (the predicates' own first true child for each
     * valid value) as masks, if it has at most 64 values; a value it has no child for, or beyond it,
     * is left to the general walk, as {@link TreeLayout#shortcut} leaves it.
     */
    private boolean categorical(int n, int[] table) {
        if (table == null || table.length > Long.SIZE) {
            return false;
        }
        long second = 0L;
        long decided = 0L;
        for (int value = 0; value < table.length; value++) {
            if (table[value] >= 0) {
                decided |= 1L << value;
                second |= (long) table[value] << value;
            }
        }
        masks[2 * n] = second;
        masks[2 * n + 1] = decided;
        return true;
    }

    /**
     * Walks from node {@code n} while the packed splits decide: the leaf reached (not negative), or
     * {@code ~node} for the node where the general walk must take over.
     */
    int descend(int n, double[] slots, int[] categories) {
        while (true) {
            int next = step(n, slots, categories);
            if (next == n || next < 0) {
                return next;
            }
            n = next;
        }
    }

    /**
     * Walks every tree of the forest at once, one level per pass over the trees still walking, so
     * that the processor overlaps their independent loads instead of waiting for each tree's in
     * turn: writes into {@code reached} what {@link #descend} gives for each tree's root.
     */
    void descendAll(double[] slots, int[] categories, int[] reached) {
        int live = roots.length;
        int[] walking = new int[live];
        for (int t = 0; t < live; t++) {
            walking[t] = t;
            reached[t] = roots[t];
        }
        while (live > 0) {
            int kept = 0;
            for (int i = 0; i < live; i++) {
                int t = walking[i];
                int n = reached[t];
                int next = step(n, slots, categories);
                reached[t] = next;
                if (next != n && next >= 0) {
                    walking[kept++] = t;
                }
            }
            live = kept;
        }
    }

    /** One step from node {@code n}: its child, {@code n} itself at a leaf, or {@code ~n} for the general walk. */
    private int step(int n, double[] slots, int[] categories) {
        int o = op[n];
        int offset;
        switch (o & KIND) {
            case LEAF -> {
                return n;
            }
            case NUMERIC -> {
                // no branch on the value: the processor cannot predict it, and a missing one needs no test
                long negate = (long) (o & NEGATE) << (Long.SIZE - 1 - 3);
                double value = Double.longBitsToDouble(Double.doubleToRawLongBits(slots[o >>> INDEX_SHIFT]) ^ negate);
                offset = (value <= threshold[n] ? 0 : 1) ^ (o >>> FLIP_SHIFT & 1);
            }
            case NUMERIC_CHECKED -> {
                double value = slots[o >>> INDEX_SHIFT];
                if (value <= threshold[n]) {
                    offset = o >>> FLIP_SHIFT & 1;
                } else if (value == value) {
                    offset = (o >>> FLIP_SHIFT & 1) ^ 1;
                } else {
                    return ~n;
                }
            }
            case CATEGORICAL -> {
                int category = categories[o >>> INDEX_SHIFT];
                if ((category & ~(Long.SIZE - 1)) == 0 && (masks[2 * n + 1] >>> category & 1L) != 0L) {
                    offset = (int) (masks[2 * n] >>> category & 1L);
                } else {
                    offset = (o >>> MISSING_SHIFT) & 3;
                    if (category != Input.Categorical.MISSING || offset == MISSING_GENERAL) {
                        return ~n;
                    }
                }
            }
            default -> {
                return ~n;
            }
        }
        return firstChild[n] + offset;
    }

    /** Whether node {@code n} is left to the general walk whatever the values. */
    boolean isGeneral(int n) {
        return (op[n] & KIND) == GENERAL;
    }

    /** Whether node {@code n} is a leaf with a plain number for its score ({@link #score}). */
    boolean hasScore(int n) {
        return op[n] == (LEAF | PLAIN);
    }

    /** A plain leaf's score: {@link Tree.Leaf#score} without the leaf (a regression node that embeds no table). */
    double score(int n) {
        return scores[n];
    }
}
