package dev.pronto.inference.pmml.compiled;

import java.util.List;

import dev.pronto.inference.Prediction;

/**
 * A PMML {@code RegressionModel} of a narrow shape scored by straight-line code instead of jpmml's
 * general evaluator, giving the very same doubles.
 *
 * <p>Why: for a logistic regression, jpmml's per-record machinery (prepared {@code FieldValue}s, an
 * {@code EvaluationContext}, {@code Value} objects, a {@code ValueMap}, a {@code Classification}, the
 * result map and its decoding) costs far more than the dozen multiply-adds and the softmax the model
 * is made of. {@link RegressionCompiler} builds an instance only for models whose every step is
 * mirrored here, and {@link CrossCheck} compares it with jpmml before it is used.
 *
 * <p>The arithmetic mirrors jpmml-evaluator 1.7.7 operation by operation, in the same order, so that
 * results are bit-identical:
 * <ul>
 *   <li>{@code InputFieldUtil.prepareInputValue}: only the path of a valid, present, finite number
 *       or a declared category ({@link Input});</li>
 *   <li>{@code ExpressionUtil.evaluateApply} and {@code Functions} for DerivedFields ({@link Node});</li>
 *   <li>{@code RegressionTableUtil.evaluate} ({@link LinearTable});</li>
 *   <li>{@code RegressionModelUtil} and {@code DoubleValue}: normalisations and probabilities
 *       ({@link Normalization});</li>
 *   <li>{@code Classification.getWinner}: Guava's {@code Ordering.max} keeps the first of equal
 *       maxima, compared with {@link Double#compare};</li>
 *   <li>{@code OutputUtil}: {@code probability} (0.0 for a category the model does not have) and
 *       {@code predictedValue}.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
final class RegressionScorer extends SlotScorer {

    /**
     * How a classification's tables map to its classes.
     *
     * @param labels class label per table, as jpmml's {@code TypeUtil.parseOrCast(targetDataType, targetCategory)}
     * @param classes the target's categories, in their order, as the keys of {@link Prediction#probabilities()}
     * @param tableOfClass for each class, the index of its table
     */
    record Classes(Object[] labels, Object[] classes, int[] tableOfClass) {
    }

    private static final Double ZERO = 0.0;

    private final LinearTable[] tables;
    private final Normalization normalization;
    /** {@code null} for a regression. */
    private final Classes classes;
    /** Whether a classification reports probabilities (the model has probability outputs). */
    private final boolean probabilities;
    private final ResultField[] resultFields;
    /** The classes as the probabilities' keys and the result fields' names: one list per model, shared by its predictions. */
    private final List<Object> classList;
    private final List<String> fieldNames;
    /** For each table, its column in a prediction's probability row (the class it scores). */
    private final int[] columnOfTable;

    RegressionScorer(CompiledFields fields, LinearTable[] tables, Normalization normalization, Classes classes,
            boolean probabilities, List<ResultField> resultFields) {
        super(fields, tables.length, "RegressionModel");
        this.tables = tables.clone();
        this.normalization = normalization;
        this.classes = classes;
        this.probabilities = probabilities;
        this.resultFields = resultFields.toArray(new ResultField[0]);
        this.classList = classes == null ? List.of() : List.of(classes.classes());
        // List.copyOf: a list that the builders' List.copyOf returns as it is, rather than copying per record
        this.fieldNames = List.copyOf(resultFields.stream().map(ResultField::name).toList());
        this.columnOfTable = new int[tables.length];
        if (classes != null) {
            for (int c = 0; c < classes.tableOfClass().length; c++) {
                columnOfTable[classes.tableOfClass()[c]] = c;
            }
        }
    }

    @Override
    Prediction score(double[] slots, int[] categories, int base) {
        return scoreFrom(slots, categories, base);
    }

    /** How many slots the tables need after the ones {@link #scoreFrom} is given. */
    int tableCount() {
        return tables.length;
    }

    /**
     * Scores a record whose fields (and any values the tables refer to) are already in
     * {@code slots}; the tables' values go to {@code slots[base...]}. Throws {@link NotCompiled}.
     */
    Prediction scoreFrom(double[] slots, int[] categories, int base) {
        for (int t = 0; t < tables.length; t++) {
            slots[base + t] = tables[t].evaluate(slots, categories);
        }
        if (classes == null) {
            return regression(normalization.regression(slots[base]));
        }
        normalization.classification(slots, base, base + tables.length);
        return classification(slots, base);
    }

    private Prediction regression(double value) {
        NotCompiled.finite(value);
        Double boxed = value;
        Prediction.Builder prediction = Prediction.builder(0, resultFields.length).value(boxed);
        for (ResultField field : resultFields) {
            prediction.field(field.name(), boxed);
        }
        return prediction.build();
    }

    private Prediction classification(double[] values, int base) {
        // Classification.getWinner: Ordering.max keeps the first of equal maxima, in table order
        int winner = 0;
        for (int t = 1; t < tables.length; t++) {
            if (Double.compare(values[base + winner], values[base + t]) < 0) {
                winner = t;
            }
        }
        Object label = classes.labels()[winner];
        if (!probabilities) {
            Prediction.Builder prediction = Prediction.builder(0, resultFields.length).value(label);
            for (ResultField field : resultFields) {
                // probability fields exist only in probabilistic models
                prediction.field(field.name(), field.source() == ResultField.Source.TARGET ? label : ZERO);
            }
            return prediction.build();
        }
        // the probabilities as a row viewed by the prediction, and the fields derived from it when read: a
        // 100-record request reads neither map's boxes, and building both maps was most of a record's cost
        int[] tableOfClass = classes.tableOfClass();
        double[] row = new double[tableOfClass.length];
        for (int c = 0; c < tableOfClass.length; c++) {
            row[c] = values[base + tableOfClass[c]];
        }
        return Prediction.builder(0, 0).value(label).probabilities(classList, row, 0)
                .fields(fieldNames, name -> field(name, label, row)).build();
    }

    /** The value of the result field {@code name} of a record whose label and probability row are given. */
    private Object field(String name, Object label, double[] row) {
        for (ResultField field : resultFields) {
            if (field.name().equals(name)) {
                return switch (field.source()) {
                    case TARGET -> label;
                    case PROBABILITY -> row[columnOfTable[field.index()]];
                    case ZERO -> ZERO;
                };
            }
        }
        return null;
    }
}
