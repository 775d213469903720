package dev.pronto.inference;

import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * The answer of a model for a batch of records, by column: each record's predicted value, and the
 * class probabilities as one matrix (a row per record, a column per class), read without a
 * {@link Prediction} or a boxed probability per record. What {@link ModelHandle#predict(Columns)} returns.
 *
 * <pre>{@code
 * BatchPrediction result = model.predict(columns);
 * for (int row = 0; row < result.size(); row++) {
 *     Object label = result.value(row);
 *     for (int c = 0; c < result.classes().size(); c++) {
 *         double p = result.probability(row, c);     // the probability of result.classes().get(c)
 *     }
 * }
 * List<Prediction> records = result.predictions();   // the per-record view, made when first asked for
 * }</pre>
 *
 * <p>{@link #predictions()} equals, record by record, what scoring the same records as maps gives; the
 * other accessors read the same numbers. Pipelines without a columnar path give a batch result backed
 * by their predictions ({@link #of(List)}); columnar pipelines build one from arrays ({@link #builder(int)}).
 *
 * <p>Immutable and thread-safe. Two batch results are equal when their predictions are.
 */
public final class BatchPrediction {

    private final int size;
    private final IntFunction<Object> values;
    private final List<Object> classes;
    private final Probabilities probabilities;
    private final IntFunction<Prediction> records;
    private final boolean columnar;
    private volatile List<Prediction> predictions;

    /** Reads a probability; one implementation per source, so a read is one array access for a matrix. */
    private interface Probabilities {
        double get(int row, int column);
    }

    private BatchPrediction(int size, IntFunction<Object> values, List<Object> classes, Probabilities probabilities,
            IntFunction<Prediction> records, List<Prediction> predictions) {
        this.size = size;
        this.columnar = predictions == null;
        this.values = values;
        this.classes = classes;
        this.probabilities = probabilities;
        this.records = records;
        this.predictions = predictions;
    }

    /**
     * A batch result backed by one prediction per record. Its classes are those of the first
     * prediction's probabilities (the model's class order); a record without a probability for one
     * of them reads NaN.
     */
    public static BatchPrediction of(List<Prediction> predictions) {
        List<Prediction> copied = List.copyOf(predictions);
        List<Object> classes = copied.isEmpty() ? List.of() : List.copyOf(copied.get(0).probabilities().keySet());
        return new BatchPrediction(copied.size(), row -> copied.get(row).value(), classes, (row, column) -> {
            Double probability = copied.get(row).probabilities().get(classes.get(column));
            return probability == null ? Double.NaN : probability;
        }, copied::get, copied);
    }

    /** Starts a batch result of {@code size} records, for a pipeline that scores a batch by column. */
    public static Builder builder(int size) {
        return new Builder(size);
    }

    /** The number of records. */
    public int size() {
        return size;
    }

    /**
     * The predicted value of the primary target for one record, as {@link Prediction#value()} gives it.
     *
     * @throws IndexOutOfBoundsException if there is no such record
     */
    public Object value(int row) {
        Objects.checkIndex(row, size);
        return values.apply(row);
    }

    /**
     * Whether a columnar pipeline built this result from arrays ({@link #builder(int)}), so that
     * {@link #predictions()} makes one object per record when first read; {@code false} for a result
     * backed by the predictions of the record path ({@link #of(List)}). A caller that writes answers
     * by column reads a columnar result through {@link #value} and {@link #probability}, and a backed
     * one through its predictions, which are made already and say exactly which records have
     * probabilities (where {@link #classes()} takes them from the first record and a missing one reads NaN).
     */
    public boolean isColumnar() {
        return columnar;
    }

    /** The class labels in the probability matrix's column order; empty unless the model yields probabilities. */
    public List<Object> classes() {
        return classes;
    }

    /**
     * The probability of class {@code classes().get(column)} for one record.
     *
     * @throws IndexOutOfBoundsException if there is no such record or class
     */
    public double probability(int row, int column) {
        Objects.checkIndex(row, size);
        Objects.checkIndex(column, classes.size());
        return probabilities.get(row, column);
    }

    /**
     * One {@link Prediction} per record, in order, with every field: equal to what scoring the records as
     * maps gives. Made when first asked for (a batch pipeline makes no per-record object before).
     */
    public List<Prediction> predictions() {
        List<Prediction> made = predictions;
        if (made == null) {
            // two threads asking first at once both make the list; they make equal lists
            Prediction[] each = new Prediction[size];
            for (int row = 0; row < size; row++) {
                each[row] = records.apply(row);
            }
            made = List.of(each);
            predictions = made;
        }
        return made;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BatchPrediction batch && predictions().equals(batch.predictions());
    }

    @Override
    public int hashCode() {
        return predictions().hashCode();
    }

    @Override
    public String toString() {
        return "BatchPrediction[" + size + " records" + (classes.isEmpty() ? "" : ", classes " + classes) + "]";
    }

    /**
     * Assembles a {@link BatchPrediction} from arrays a batch runtime filled. Not thread-safe, and single
     * use. The arrays are taken, not copied: the caller must never write to them afterwards, as the result
     * reads them for as long as it lives, on any thread.
     */
    public static final class Builder {
        private final int size;
        private IntFunction<Object> values;
        private List<Object> classes = List.of();
        private double[] matrix;
        private IntFunction<Prediction> records;

        private Builder(int size) {
            if (size < 0) {
                throw new IllegalArgumentException("size must not be negative, got " + size);
            }
            this.size = size;
        }

        /** Sets the predicted values, one per record (labels, or numbers boxed when read from {@code double[]}). */
        public Builder values(Object[] values) {
            requireLength(values.length, size, "values");
            this.values = row -> values[row];
            return this;
        }

        /** Sets numeric predicted values (a regression's), one per record; each read of {@link #value} boxes. */
        public Builder values(double[] values) {
            requireLength(values.length, size, "values");
            this.values = row -> values[row];
            return this;
        }

        /**
         * Sets the class probabilities: a row-major matrix, {@code classes.size()} columns per record.
         *
         * @param classes the class labels in column order, none {@code null}
         */
        public Builder probabilities(List<Object> classes, double[] matrix) {
            requireLength(matrix.length, size * classes.size(), "probability matrix");
            this.classes = List.copyOf(classes);
            this.matrix = matrix;
            return this;
        }

        /**
         * Sets how one record's {@link Prediction} is made when {@link BatchPrediction#predictions()} is
         * first read; without it, a record's prediction holds its value and its row of probabilities only.
         * The function must be pure and thread-safe.
         */
        public Builder predictions(IntFunction<Prediction> records) {
            this.records = Objects.requireNonNull(records, "records");
            return this;
        }

        /**
         * Builds the batch result.
         *
         * @throws IllegalStateException if no values were set
         */
        public BatchPrediction build() {
            if (values == null) {
                throw new IllegalStateException("no values were set");
            }
            IntFunction<Object> read = values;
            List<Object> labels = classes;
            double[] probabilities = matrix != null ? matrix : new double[0];
            int width = labels.size();
            IntFunction<Prediction> made = records != null ? records : labels.isEmpty()
                    ? row -> Prediction.builder(0, 0).value(read.apply(row)).build()
                    : row -> Prediction.builder(0, 0).value(read.apply(row)).probabilities(labels, probabilities, row).build();
            return new BatchPrediction(size, read, labels, (row, column) -> probabilities[row * width + column], made, null);
        }

        private static void requireLength(int length, int expected, String what) {
            if (length != expected) {
                throw new IllegalArgumentException(what + " has " + length + " elements where " + expected + " are due");
            }
        }
    }
}
