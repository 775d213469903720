package dev.pronto.inference.spi;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Objects;

import dev.pronto.inference.ModelLocation;

/**
 * The stored bytes of one model version, read completely and checksummed, handed to a
 * {@link PipelineLoader}.
 *
 * <p>Immutable and thread-safe; every {@link #openStream()} starts at the first byte.
 */
public final class ModelSource {

    private final ModelLocation location;
    private final byte[] content;
    private final String sha256;

    /**
     * Creates a source. The array is owned by the source from then on and must not be changed.
     *
     * @param sha256 lower-case hex SHA-256 of {@code content}
     */
    public ModelSource(ModelLocation location, byte[] content, String sha256) {
        this.location = Objects.requireNonNull(location, "location");
        this.content = Objects.requireNonNull(content, "content");
        this.sha256 = Objects.requireNonNull(sha256, "sha256");
    }

    /** Where the model was read from. */
    public ModelLocation location() {
        return location;
    }

    /** The size in bytes. */
    public long size() {
        return content.length;
    }

    /** The SHA-256 checksum of the bytes in lower-case hex. */
    public String sha256() {
        return sha256;
    }

    /** Opens a new stream over the bytes; closing it is optional. */
    public InputStream openStream() {
        return new ByteArrayInputStream(content);
    }
}
