package dev.pronto.inference;

/**
 * What kind of failure an {@link InferenceException} reports, and so who has to act on it.
 *
 * <p>The server maps categories, never exception types, to HTTP statuses; embedding
 * applications can do the same with their own protocol.
 */
public enum ErrorCategory {
    /** The request is malformed or names something that cannot exist; the caller must fix it. */
    INVALID_REQUEST,
    /** The location lies outside the buckets, containers or folders the operator allowed. */
    ACCESS_DENIED,
    /** No model is stored at the location. */
    NOT_FOUND,
    /** The model cannot score one record's values (wrong type, value outside the model's domain). */
    INVALID_RECORD,
    /** The stored model cannot be loaded or fails its own verification; the operator must fix it. */
    INVALID_MODEL,
    /** The storage behind the location is unreachable and no usable local copy exists. */
    UNAVAILABLE,
    /** The engine or a provider was configured wrongly; raised when the engine starts. */
    CONFIGURATION,
    /** A defect in Pronto itself. */
    INTERNAL
}
