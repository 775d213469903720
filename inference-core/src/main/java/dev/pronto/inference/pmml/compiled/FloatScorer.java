package dev.pronto.inference.pmml.compiled;

import java.util.List;

import dev.pronto.inference.Prediction;

/**
 * An XGBoost model (any ensemble in {@code x-mathContext="float"} of the shapes
 * {@link FloatEnsembleCompiler} takes) scored in float arithmetic exactly as jpmml scores it: a
 * regression ensemble of trees alone ({@link FloatSum}), or a model chain of such ensembles and a
 * link {@code RegressionModel} ({@link FloatLink}) for classification (logit, softmax) or regression
 * (e.g. Poisson's exp).
 *
 * <p>What jpmml returns, and so what this returns: a regression's value is the {@code Float} of the
 * target's type; a classification's label is the winning class (the first of equal maxima in table
 * order, {@code Classification.getWinner}), its probabilities are {@code Double}s widened from the
 * float values ({@code HasProbability.getProbability}), and its {@code probability} output fields,
 * declared float, are {@code Float}s. A regression ensemble alone reports each tree's leaf id where
 * jpmml's trees do ({@link TreeEnsembleCompiler#usesComplexTrees}); a chain reports none.
 *
 * <p>Immutable and thread-safe.
 */
final class FloatScorer extends SlotScorer {

    private final FloatSum[] members;
    /** The chain's last segment; {@code null} for a regression ensemble alone. */
    private final FloatLink link;
    /** A classification's tables and classes; {@code null} for a regression. */
    private final RegressionScorer.Classes classes;
    /** Whether a regression ensemble alone reports its trees' leaf ids. */
    private final boolean entityIds;
    private final ResultField[] resultFields;

    FloatScorer(CompiledFields fields, FloatSum[] members, FloatLink link, RegressionScorer.Classes classes, boolean entityIds,
            List<ResultField> resultFields, String modelType) {
        super(fields, members.length, modelType);
        this.members = members.clone();
        this.link = link;
        this.classes = classes;
        this.entityIds = entityIds;
        this.resultFields = resultFields.toArray(new ResultField[0]);
    }

    @Override
    Prediction score(double[] slots, int[] categories, int base) {
        if (link == null) {
            String[] ids = entityIds ? new String[members[0].treeCount()] : null;
            return regression(members[0].value(slots, categories, ids, 0), ids);
        }
        for (int m = 0; m < members.length; m++) {
            // the member's non-final output field is a float: its value reaches the link unchanged
            slots[base + m] = members[m].value(slots, categories, null, 0);
        }
        float[] values = link.evaluate(slots);
        return classes == null ? regression(values[0], null) : classification(values);
    }

    private Prediction regression(float value, String[] ids) {
        Float boxed = value;
        Prediction.Builder prediction = Prediction.builder(0, resultFields.length).value(boxed);
        for (ResultField field : resultFields) {
            prediction.field(field.name(), boxed);
        }
        return (ids != null ? prediction.entityIds(List.of(ids)) : prediction).build();
    }

    private Prediction classification(float[] values) {
        int winner = 0;
        for (int t = 1; t < values.length; t++) {
            if (Float.compare(values[winner], values[t]) < 0) {
                winner = t;
            }
        }
        Object label = classes.labels()[winner];
        int[] tableOfClass = classes.tableOfClass();
        Object[] keys = classes.classes();
        Prediction.Builder prediction = Prediction.builder(tableOfClass.length, resultFields.length).value(label);
        for (int c = 0; c < tableOfClass.length; c++) {
            prediction.probability(keys[c], (double) values[tableOfClass[c]]);
        }
        for (ResultField field : resultFields) {
            // FloatEnsembleCompiler takes only the target and float probabilities of the model's classes
            Object value = field.source() == ResultField.Source.TARGET ? label : (Object) values[field.index()];
            prediction.field(field.name(), value);
        }
        return prediction.build();
    }
}
