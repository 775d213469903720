package dev.pronto.inference;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How a loaded model fares now, beside the fixed facts of its {@link ModelInfo}: when the engine
 * last checked its store for a newer version, why that check failed if it did, and why the storage
 * says the copy it serves may be out of date. A model with a problem keeps serving its loaded
 * version.
 *
 * <p>Immutable; the engine composes a fresh value each time it is asked
 * ({@link InferenceEngine#status(ModelInfo)}), starting from {@link #UNCHECKED}.
 */
public final class ModelStatus {

    /** The status of a model never checked since it was loaded, with nothing to report. */
    public static final ModelStatus UNCHECKED = new ModelStatus(null, null, null);

    private final Instant lastCheckedAt;
    private final String lastError;
    private final String staleReason;

    private ModelStatus(Instant lastCheckedAt, String lastError, String staleReason) {
        this.lastCheckedAt = lastCheckedAt;
        this.lastError = lastError;
        this.staleReason = staleReason;
    }

    /** This status with the time the last check for a newer version finished. */
    public ModelStatus checkedAt(Instant at) {
        return new ModelStatus(Objects.requireNonNull(at, "at"), lastError, staleReason);
    }

    /** This status with why the last check failed: the store could not be read, or the new version failed to load. */
    public ModelStatus failed(String error) {
        return new ModelStatus(lastCheckedAt, Objects.requireNonNull(error, "error"), staleReason);
    }

    /** This status with why the storage says what it serves may be out of date. */
    public ModelStatus stale(String reason) {
        return new ModelStatus(lastCheckedAt, lastError, Objects.requireNonNull(reason, "reason"));
    }

    /** When the last check for a newer stored version finished; empty before the first one. */
    public Optional<Instant> lastCheckedAt() {
        return Optional.ofNullable(lastCheckedAt);
    }

    /** Why the last check for a newer version failed; empty if it succeeded or none ran yet. */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    /**
     * Why the storage says the copy it serves may be out of date, such as a local copy served
     * because the store cannot be reached; empty when it reads the store itself. Names no server
     * path or secret.
     */
    public Optional<String> staleReason() {
        return Optional.ofNullable(staleReason);
    }

    /**
     * Why the loaded version may not be the stored one: {@link #lastError()} if present, otherwise
     * {@link #staleReason()}. Empty when the model is known to be current (or was never checked).
     */
    public Optional<String> problem() {
        return Optional.ofNullable(lastError != null ? lastError : staleReason);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ModelStatus that && Objects.equals(lastCheckedAt, that.lastCheckedAt)
                && Objects.equals(lastError, that.lastError) && Objects.equals(staleReason, that.staleReason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(lastCheckedAt, lastError, staleReason);
    }

    @Override
    public String toString() {
        return "ModelStatus[lastCheckedAt=" + lastCheckedAt + ", lastError=" + lastError + ", staleReason=" + staleReason + "]";
    }
}
