package dev.pronto.inference.pmml.compiled;

/**
 * The number a regression ensemble of trees gives: the trees' scores combined as its segmentation
 * says, then rescaled by its {@code Target}. Scikit-learn's, LightGBM's and R's gradient boosting are
 * such sums (inside a model chain for classifiers), random forest regressors such averages.
 *
 * <p>Mirrors jpmml-evaluator 1.7.7 with {@code DoubleValue} arithmetic: {@code ValueAggregator} adds
 * the scores in segment order from 0.0 ({@code weight * score} for the weighted methods), an average
 * divides by the count or by the weights' sum (added in the same order); then
 * {@code TargetUtil.processValue} multiplies by {@code rescaleFactor} and adds {@code rescaleConstant},
 * both always (1 and 0 by default: adding 0.0 turns -0.0 into 0.0, as in jpmml). A weighted median
 * (scikit-learn's AdaBoost) is {@code ValueAggregator.weightedMedian}: the scores stably sorted by
 * {@link Double#compare}, their weights added in that order from 0.0 until the running sum reaches
 * half the weights' sum (added in segment order), whose score it is.
 *
 * <p>Immutable and thread-safe.
 */
final class TreeSum {

    /** How the scores are combined ({@code Segmentation.MultipleModelMethod}, or one tree alone). */
    enum Method { SINGLE, AVERAGE, SUM, WEIGHTED_AVERAGE, WEIGHTED_SUM, WEIGHTED_MEDIAN }

    private final Tree[] trees;
    private final Method method;
    /** Each segment's weight; all 1.0 for the unweighted methods. */
    private final double[] weights;
    private final double weightSum;
    private final boolean rescaled;
    private final double rescaleFactor;
    private final double rescaleConstant;
    private final TreeSplits forest;

    /**
     * @param rescaled whether the model has a {@code Target} to apply (a lone tree never has one here)
     */
    TreeSum(Tree[] trees, Method method, double[] weights, boolean rescaled, double rescaleFactor, double rescaleConstant) {
        this.trees = trees.clone();
        this.method = method;
        this.weights = weights.clone();
        double sum = 0.0;
        for (double weight : weights) {
            sum += weight;
        }
        this.weightSum = sum;
        this.rescaled = rescaled;
        this.rescaleFactor = rescaleFactor;
        this.rescaleConstant = rescaleConstant;
        this.forest = forest(trees);
    }

    /** The trees' splits together, if every root is {@code True} (nearly always); {@code null} otherwise. */
    private static TreeSplits forest(Tree[] trees) {
        TreeLayout[] layouts = new TreeLayout[trees.length];
        for (int t = 0; t < trees.length; t++) {
            if (!trees[t].rootAlwaysTrue()) {
                return null;
            }
            layouts[t] = trees[t].layout();
        }
        return new TreeSplits(layouts);
    }

    int treeCount() {
        return trees.length;
    }

    /**
     * The ensemble's value for a record, writing each tree's leaf id into {@code ids} (when not null)
     * from {@code offset}; throws {@link NotCompiled} where jpmml gives no value or a non-finite one.
     */
    double value(double[] slots, int[] categories, String[] ids, int offset) {
        if (method == Method.SINGLE) {
            Tree.Leaf leaf = trees[0].score(slots, categories);
            if (ids != null) {
                ids[offset] = leaf.entityId();
            }
            return leaf.score(slots, categories);
        }
        if (method == Method.WEIGHTED_MEDIAN) {
            return rescale(weightedMedian(slots, categories, ids, offset));
        }
        boolean weighted = method == Method.WEIGHTED_AVERAGE || method == Method.WEIGHTED_SUM;
        double sum = 0.0;
        double[] scores = ids == null ? scores(slots, categories) : null;
        for (int t = 0; t < trees.length; t++) {
            double score = ids == null ? scores[t] : score(t, slots, categories, ids, offset);
            sum += weighted ? weights[t] * score : score;
        }
        double value = switch (method) {
            case AVERAGE -> sum / trees.length;
            case WEIGHTED_AVERAGE -> {
                if (weightSum == 0d) {
                    // jpmml throws UndefinedResultException: its error is the one to give
                    throw NotCompiled.INSTANCE;
                }
                yield sum / weightSum;
            }
            default -> sum;
        };
        return rescale(value);
    }

    /** Each tree's score, walking them all at once where their roots need no test ({@link TreeSplits#descendAll}). */
    private double[] scores(double[] slots, int[] categories) {
        double[] scores = new double[trees.length];
        if (forest == null) {
            for (int t = 0; t < trees.length; t++) {
                scores[t] = trees[t].regressionScore(slots, categories);
            }
            return scores;
        }
        int[] reached = new int[trees.length];
        forest.descendAll(slots, categories, reached);
        for (int t = 0; t < trees.length; t++) {
            int n = reached[t];
            if (n >= 0 && forest.hasScore(n)) {
                scores[t] = forest.score(n);
            } else {
                // the tree's own node numbers start at its root
                int root = forest.root(t);
                scores[t] = trees[t].regressionScore(n >= 0 ? n - root : ~(~n - root), slots, categories);
            }
        }
        return scores;
    }

    /** Tree {@code t}'s score, its leaf id written into {@code ids}. */
    private double score(int t, double[] slots, int[] categories, String[] ids, int offset) {
        Tree.Leaf leaf = trees[t].score(slots, categories);
        ids[offset + t] = leaf.entityId();
        return leaf.score(slots, categories);
    }

    /** {@code TargetUtil.processValue}: the Target's rescaling, if any; a non-finite result is left to jpmml. */
    private double rescale(double value) {
        if (rescaled) {
            value = value * rescaleFactor;
            value = value + rescaleConstant;
        }
        return NotCompiled.finite(value);
    }

    /** {@code ValueAggregator.weightedMedian}; none found (NaN weights) leaves the record to jpmml. */
    private double weightedMedian(double[] slots, int[] categories, String[] ids, int offset) {
        int count = trees.length;
        double[] scores = new double[count];
        int[] order = new int[count];
        for (int t = 0; t < count; t++) {
            Tree.Leaf leaf = trees[t].score(slots, categories);
            if (ids != null) {
                ids[offset + t] = leaf.entityId();
            }
            scores[t] = leaf.score(slots, categories);
            // insertion sort: stable, as Collections.sort is, and cheap for a few dozen trees
            int i = t;
            while (i > 0 && Double.compare(scores[order[i - 1]], scores[t]) > 0) {
                order[i] = order[i - 1];
                i--;
            }
            order[i] = t;
        }
        double half = 0.5 * weightSum;
        double cumulative = 0.0;
        for (int i = 0; i < count; i++) {
            cumulative += weights[order[i]];
            if (cumulative >= half) {
                return scores[order[i]];
            }
        }
        throw NotCompiled.INSTANCE;
    }
}
