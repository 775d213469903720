package dev.pronto.inference.spark;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;

/**
 * A row of a dataset that the model cannot score, located by its partition and its position in the
 * partition (both counted from 0, in the order the partition's rows are read) and, where one value is at
 * fault, the input field. The message names all three and quotes the value, as the engine's message does;
 * Spark fails the task with it, and the driver's {@code SparkException} carries it as its cause.
 */
public final class BadRowException extends InferenceException {

    private static final long serialVersionUID = 1L;

    private final int partition;
    private final long row;

    BadRowException(int partition, long row, InferenceException cause) {
        super(ErrorCategory.INVALID_RECORD, "partition " + partition + ", row " + row + ": " + cause.getMessage(),
                cause.field().orElse(null), -1, null);
        this.partition = partition;
        this.row = row;
    }

    /** The partition of the dataset holding the row, counted from 0. */
    public int partition() {
        return partition;
    }

    /** The row's position in its partition, counted from 0. */
    public long row() {
        return row;
    }
}
