package dev.pronto.inference.pmml.compiled;

/**
 * One compiled {@code TreeModel}: nodes with compiled predicates, walked as jpmml's
 * {@code ComplexTreeModelEvaluator} walks them when every value is present (first true child wins;
 * a node without a true child applies the model's {@code noTrueChildStrategy}).
 *
 * <p>A missing input reaches a tree as {@link Double#NaN} (a numeric one) or
 * {@link Input.Categorical#MISSING}; NaN is never a present value here, as {@link CompiledFields#read}
 * declines it. A predicate on a missing value is unknown ({@code null}, as in jpmml's
 * {@code PredicateUtil}), and the model's {@code missingValueStrategy} decides: {@code none} skips
 * the child, {@code lastPrediction} returns the node being searched, {@code defaultChild} follows
 * the node's default child, {@code nullPrediction} (and an
 * unknown root) leaves the record to jpmml. A DerivedField that refers to or casts a missing value is
 * missing too; one that computes with it is not mirrored, and such a record is declined while its
 * fields are read.
 *
 * <p>Immutable and thread-safe.
 */
final class Tree {

    /** How a comparison of a numeric field with a threshold is decided ({@code FieldValue.compareToValue}). */
    enum Comparison { EQUAL, NOT_EQUAL, LESS_THAN, LESS_OR_EQUAL, GREATER_THAN, GREATER_OR_EQUAL }

    /** How a tree treats a predicate on a missing value ({@code TreeModel.MissingValueStrategy}). */
    enum MissingValues { NONE, LAST_PREDICTION, NULL_PREDICTION, DEFAULT_CHILD }

    /** A compiled node predicate: true, false, or {@code null} when it is unknown because a value is missing. */
    sealed interface Predicate permits Constant, Compare, Category, CategorySet, Missing {

        Boolean test(double[] slots, int[] categories);
    }

    /** {@code True} and {@code False}. */
    record Constant(boolean value) implements Predicate {

        @Override
        public Boolean test(double[] slots, int[] categories) {
            return value;
        }
    }

    /**
     * {@code isMissing} (or, with {@code missing} false, {@code isNotMissing}) on a numeric slot or
     * (with {@code input} not negative) on a categorical input.
     */
    record Missing(int slot, int input, boolean missing) implements Predicate {

        @Override
        public Boolean test(double[] slots, int[] categories) {
            boolean isMissing = input >= 0 ? categories[input] == Input.Categorical.MISSING : Double.isNaN(slots[slot]);
            return isMissing == missing;
        }
    }

    /**
     * A {@code SimplePredicate} on a numeric field, with {@link Double#compare} as jpmml's
     * {@code Comparable} comparison of two doubles (or of two floats, exactly held as doubles).
     */
    record Compare(int slot, Comparison comparison, double threshold) implements Predicate {

