package dev.pronto.inference.toolkit;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.spi.ObjectInfo;
import dev.pronto.inference.spi.Storage;

/**
 * The storage of a provider that is installed but allows no container: it refuses every location with
 * the {@link AllowList}'s reason, builds no client and sends no request. An installed but unused
 * provider so costs nothing, and its configuration (credentials, a local folder) is not checked,
 * since nothing will use it; the engine puts no file cache in front of it either.
 *
 * <p>Immutable and thread-safe.
 */
public final class UnconfiguredStorage implements Storage {

    private final AllowList allowList;

    /** @param allowList an empty allow-list, which names the key to configure */
    public UnconfiguredStorage(AllowList allowList) {
        this.allowList = Objects.requireNonNull(allowList, "allowList");
        if (!allowList.isEmpty()) {
            throw new IllegalArgumentException("the allow-list of an unconfigured storage is empty");
        }
    }

    @Override
    public ObjectInfo stat(ModelLocation location) throws IOException {
        allowList.check(location);
        throw new IllegalStateException("an empty allow-list refuses every location");
    }

    @Override
    public InputStream open(ModelLocation location) throws IOException {
        allowList.check(location);
        throw new IllegalStateException("an empty allow-list refuses every location");
    }
}
