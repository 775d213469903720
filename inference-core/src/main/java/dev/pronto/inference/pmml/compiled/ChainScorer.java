package dev.pronto.inference.pmml.compiled;

import dev.pronto.inference.Prediction;

/**
 * A gradient-boosting classifier compiled by {@link BoostingCompiler}: each member ensemble's value
 * (a sum of trees, rescaled by its Target), then the link {@code RegressionModel} over those values
 * with its normalisation (logit, softmax), giving jpmml's very values.
 *
 * <p>Why: jpmml evaluates such a chain as nested evaluators (a context per member, a segment result
 * per tree, output fields declared into the chain's context), then a regression model; the trees
 * themselves are a few comparisons each.
 *
 * <p>Mirrors jpmml-evaluator 1.7.7: the members as {@link TreeSum}, in segment order; each member's
 * value reaches the link as the double of its output field; the link as {@link RegressionScorer}
 * (tables, normalisation, winner, outputs). The chain's result is its last segment's, so it reports
 * no leaf ids, as jpmml's does not.
 *
 * <p>Immutable and thread-safe.
 */
final class ChainScorer extends SlotScorer {

    private final TreeSum[] members;
    private final RegressionScorer link;

    ChainScorer(CompiledFields fields, TreeSum[] members, RegressionScorer link, String modelType) {
        super(fields, members.length + link.tableCount(), modelType);
        this.members = members.clone();
        this.link = link;
    }

    @Override
    Prediction score(double[] slots, int[] categories, int base) {
        for (int m = 0; m < members.length; m++) {
            slots[base + m] = members[m].value(slots, categories, null, 0);
        }
        return link.scoreFrom(slots, categories, base + members.length);
    }
}
