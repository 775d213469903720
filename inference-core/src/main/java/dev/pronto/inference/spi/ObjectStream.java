package dev.pronto.inference.spi;

import java.io.FilterInputStream;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The bytes of one stored object being read, together with what the store said about exactly those
 * bytes: their {@link ObjectInfo} and, where the store guarantees one, their MD5 checksum. A reader
 * that copies the object (such as the engine's local file cache) checks the size and checksum against what it
 * received, so a truncated or corrupted transfer is never mistaken for the object.
 *
 * <p>Not thread-safe, like any stream; the caller closes it.
 */
public final class ObjectStream extends FilterInputStream {

    private final ObjectInfo info;
    private final String md5;

    /**
     * @param in the object's bytes
     * @param info size and version of the object these bytes belong to
     * @param md5 lower- or upper-case hex MD5 of the whole object, or {@code null} when the store
     *     gives none it can vouch for (an S3 multipart ETag, for instance, is not an MD5)
     * @throws IllegalArgumentException if {@code md5} is not 32 hex digits
     */
    public ObjectStream(InputStream in, ObjectInfo info, String md5) {
        super(Objects.requireNonNull(in, "in"));
        this.info = Objects.requireNonNull(info, "info");
        if (md5 != null && (md5.length() != 32 || !md5.chars().allMatch(HexFormat::isHexDigit))) {
            throw new IllegalArgumentException("md5 must be 32 hex digits");
        }
        this.md5 = md5 == null ? null : md5.toLowerCase(Locale.ROOT);
    }

    /** Size, modification time and version of the object being read. */
    public ObjectInfo info() {
        return info;
    }

    /** The lower-case hex MD5 of the whole object, if the store vouches for one. */
    public Optional<String> md5() {
        return Optional.ofNullable(md5);
    }
}
