package dev.pronto.inference;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A loaded model as the engine holds it: where it came from, what it is and when it was loaded.
 *
 * @param location the canonical location of the model
 * @param format the pipeline format that loaded it, e.g. {@code pmml}
 * @param schema the model's inputs, targets and outputs
 * @param sha256 the SHA-256 checksum of the stored bytes, in lower-case hex
 * @param sizeBytes the size of the stored model in bytes
 * @param version the storage's version of the object (ETag, version id or modification time)
 * @param loadedAt when this version finished loading
 * @param loadTime how long reading, parsing, verifying and warming it took
 * @param lastRevalidationError why the last check for a newer version failed, if it did; the model
 *     then keeps serving the version described here, which may be stale. This includes a storage
 *     serving a local copy because its store cannot be reached
 *     (the local file cache serving its last good copy), even for a model first loaded from that copy
 */
public record ModelInfo(ModelLocation location, String format, ModelSchema schema, String sha256, long sizeBytes,
        String version, Instant loadedAt, Duration loadTime, Optional<String> lastRevalidationError) {

    /** Rejects nulls. */
    public ModelInfo {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(loadedAt, "loadedAt");
        Objects.requireNonNull(loadTime, "loadTime");
        Objects.requireNonNull(lastRevalidationError, "lastRevalidationError");
    }
}
