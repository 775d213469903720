package dev.pronto.inference.pmml.compiled;

/**
 * A classification {@code RegressionModel} inside a model chain (a stacking ensemble's base
 * estimator: scikit-learn's LinearDiscriminantAnalysis or LogisticRegression) that hands one class's
 * probability on to the later segments through a non-final {@code probability} output field.
 *
 * <p>Mirrors jpmml-evaluator 1.7.7 as the standalone regression models do: each table as
 * {@code RegressionTableUtil.evaluate} ({@link LinearTable}), the probabilities as
 * {@code RegressionModelUtil.computeBinomialProbabilities} or {@code computeMultinomialProbabilities}
 * ({@link Normalization}), in table order; the output field's value is the probability of the table
 * whose {@code targetCategory} is the field's value ({@code OutputUtil}: the distribution's
 * {@code getProbability}). A missing or non-finite value declines the record ({@link NotCompiled}),
 * where jpmml's member would predict nothing.
 *
 * <p>Immutable and thread-safe.
 */
final class ClassifierMember {

    private final LinearTable[] tables;
    private final Normalization normalization;
    private final int handedTable;

    /**
     * @param handedTable the index of the table whose class probability the member hands on
     */
    ClassifierMember(LinearTable[] tables, Normalization normalization, int handedTable) {
        this.tables = tables.clone();
        this.normalization = normalization;
        this.handedTable = handedTable;
    }

    /** How many scratch slots {@link #probability} uses. */
    int tableCount() {
        return tables.length;
    }

    /** The probability the member hands on, computed in {@code slots[scratch, scratch + tableCount())}. */
    double probability(double[] slots, int[] categories, int scratch) {
        for (int t = 0; t < tables.length; t++) {
            // a missing value makes one table missing, and jpmml's whole distribution with it; binomial
            // normalisation would overwrite the second table's NaN, so each table is checked here
            slots[scratch + t] = NotCompiled.finite(tables[t].evaluate(slots, categories));
        }
        normalization.classification(slots, scratch, scratch + tables.length);
        return slots[scratch + handedTable];
    }
}
