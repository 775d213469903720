package dev.pronto.inference.pmml.compiled;

/**
 * The number a regression ensemble of trees gives in {@code x-mathContext="float"} (XGBoost's): the
 * trees' float scores summed in float, then rescaled by its {@code Target} in float. The float twin
 * of {@link TreeSum}, kept apart because every step rounds to float where TreeSum's rounds to double.
 *
 * <p>Mirrors jpmml-evaluator 1.7.7 with {@code FloatValue} arithmetic, operation by operation:
 * <ul>
 *   <li>each segment's value is its leaf's score as a {@code Float} (jpmml-model parses the scores of
 *       a float model to floats), taken by {@code Number.floatValue()};</li>
 *   <li>{@code MiningModelUtil.aggregateValues} into a {@code SimpleFloatVector}: {@code sum} adds
 *       {@code value} from {@code 0f} in segment order; {@code weightedSum} adds
 *       {@code weight.floatValue() * value} (a float product), except where the segment's weight is
 *       exactly 1, where it adds {@code value} ({@code ValueAggregator.add(value, weight)});</li>
 *   <li>{@code TargetUtil.processValue}: {@code value * rescaleFactor.floatValue()}, then
 *       {@code + rescaleConstant.floatValue()}, both always where the model has a {@code Target}.</li>
 * </ul>
 * The result is a float, returned widened to a double (exact).
 *
 * <p>Immutable and thread-safe.
 */
final class FloatSum {

    private final Tree[] trees;
    /** Each segment's weight as a float; unused where {@link #weighted} is false. */
    private final float[] weights;
    /** Whether a segment's score is multiplied by its weight: weighted sums, weight not exactly 1. */
    private final boolean[] weighted;
    private final boolean rescaled;
    private final float rescaleFactor;
    private final float rescaleConstant;

    FloatSum(Tree[] trees, float[] weights, boolean[] weighted, boolean rescaled, float rescaleFactor, float rescaleConstant) {
        this.trees = trees.clone();
        this.weights = weights.clone();
        this.weighted = weighted.clone();
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
    float value(double[] slots, int[] categories, String[] ids, int offset) {
        float sum = 0f;
        for (int t = 0; t < trees.length; t++) {
            Tree.Leaf leaf = trees[t].score(slots, categories);
            if (ids != null) {
                ids[offset + t] = leaf.entityId();
            }
            // the leaf holds the float score exactly as a double
            float score = (float) (double) (Double) leaf.value();
            sum += weighted[t] ? weights[t] * score : score;
        }
        if (rescaled) {
            sum = sum * rescaleFactor;
            sum = sum + rescaleConstant;
        }
        if (!Float.isFinite(sum)) {
            throw NotCompiled.INSTANCE;
        }
        return sum;
    }
}
