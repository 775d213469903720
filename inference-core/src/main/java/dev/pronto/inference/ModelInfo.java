package dev.pronto.inference;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The facts of one loaded version of a model: where it came from, what it is and when it was
 * loaded. Immutable and made once per load; what changes while the version serves (checks for a
 * newer version, their failures, a storage serving a possibly stale copy) is its
 * {@link ModelStatus}, which {@link InferenceEngine#status(ModelInfo)} gives.
 *
 * @param location the canonical location of the model
 * @param format the pipeline format that loaded it, e.g. {@code pmml}
 * @param schema the model's inputs, targets and outputs
 * @param sha256 the SHA-256 checksum of the stored bytes, in lower-case hex
 * @param sizeBytes the size of the stored model in bytes
 * @param version the storage's version of the object (ETag, version id or modification time)
 * @param loadedAt when this version finished loading
 * @param loadTime how long reading, parsing, verifying and warming it took
 */
public record ModelInfo(ModelLocation location, String format, ModelSchema schema, String sha256, long sizeBytes,
        String version, Instant loadedAt, Duration loadTime) {

    /** Rejects nulls. */
    public ModelInfo {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(loadedAt, "loadedAt");
        Objects.requireNonNull(loadTime, "loadTime");
    }
}
