package dev.pronto.inference.toolkit;

import java.nio.file.AccessDeniedException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

import dev.pronto.inference.ModelLocation;

/**
 * The containers (buckets, blob containers, shares) a storage may read, checked before any I/O. A
 * location of another scheme or outside the list is refused with an {@link AccessDeniedException},
 * as {@link dev.pronto.inference.spi.Storage} requires, with a reason that names the container and the
 * configuration key but no server path or secret.
 *
 * <p>Immutable and thread-safe.
 *
 * @param scheme the one location scheme the storage serves, e.g. {@code s3}
 * @param noun what a container is called in this store, e.g. {@code bucket}, for messages
 * @param key the full configuration key that lists them, e.g. {@code storage.s3.buckets}
 * @param names the allowed containers; empty refuses every location
 */
public record AllowList(String scheme, String noun, String key, Set<String> names) {

    /** Rejects nulls and keeps an unmodifiable copy of the names in their order. */
    public AllowList {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(noun, "noun");
        Objects.requireNonNull(key, "key");
        names = Collections.unmodifiableSet(new LinkedHashSet<>(Objects.requireNonNull(names, "names")));
    }

    /** Whether no container is allowed, so that every location is refused. */
    public boolean isEmpty() {
        return names.isEmpty();
    }

    /**
     * Returns normally if the location's scheme is this list's and its container is listed.
     *
     * @throws AccessDeniedException otherwise, naming the location as the client wrote it
     */
    public void check(ModelLocation location) throws AccessDeniedException {
        if (!location.scheme().equals(scheme)) {
            throw new AccessDeniedException(location.toString(), null,
                    "this storage serves only " + scheme + ":// locations");
        }
        if (!names.contains(location.container())) {
            throw new AccessDeniedException(location.toString(), null, noun + " \"" + location.container()
                    + "\" is not one of the " + noun + "s this server may read ("
                    + (names.isEmpty() ? "none is configured: " : "") + key + ")");
        }
    }
}