        @Override
        public Boolean test(double[] slots, int[] categories) {
            double value = slots[slot];
            if (Double.isNaN(value)) {
                return null;
            }
            int order = Double.compare(value, threshold);
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
     * A {@code SimplePredicate} equal or notEqual on a categorical input; {@code value} is the
     * index of the predicate's value among the input's valid values, or -1 if it is none of them.
     * An invalid value kept as it is ({@link Input.Categorical#INVALID}) differs from every valid
     * value; whether it equals a predicate value that is not valid either is not mirrored (declined).
     */
    record Category(int input, boolean equal, int value) implements Predicate {

        @Override
        public Boolean test(double[] slots, int[] categories) {
            int category = categories[input];
            if (category == Input.Categorical.MISSING) {
                return null;
            }
            if (category == Input.Categorical.INVALID) {
                if (value < 0) {
                    throw NotCompiled.INSTANCE;
                }
                return !equal;
            }
            return (category == value) == equal;
        }
    }

    /**
     * A {@code SimpleSetPredicate} isIn (or, with {@code in} false, isNotIn) on a categorical
     * input; {@code members[i]} tells whether valid value {@code i} is in the predicate's array (a
     * value of the array that is not a valid value can never match a valid input); {@code foreign}
     * tells whether the array holds such a value, which an invalid value kept as it is
     * ({@link Input.Categorical#INVALID}) might equal: such a record is declined.
     */
    record CategorySet(int input, boolean in, boolean[] members, boolean foreign) implements Predicate {

        @Override
        public Boolean test(double[] slots, int[] categories) {
            int category = categories[input];
            if (category == Input.Categorical.MISSING) {
                return null;
            }
            if (category == Input.Categorical.INVALID) {
                if (foreign) {
                    throw NotCompiled.INSTANCE;
                }
                return !in;
            }
            return members[category] == in;
        }
    }

    /**
     * One node: its predicate, its children in document order, its result if it has a score
     * ({@code null} otherwise), and the index of its {@code defaultChild} among its children (-1: none).
     */
    static final class TreeNode {
        final Predicate predicate;
        final TreeNode[] children;
        final Leaf leaf;
        final int defaultChild;

        TreeNode(Predicate predicate, TreeNode[] children, Leaf leaf, int defaultChild) {
            this.predicate = predicate;
            this.children = children;
            this.leaf = leaf;
            this.defaultChild = defaultChild;
        }
    }

    /**
     * What a node with a score gives: the entity id jpmml reports for it, the predicted value (a
     * boxed double for regression, the class label for classification) and, for classification, the
     * probability of each class in the target's category order ({@code null} where the model's
     * votes need only the label), and the label's index among the classes (-1 for a regression);
     * for a regression node that embeds a {@code Regression} (LightGBM's linear trees), its table,
     * which gives the score instead of the node's own ({@code null} otherwise).
     */
    record Leaf(String entityId, Object value, double[] probabilities, int classIndex, LinearTable regression) {

        Leaf(String entityId, Object value, double[] probabilities, int classIndex) {
            this(entityId, value, probabilities, classIndex, null);
        }

        /**
         * A regression node's score for this record: {@code TreeModelEvaluator.evaluateEmbeddedRegression}'s
         * value where the node embeds a regression ({@code RegressionTableUtil.evaluateRegression}, whose
         * arithmetic is the RegressionModel's, {@link LinearTable}); a missing input (which makes jpmml
         * fall back to the node's score) or a non-finite value leaves the record to jpmml.
         */
        double score(double[] slots, int[] categories) {
            if (regression == null) {
                return (Double) value;
            }
            return NotCompiled.finite(regression.evaluate(slots, categories));
        }
    }

    private final TreeNode root;
    private final boolean returnLastPrediction;
    private final MissingValues missingValues;

    Tree(TreeNode root, boolean returnLastPrediction, MissingValues missingValues) {
        this.root = root;
        this.returnLastPrediction = returnLastPrediction;
        this.missingValues = missingValues;
    }

    /**
     * The leaf jpmml selects for this record, or throws {@link NotCompiled} where jpmml would
     * predict nothing (no true root, no true child without a usable last prediction).
     */
    Leaf score(double[] slots, int[] categories) {
        TreeNode node = root;
        if (!Boolean.TRUE.equals(node.predicate.test(slots, categories))) {
            throw NotCompiled.INSTANCE;
        }
        descend:
        while (node.children.length > 0) {
            for (TreeNode child : node.children) {
                Boolean status = child.predicate.test(slots, categories);
                if (status == null) {
                    // ComplexTreeModelEvaluator.handleMissingValue
                    switch (missingValues) {
                        case NONE -> {
                            continue;
                        }
                        case LAST_PREDICTION -> {
                            if (node.leaf == null) {
                                throw NotCompiled.INSTANCE;
                            }
                            return node.leaf;
                        }
                        case DEFAULT_CHILD -> {
                            // the parent's default child is followed without testing its own predicate
                            if (node.defaultChild < 0) {
                                throw NotCompiled.INSTANCE;
                            }
                            node = node.children[node.defaultChild];
                            continue descend;
                        }
                        default -> throw NotCompiled.INSTANCE;
                    }
                }
                if (status) {
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
