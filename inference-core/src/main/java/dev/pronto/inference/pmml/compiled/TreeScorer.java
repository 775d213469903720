package dev.pronto.inference.pmml.compiled;

import java.util.List;
import java.util.Map;

import dev.pronto.inference.Prediction;

/**
 * A {@code TreeModel}, or a {@code MiningModel} whose segments are trees averaged or summed (random
 * forests, extra trees, a plain sum of regression trees), scored by walking compiled trees instead
 * of jpmml's general evaluator, giving the very same values.
 *
 * <p>Why: on a 40-tree forest, jpmml builds per record and per tree an evaluation context, a trail,
 * a {@code ValueMap} of {@code Value}s, a segment result and its entity registry lookups, then
 * aggregates through vectors of boxed values; the trees themselves are a few dozen comparisons.
 *
 * <p>The arithmetic mirrors jpmml-evaluator 1.7.7 in the same order, so results are bit-identical:
 * <ul>
 *   <li>{@code ComplexTreeModelEvaluator}: first true child, {@code noTrueChildStrategy}, a leaf's
 *       probabilities as its record counts divided by their running sum unless that sum is one
 *       (computed once at load, {@link TreeCompiler});</li>
 *   <li>{@code ProbabilityAggregator.averageMap} and {@code ValueAggregator.average}/{@code sum}: a
 *       sum from 0.0 in segment order, then a division by the number of segments;</li>
 *   <li>{@code Classification.getWinner}: the first of equal maxima in class order;</li>
 *   <li>entity ids: each tree's leaf as {@code EntityUtil.getId} names it, in segment order.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
final class TreeScorer implements CompiledScorer {

    /** How the trees' results are combined ({@code Segmentation.MultipleModelMethod}, or one tree alone). */
    enum Aggregation { SINGLE, AVERAGE, SUM }

    private final CompiledFields fields;
    private final Tree[] trees;
    private final Aggregation aggregation;
    /** The classes in the target's order, as keys of the probabilities; {@code null} for a regression. */
    private final Object[] classes;
    /**
     * Whether jpmml's results carry leaf ids and class probabilities ({@code ComplexTreeModelEvaluator})
     * or only the score ({@code SimpleTreeModelEvaluator}).
     */
    private final boolean complex;
    private final ResultField[] resultFields;
    private final String modelType;

    TreeScorer(CompiledFields fields, List<Tree> trees, Aggregation aggregation, Object[] classes, boolean complex,
            List<ResultField> resultFields, String modelType) {
        this.fields = fields;
        this.trees = trees.toArray(new Tree[0]);
        this.aggregation = aggregation;
        this.classes = classes;
        this.complex = complex;
        this.resultFields = resultFields.toArray(new ResultField[0]);
        this.modelType = modelType;
    }

    @Override
    public String modelType() {
        return modelType;
    }

    @Override
    public Prediction predict(Map<String, ?> record) {
        try {
            double[] slots = new double[fields.slotCount()];
            int[] categories = fields.read(record, slots);
            String[] ids = complex ? new String[trees.length] : null;
            Tree.Leaf[] leaves = new Tree.Leaf[trees.length];
            for (int t = 0; t < trees.length; t++) {
                Tree.Leaf leaf = trees[t].score(slots, categories);
                leaves[t] = leaf;
                if (complex) {
                    ids[t] = leaf.entityId();
                }
            }
            return classes == null ? regression(leaves, ids) : classification(leaves, ids);
        } catch (NotCompiled e) {
            return null;
        }
    }

    private Prediction regression(Tree.Leaf[] leaves, String[] ids) {
        Double value;
        if (aggregation == Aggregation.SINGLE) {
            value = (Double) leaves[0].value();
        } else {
            double sum = 0.0;
            for (Tree.Leaf leaf : leaves) {
                sum += (Double) leaf.value();
            }
            value = NotCompiled.finite(aggregation == Aggregation.AVERAGE ? sum / leaves.length : sum);
        }
        Prediction.Builder prediction = Prediction.builder(0, resultFields.length).value(value);
        for (ResultField field : resultFields) {
            prediction.field(field.name(), value);
        }
        return (complex ? prediction.entityIds(List.of(ids)) : prediction).build();
    }

    private Prediction classification(Tree.Leaf[] leaves, String[] ids) {
        int count = classes.length;
        double[] probability;
        Object label;
        if (aggregation == Aggregation.SINGLE) {
            probability = leaves[0].probabilities();
            label = leaves[0].value();
        } else {
            probability = new double[count];
            for (Tree.Leaf leaf : leaves) {
                double[] p = leaf.probabilities();
                for (int c = 0; c < count; c++) {
                    probability[c] += p[c];
                }
            }
            for (int c = 0; c < count; c++) {
                probability[c] = probability[c] / leaves.length;
            }
            int winner = 0;
            for (int c = 1; c < count; c++) {
                if (Double.compare(probability[winner], probability[c]) < 0) {
                    winner = c;
                }
            }
            // jpmml's label is the winning category parsed to the target's type, as the categories already are
            label = classes[winner];
        }
        Double[] boxed = new Double[count];
        Prediction.Builder prediction = Prediction.builder(complex ? count : 0, resultFields.length).value(label);
        for (int c = 0; c < count; c++) {
            boxed[c] = probability[c];
            if (complex) {
                prediction.probability(classes[c], boxed[c]);
            }
        }
        for (ResultField field : resultFields) {
            Object value = switch (field.source()) {
                case TARGET -> label;
                case PROBABILITY -> boxed[field.index()];
                case ZERO -> 0.0;
            };
            prediction.field(field.name(), value);
        }
        return (complex ? prediction.entityIds(List.of(ids)) : prediction).build();
    }
}
