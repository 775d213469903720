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

    /** A predicate's outcome: true. */
    static final int TRUE = 1;
    /** A predicate's outcome: false. */
    static final int FALSE = 0;
    /** A predicate's outcome: unknown because a value is missing ({@code null} in jpmml's {@code PredicateUtil}). */
    static final int UNKNOWN = -1;

    /**
     * A compiled node predicate: {@link #TRUE}, {@link #FALSE} or {@link #UNKNOWN} (an int rather than
     * a nullable {@code Boolean}, as the walk tests a few hundred predicates per record).
     */
    sealed interface Predicate permits Constant, Compare, Category, CategorySet, Missing {

        int test(double[] slots, int[] categories);

        /**
         * Whether {@code other} is false exactly where this is true and true exactly where this is
         * false, unknown where this is unknown, and declines wherever this declines: then a node
         * whose first child's predicate is false goes to the second without testing it (the split of
         * every binary tree: {@code x <= t} then {@code x > t}).
         */
        boolean isComplementOf(Predicate other);
    }

    private static int outcome(boolean value) {
        return value ? TRUE : FALSE;
    }

    /** {@code True} and {@code False}. */
    record Constant(boolean value) implements Predicate {

        @Override
        public int test(double[] slots, int[] categories) {
            return outcome(value);
        }

        @Override
        public boolean isComplementOf(Predicate other) {
            return other instanceof Constant constant && constant.value != value;
        }
    }

    /**
     * {@code isMissing} (or, with {@code missing} false, {@code isNotMissing}) on a numeric slot or
     * (with {@code input} not negative) on a categorical input.
     */
    record Missing(int slot, int input, boolean missing) implements Predicate {

        @Override
        public int test(double[] slots, int[] categories) {
            boolean isMissing = input >= 0 ? categories[input] == Input.Categorical.MISSING : Double.isNaN(slots[slot]);
            return outcome(isMissing == missing);
        }

        @Override
        public boolean isComplementOf(Predicate other) {
            return other instanceof Missing that && that.slot == slot && that.input == input && that.missing != missing;
        }
    }

    /**
     * A {@code SimplePredicate} on a numeric field, with {@link Double#compare} as jpmml's
     * {@code Comparable} comparison of two doubles (or of two floats, exactly held as doubles).
     */
    record Compare(int slot, Comparison comparison, double threshold) implements Predicate {

        @Override
        public int test(double[] slots, int[] categories) {
            return compare(slots[slot], comparison, threshold);
        }

        static int compare(double value, Comparison comparison, double threshold) {
            if (Double.isNaN(value)) {
                return UNKNOWN;
            }
            int order = Double.compare(value, threshold);
            return outcome(switch (comparison) {
                case EQUAL -> order == 0;
                case NOT_EQUAL -> order != 0;
                case LESS_THAN -> order < 0;
                case LESS_OR_EQUAL -> order <= 0;
                case GREATER_THAN -> order > 0;
                case GREATER_OR_EQUAL -> order >= 0;
            });
        }

        @Override
        public boolean isComplementOf(Predicate other) {
            return other instanceof Compare that && that.slot == slot && Double.compare(that.threshold, threshold) == 0
                    && that.comparison == negation(comparison);
        }

        static Comparison negation(Comparison comparison) {
            return switch (comparison) {
                case EQUAL -> Comparison.NOT_EQUAL;
                case NOT_EQUAL -> Comparison.EQUAL;
                case LESS_THAN -> Comparison.GREATER_OR_EQUAL;
                case GREATER_OR_EQUAL -> Comparison.LESS_THAN;
                case LESS_OR_EQUAL -> Comparison.GREATER_THAN;
                case GREATER_THAN -> Comparison.LESS_OR_EQUAL;
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
        public int test(double[] slots, int[] categories) {
            return compare(categories[input], equal, value);
        }

        static int compare(int category, boolean equal, int value) {
            if (category == Input.Categorical.MISSING) {
                return UNKNOWN;
            }
            if (category == Input.Categorical.INVALID) {
                if (value < 0) {
                    throw NotCompiled.INSTANCE;
                }
                return outcome(!equal);
            }
            return outcome((category == value) == equal);
        }

        @Override
        public boolean isComplementOf(Predicate other) {
            return other instanceof Category that && that.input == input && that.value == value && that.equal != equal;
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
        public int test(double[] slots, int[] categories) {
            int category = categories[input];
            if (category == Input.Categorical.MISSING) {
                return UNKNOWN;
            }
            if (category == Input.Categorical.INVALID) {
                if (foreign) {
                    throw NotCompiled.INSTANCE;
                }
                return outcome(!in);
            }
            return outcome(members[category] == in);
        }

        @Override
        public boolean isComplementOf(Predicate other) {
            return other instanceof CategorySet that && that.input == input && that.in != in && that.foreign == foreign
                    && java.util.Arrays.equals(that.members, members);
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
         * arithmetic is the RegressionModel's, {@link LinearTable}); the node's own score where a
         * numeric predictor's input is missing ({@code RegressionTableUtil.evaluate} then gives no
         * value, and both tree evaluators fall back to {@code Node.requireScore}); a non-finite value
         * leaves the record to jpmml.
         */
        double score(double[] slots, int[] categories) {
            if (regression == null || regression.missesNumericInput(slots)) {
                return (Double) value;
            }
            return NotCompiled.finite(regression.evaluate(slots, categories));
        }
    }

    private final TreeLayout layout;
    private final TreeSplits splits;
    private final boolean rootAlwaysTrue;
    private final boolean returnLastPrediction;
    private final MissingValues missingValues;

    Tree(TreeNode root, boolean returnLastPrediction, MissingValues missingValues) {
        this.layout = new TreeLayout(root, missingValues);
        this.splits = new TreeSplits(layout);
        this.rootAlwaysTrue = root.predicate() instanceof Constant constant && constant.value();
        this.returnLastPrediction = returnLastPrediction;
        this.missingValues = missingValues;
    }

    /**
     * The leaf jpmml selects for this record, or throws {@link NotCompiled} where jpmml would
     * predict nothing (no true root, no true child without a usable last prediction).
     */
    Leaf score(double[] slots, int[] categories) {
        return leaf(layout.nodes[find(slots, categories)]);
    }

    /**
     * {@code score(slots, categories).score(slots, categories)}, read from a plain array where the
     * node's score is a plain number (every leaf of a gradient-boosted regression tree), so that a
     * sum of trees follows no object per tree.
     */
    double regressionScore(double[] slots, int[] categories) {
        return score(find(slots, categories), slots, categories);
    }

    /**
     * {@link #regressionScore} from where the packed splits stopped (what {@link TreeSplits#descend}
     * gives from the root, which the caller found true).
     */
    double regressionScore(int reached, double[] slots, int[] categories) {
        return score(resume(reached, slots, categories), slots, categories);
    }

    private double score(int n, double[] slots, int[] categories) {
        return splits.hasScore(n) ? splits.score(n) : leaf(layout.nodes[n]).score(slots, categories);
    }

    /** The node whose result jpmml takes. */
    private int find(double[] slots, int[] categories) {
        if (!rootAlwaysTrue && layout.test(0, slots, categories) != TRUE) {
            throw NotCompiled.INSTANCE;
        }
        return resume(splits.descend(0, slots, categories), slots, categories);
    }

    /**
     * From where the packed splits stopped, a leaf or {@code ~node} ({@link TreeSplits#descend}),
     * the node whose result jpmml takes: the general walk takes one node where the splits do not
     * decide, then they go on.
     */
    private int resume(int n, double[] slots, int[] categories) {
        while (n < 0) {
            int next = step(~n, slots, categories);
            if (next < 0) {
                return ~next;
            }
            // a node the splits do not pack goes on in the general walk without a round trip (rule lists: XGBoost's trees)
            n = splits.isGeneral(next) ? ~next : splits.descend(next, slots, categories);
        }
        return n;
    }

    /** Whether the root's predicate is {@code True}, so that the walk need not test it. */
    boolean rootAlwaysTrue() {
        return rootAlwaysTrue;
    }

    TreeLayout layout() {
        return layout;
    }

    /**
     * The general walk at internal node {@code n}: the child it goes to, or {@code ~n} where node
     * {@code n} itself gives the result (a last prediction).
     */
    private int step(int n, double[] slots, int[] categories) {
        TreeLayout tree = layout;
        int first = tree.firstChild[n];
        int next = tree.shortcut(n, slots, categories);
        if (next >= 0) {
            return first + next;
        }
        if (next == TreeLayout.FIRST_UNKNOWN && tree.unknownChild[n] >= 0) {
            return first + tree.unknownChild[n];
        }
        int count = tree.childCount[n];
        for (int c = 0; c < count; c++) {
            int status = tree.test(first + c, slots, categories);
            if (status == UNKNOWN) {
                // ComplexTreeModelEvaluator.handleMissingValue
                switch (missingValues) {
                    case NONE -> {
                        continue;
                    }
                    case LAST_PREDICTION -> {
                        return ~n;
                    }
                    case DEFAULT_CHILD -> {
                        // the parent's default child is followed without testing its own predicate
                        int defaultChild = tree.nodes[n].defaultChild();
                        if (defaultChild < 0) {
                            throw NotCompiled.INSTANCE;
                        }
                        return first + defaultChild;
                    }
                    default -> throw NotCompiled.INSTANCE;
                }
            }
            if (status == TRUE) {
                return first + c;
            }
        }
        // ComplexTreeModelEvaluator.handleNoTrueChild: the parent, if it has a score
        if (returnLastPrediction) {
            return ~n;
        }
        throw NotCompiled.INSTANCE;
    }

    /** The node's result; one without a score predicts nothing, which is jpmml's to say. */
    private static Leaf leaf(TreeNode node) {
        Leaf leaf = node.leaf();
        if (leaf == null) {
            throw NotCompiled.INSTANCE;
        }
        return leaf;
    }
}
