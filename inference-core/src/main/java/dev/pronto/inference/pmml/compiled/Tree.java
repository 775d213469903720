package dev.pronto.inference.pmml.compiled;

/**
 * One compiled {@code TreeModel}: nodes with compiled predicates, walked as jpmml's
 * {@code ComplexTreeModelEvaluator} walks them when every value is present (first true child wins;
 * a node without a true child applies the model's {@code noTrueChildStrategy}).
 *
 * <p>Missing values never reach a tree: {@link CompiledFields#read} declines a record with a missing
 * or invalid input, and compiled DerivedFields are never missing, so predicates are always true or
 * false here and jpmml's {@code missingValueStrategy} never comes into play.
 *
 * <p>Immutable and thread-safe.
 */
final class Tree {

    /** How a comparison of a numeric field with a threshold is decided ({@code FieldValue.compareToValue}). */
    enum Comparison { EQUAL, NOT_EQUAL, LESS_THAN, LESS_OR_EQUAL, GREATER_THAN, GREATER_OR_EQUAL }

    /** A compiled node predicate. */
    sealed interface Predicate permits Constant, Compare, Category {

        boolean test(double[] slots, int[] categories);
    }

    /** {@code True}, {@code False}, and tests of presence, which are decided for records that reach a tree. */
    record Constant(boolean value) implements Predicate {

        @Override
        public boolean test(double[] slots, int[] categories) {
            return value;
        }
    }

    /**
     * A {@code SimplePredicate} on a numeric field, with {@link Double#compare} as jpmml's
     * {@code Comparable} comparison of two doubles (or of two floats, exactly held as doubles).
     */
    record Compare(int slot, Comparison comparison, double threshold) implements Predicate {

        @Override
        public boolean test(double[] slots, int[] categories) {
            int order = Double.compare(slots[slot], threshold);
            return switch (comparison) {
                case EQUAL -> order == 0;
                case NOT_EQUAL -> order != 0;
                case LESS_THAN -> order < 0;
                case LESS_OR_EQUAL -> order <= 0;
                case GREATER_THAN -> order > 0;
                case GREATER_OR_EQUAL -> order >= 0;
            };
        }
    }

    /**
     * A {@code SimplePredicate} equal or notEqual on a categorical string input; {@code value} is the
     * index of the predicate's value among the input's valid values, or -1 if it is none of them.
     */
    record Category(int input, boolean equal, int value) implements Predicate {

        @Override
        public boolean test(double[] slots, int[] categories) {
            return (categories[input] == value) == equal;
        }
    }

    /**
     * One node: its predicate, its children in document order, and its result if it has a score
     * ({@code null} otherwise).
     */
    static final class TreeNode {
        final Predicate predicate;
        final TreeNode[] children;
        final Leaf leaf;

        TreeNode(Predicate predicate, TreeNode[] children, Leaf leaf) {
            this.predicate = predicate;
            this.children = children;
            this.leaf = leaf;
        }
    }

    /**
     * What a node with a score gives: the entity id jpmml reports for it, the predicted value (a
     * boxed double for regression, the class label for classification) and, for classification, the
     * probability of each class in the target's category order.
     */
    record Leaf(String entityId, Object value, double[] probabilities) {
    }

    private final TreeNode root;
    private final boolean returnLastPrediction;

    Tree(TreeNode root, boolean returnLastPrediction) {
        this.root = root;
        this.returnLastPrediction = returnLastPrediction;
    }

    /**
     * The leaf jpmml selects for this record, or throws {@link NotCompiled} where jpmml would
     * predict nothing (no true root, no true child without a usable last prediction).
     */
    Leaf score(double[] slots, int[] categories) {
        TreeNode node = root;
        if (!node.predicate.test(slots, categories)) {
            throw NotCompiled.INSTANCE;
        }
        descend:
        while (node.children.length > 0) {
            for (TreeNode child : node.children) {
                if (child.predicate.test(slots, categories)) {
                    node = child;
                    continue descend;
                }
            }
            // ComplexTreeModelEvaluator.handleNoTrueChild: the parent, if it has a score
            if (returnLastPrediction && node.leaf != null) {
                return node.leaf;
            }
            throw NotCompiled.INSTANCE;
        }
        if (node.leaf == null) {
            throw NotCompiled.INSTANCE;
        }
        return node.leaf;
    }
}
