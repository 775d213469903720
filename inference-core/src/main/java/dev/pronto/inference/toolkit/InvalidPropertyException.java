package dev.pronto.inference.toolkit;

import java.util.Objects;

/**
 * A provider's configuration holds an unknown key or a value that cannot be used. It carries the full
 * engine key ({@code storage.s3.buckets}), so that a caller can name it in a field of its own instead of
 * searching the message. The message starts with the key and never quotes a value that may be secret.
 *
 * <p>An {@link IllegalArgumentException}, as {@link dev.pronto.inference.spi.StorageProvider#create}
 * documents for invalid configuration.
 */
public final class InvalidPropertyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String key;

    /**
     * @param key the full engine key, e.g. {@code storage.s3.buckets}
     * @param problem what is wrong and what is expected; the message becomes {@code key + ": " + problem}
     */
    public InvalidPropertyException(String key, String problem) {
        this(key, problem, null);
    }

    /** As {@link #InvalidPropertyException(String, String)}, keeping a cause that holds no secret. */
    public InvalidPropertyException(String key, String problem, Throwable cause) {
        this(key, Objects.requireNonNull(key, "key") + ": " + Objects.requireNonNull(problem, "problem"), cause, true);
    }

    private InvalidPropertyException(String key, String message, Throwable cause, boolean whole) {
        super(message, cause);
        this.key = key;
    }

    /** Unknown keys, all named in the message ({@code unknown configuration keys: a, b}); {@link #key()} is the first. */
    static InvalidPropertyException unknownKeys(java.util.List<String> keys) {
        return new InvalidPropertyException(keys.get(0), "unknown configuration key" + (keys.size() > 1 ? "s: " : ": ")
                + String.join(", ", keys), null, true);
    }

    /** The full engine key of the offending property, or of the first one when several are. */
    public String key() {
        return key;
    }
}
