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
    private static final int NUMERIC = 1;
    private static final int CATEGORICAL = 2;
    private static final int GENERAL = 3;
    /** A numeric split: the child offset (0 or 1) when {@code value <= threshold}; the other otherwise. */
    private static final int LOW_SECOND = 1 << 2;
    /** A leaf whose score is a plain number ({@link #score}). */
    private static final int PLAIN = 1 << 2;
    private static final int MISSING_SHIFT = 3;
    /** Where a missing value goes: child 0, child 1, or the general walk. */
    private static final int MISSING_GENERAL = 2;
    private static final int INDEX_SHIFT = 8;

    /** Each node: its kind in bits 0-1, flags in 2-4, the slot or input it reads from bit 8. */
    private final int[] op;
    private final int[] firstChild;
    private final double[] threshold;
    /** A categorical split's masks at 2n (categories going to the second child) and 2n+1 (categories it decides). */
    private final long[] masks;
    private final double[] scores;

    TreeSplits(TreeLayout layout) {
        int count = layout.nodes.length;
        op = new int[count];
        firstChild = layout.firstChild.clone();
        threshold = new double[count];
        masks = new long[2 * count];
        scores = new double[count];
        for (int n = 0; n < count; n++) {
            TreeNode node = layout.nodes[n];
            if (firstChild[n] < 0) {
                Tree.Leaf leaf = node.leaf();
                boolean plain = leaf != null && leaf.regression() == null && leaf.value() instanceof Double;
                op[n] = LEAF | (plain ? PLAIN : 0);
                scores[n] = plain ? (Double) leaf.value() : Double.NaN;
                continue;
            }
            int missing = layout.unknownChild[n] == 0 || layout.unknownChild[n] == 1 ? layout.unknownChild[n] : MISSING_GENERAL;
            TreeNode first = layout.nodes[firstChild[n]];
            if (layout.isTwoWay(n) && first.predicate() instanceof Tree.Compare compare && numeric(n, compare)) {
                op[n] |= NUMERIC | missing << MISSING_SHIFT | compare.slot() << INDEX_SHIFT;
            } else if (layout.childCount[n] == 2 && categorical(n, layout.table(n))) {
                op[n] = CATEGORICAL | missing << MISSING_SHIFT | layout.tableInput(n) << INDEX_SHIFT;
            } else {
                op[n] = GENERAL;
            }
        }
    }

    /**
     * Packs {@code value comparison threshold} as {@code value <= t} for some t, if the comparison
     * is an order and the threshold finite and not zero: then {@link Double#compare}, jpmml's
     * comparison, orders a present value as {@code <=} does (they differ only on NaN, which is
     * missing here, and on the two zeros), and {@code x < t} is {@code x <= Math.nextDown(t)} for
     * every double x.
     */
    private boolean numeric(int n, Tree.Compare compare) {
        double t = compare.threshold();
        if (!Double.isFinite(t) || t == 0d) {
            return false;
        }
        switch (compare.comparison()) {
            case LESS_OR_EQUAL -> threshold[n] = t;
            case LESS_THAN -> threshold[n] = Math.nextDown(t);
            // x > t is not (x <= t), x >= t is not (x < t): the low side goes to the second child
            case GREATER_THAN -> {
                threshold[n] = t;
                op[n] = LOW_SECOND;
            }
            case GREATER_OR_EQUAL -> {
                threshold[n] = Math.nextDown(t);
                op[n] = LOW_SECOND;
            }
            default -> {
                return false;
            }
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
        int[] op = this.op;
        while (true) {
            int o = op[n];
            int offset;
            switch (o & 3) {
                case LEAF -> {
                    return n;
                }
                case NUMERIC -> {
                    double value = slots[o >>> INDEX_SHIFT];
                    if (value <= threshold[n]) {
                        offset = (o & LOW_SECOND) >>> 2;
                    } else if (value == value) {
                        offset = ((o & LOW_SECOND) >>> 2) ^ 1;
                    } else {
                        offset = (o >>> MISSING_SHIFT) & 3;
                        if (offset == MISSING_GENERAL) {
                            return ~n;
                        }
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
            n = firstChild[n] + offset;
        }
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
