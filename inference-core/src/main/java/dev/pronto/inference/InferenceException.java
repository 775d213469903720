package dev.pronto.inference;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The one unchecked exception of the public API: a failure with a {@link ErrorCategory category}
 * and, where they are known, the input field and the index of the record it is about.
 *
 * <p>Messages are part of the contract: they name the thing involved, quote the caller's input, and
 * never contain secrets, stack traces or server-side paths, so they can be shown to a client as
 * they are. The cause, if any, is for logs only.
 */
public class InferenceException extends RuntimeException {

    private final ErrorCategory category;
    private final String field;
    private final int record;

    /** Creates an exception about no particular field or record. */
    public InferenceException(ErrorCategory category, String message) {
        this(category, message, null, -1, null);
    }

    /** Creates an exception about no particular field or record, keeping its cause for logs. */
    public InferenceException(ErrorCategory category, String message, Throwable cause) {
        this(category, message, null, -1, cause);
    }

    /**
     * Creates an exception about one input field and, when {@code record >= 0}, one record.
     *
     * @param field the input field name, or {@code null}
     * @param record the zero-based index of the record in its batch, or {@code -1}
     */
    public InferenceException(ErrorCategory category, String message, String field, int record, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.category = Objects.requireNonNull(category, "category");
        this.field = field;
        this.record = record;
    }

    /** The category that decides how the failure is reported. */
    public ErrorCategory category() {
        return category;
    }

    /** The input field the failure is about, if it is about one. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    /** The zero-based index of the record in its batch, if the failure is about one record. */
    public OptionalInt record() {
        return record < 0 ? OptionalInt.empty() : OptionalInt.of(record);
    }

    /**
     * Returns this failure located at the given record of a batch. Returns {@code this} when the
     * record is already known, so an inner index is never overwritten.
     */
    public InferenceException atRecord(int index) {
        if (record >= 0) {
            return this;
        }
        InferenceException located = new InferenceException(category, getMessage(), field, index, getCause());
        located.setStackTrace(getStackTrace());
        return located;
    }
}
