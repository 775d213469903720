package dev.pronto.inference.batch;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;

/**
 * A row of the input that cannot become a record, located by its line (1-based, as editors count)
 * and, where one cell is at fault, its column. The message names both and quotes the input.
 *
 * <p>{@link #skippable()} tells whether reading can go on after it: a row with a bad number or the
 * wrong number of cells is skippable, an unclosed quote that swallowed the rest of the input is not.
 */
public final class BadRecordException extends InferenceException {

    private static final long serialVersionUID = 1L;

    private final long line;
    private final boolean skippable;

    BadRecordException(ErrorCategory category, long line, String column, int record, String message, boolean skippable) {
        super(category, "line " + line + (column == null ? "" : ", column \"" + column + "\"") + ": " + message, column,
                record, null);
        this.line = line;
        this.skippable = skippable;
    }

    /** The line of the input where the row starts, counting from 1 (the header, if any, is line 1). */
    public long line() {
        return line;
    }

    /** Whether the next row can still be read. */
    public boolean skippable() {
        return skippable;
    }
}
