package dev.pronto.inference.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * What a storage knows about a stored object without reading it.
 *
 * @param size the object's size in bytes
 * @param lastModified when the object was last written
 * @param version a token that changes whenever the content may have changed: an ETag, a version id,
 *     or for files the size and modification time; never empty
 */
public record ObjectInfo(long size, Instant lastModified, String version) {

    /** Rejects nulls, an empty version and a negative size. */
    public ObjectInfo {
        Objects.requireNonNull(lastModified, "lastModified");
        Objects.requireNonNull(version, "version");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        if (version.isEmpty()) {
            throw new IllegalArgumentException("version must not be empty");
        }
    }
}
