package dev.pronto.inference.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.spi.ObjectInfo;
import dev.pronto.inference.spi.Storage;
import dev.pronto.inference.spi.StorageProvider;

/**
 * A hand-written storage fake: objects in memory, keyed by canonical location, with counters of
 * stats and opens, a switch that makes every call fail as if the store were down, and a container
 * that is always refused. Thread-safe. Pass it to the engine builder explicitly.
 */
public final class InMemoryStorageProvider implements StorageProvider, Storage {

    /** A container the fake refuses, to test access control. */
    public static final String FORBIDDEN_CONTAINER = "forbidden";

    private record StoredObject(byte[] content, ObjectInfo info) {
    }

    private final Set<String> schemes;
    private final Map<String, StoredObject> objects = new ConcurrentHashMap<>();
    private final AtomicLong versions = new AtomicLong();
    private final AtomicInteger stats = new AtomicInteger();
    private final AtomicInteger opens = new AtomicInteger();
    private volatile boolean down;
    private volatile long openDelayMillis;

    /** A fake serving the {@code file} scheme, so bare names resolve to it. */
    public InMemoryStorageProvider() {
        this(Set.of("file"));
    }

    public InMemoryStorageProvider(Set<String> schemes) {
        this.schemes = Set.copyOf(schemes);
    }

    /** Stores (or replaces) an object; each call gives it a new version. */
    public InMemoryStorageProvider put(String location, byte[] content) {
        long version = versions.incrementAndGet();
        objects.put(ModelLocation.parse(location).toString(),
                new StoredObject(content.clone(), new ObjectInfo(content.length, Instant.now(), "v" + version)));
        return this;
    }

    /** Removes an object. */
    public void remove(String location) {
        objects.remove(ModelLocation.parse(location).toString());
    }

    /** Makes every call fail with an {@link IOException} (true) or work again (false). */
    public void setDown(boolean down) {
        this.down = down;
    }

    /** Makes every open wait this long first, so concurrent loads overlap. */
    public void setOpenDelayMillis(long millis) {
        this.openDelayMillis = millis;
    }

    public int stats() {
        return stats.get();
    }

    public int opens() {
        return opens.get();
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public Set<String> schemes() {
        return schemes;
    }

    @Override
    public Storage create(Map<String, String> properties) {
        if (!properties.isEmpty()) {
            throw new IllegalArgumentException("unknown configuration keys: " + properties.keySet());
        }
        return this;
    }

    @Override
    public ObjectInfo stat(ModelLocation location) throws IOException {
        stats.incrementAndGet();
        return find(location).info();
    }

    @Override
    public InputStream open(ModelLocation location) throws IOException {
        opens.incrementAndGet();
        StoredObject object = find(location);
        if (openDelayMillis > 0) {
            try {
                Thread.sleep(openDelayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
        return new ByteArrayInputStream(object.content());
    }

    private StoredObject find(ModelLocation location) throws IOException {
        if (location.container().equals(FORBIDDEN_CONTAINER)) {
            throw new AccessDeniedException(location.toString(), null, "container \"forbidden\" is not allowed");
        }
        if (down) {
            throw new IOException("connection refused (simulated outage)");
        }
        StoredObject object = objects.get(location.toString());
        if (object == null) {
            throw new NoSuchFileException(location.toString());
        }
        return object;
    }
}
