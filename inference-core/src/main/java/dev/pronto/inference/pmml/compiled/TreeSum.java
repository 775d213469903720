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
        for (int t = 0; t < trees.length; t++) {
            double score = ids == null ? trees[t].regressionScore(slots, categories) : score(t, slots, categories, ids, offset);
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
