package dev.pronto.inference.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.spi.ObjectInfo;
import dev.pronto.inference.spi.ObjectStream;
import dev.pronto.inference.spi.Storage;

/**
 * The local file cache: a {@link Storage} decorator that keeps one verified local copy of every object
 * it serves ({@link LocalCopies}), so a remote store is read once per version and an outage of the
 * store does not stop serving. {@link StorageFactory} applies it when a provider's configuration sets
 * {@code local-folder}; no provider wires it itself.
 *
 * <h2>Revalidation</h2>
 * The store is asked ({@link Storage#stat}) at most once per revalidate interval per object; in
 * between, {@link #stat} and {@link #open} answer from what the last check learnt, without any
 * request. {@link #stat} reports the store's version when the store answered, so the engine's model
 * cache notices a replaced object and reopens it; {@link #open} then downloads the new version.
 * When the store cannot be reached (any {@link IOException} other than {@link NoSuchFileException}
 * and {@link AccessDeniedException}), the last good copy keeps serving, {@link #stat} reports the
 * copy's version, and {@link #staleness} says since when the copy may be out of date. A store that
 * says the object is gone, or refuses access, is believed: the error is passed on, and a vanished
 * object's copy is deleted.
 *
 * <h2>Thread safety</h2>
 * Thread-safe. Calls for one object are serialised, so concurrent first requests cause one download;
 * calls for different objects run in parallel. Two processes must not share one folder.
 *
 * <h2>Closing</h2>
 * {@link #close()} closes the wrapped storage. The local copies stay for the next start.
 */
final class CachingStorage implements Storage {

    private static final Logger log = LoggerFactory.getLogger(CachingStorage.class);

    /** What is known about one object; every field but {@code staleReason} is guarded by {@code lock}. */
    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        boolean diskRead;
        LocalCopies.Copy copy;
        ObjectInfo remote;
        boolean checked;
        long checkedNanos;
        boolean stale;
        volatile String staleReason;
    }

    private final Storage remote;
    private final LocalCopies copies;
    private final long revalidateIntervalNanos;
    private final LongSupplier clock;
    private final ConcurrentHashMap<ModelLocation, Entry> entries = new ConcurrentHashMap<>();

    /**
     * Wraps {@code remote}, keeping copies under {@code folder}, which is created if missing.
     *
     * @param revalidateInterval the least time between two checks of one object; zero checks on every call
     * @param clock nanoseconds, as {@link System#nanoTime()}; tests pass their own
     * @throws IOException if the folder cannot be created
     */
    CachingStorage(Storage remote, Path folder, Duration revalidateInterval, LongSupplier clock) throws IOException {
        this.remote = Objects.requireNonNull(remote, "remote");
        if (revalidateInterval.isNegative()) {
            throw new IllegalArgumentException("revalidateInterval must not be negative: " + revalidateInterval);
        }
        this.copies = new LocalCopies(folder);
        this.revalidateIntervalNanos = revalidateInterval.toNanos();
        this.clock = clock;
    }

    /** The store this cache copies from. */
    Storage remote() {
        return remote;
    }

    @Override
    public ObjectInfo stat(ModelLocation location) throws IOException {
        return locked(location, entry -> {
            check(location, entry);
            return entry.stale ? entry.copy.info() : entry.remote;
        });
    }

    @Override
    public InputStream open(ModelLocation location) throws IOException {
        return openObject(location);
    }

    @Override
    public ObjectStream openObject(ModelLocation location) throws IOException {
        return locked(location, entry -> {
            check(location, entry);
            if (!entry.stale && (entry.copy == null || !entry.copy.info().version().equals(entry.remote.version()))) {
                fetch(location, entry);
            }
            try {
                // opened under the lock: a later download replaces the file, not the bytes this reader sees
                return new ObjectStream(copies.open(location), entry.copy.info(), null);
            } catch (NoSuchFileException vanished) {
                // someone cleaned the folder behind our back: the store, not the disk, decides what exists
                log.warn("local copy of {} disappeared; fetching it again", location);
                discard(location, entry);
                entry.checked = false;
                check(location, entry);
                fetch(location, entry);
                return new ObjectStream(copies.open(location), entry.copy.info(), null);
            }
        });
    }

    /**
     * Why the copy served for the location may be out of date, while the store cannot be reached:
     * names the version and when it was fetched, no server path or secret. Does no I/O.
     */
    Optional<String> staleness(ModelLocation location) {
        Entry entry = entries.get(location);
        return entry == null ? Optional.empty() : Optional.ofNullable(entry.staleReason);
    }

    /** Closes the wrapped storage; local copies are kept. */
    @Override
    public void close() throws IOException {
        remote.close();
    }

    /** A step on one object's entry, run while holding its lock. */
    private interface EntryStep<T> {
        T run(Entry entry) throws IOException;
    }

    /**
     * Runs a step with the object's lock held, so concurrent calls for one object are serialised
     * (one download for many first requests). An entry left without copy or check is dropped, so
     * failed lookups of many names do not pile up.
     */
    private <T> T locked(ModelLocation location, EntryStep<T> step) throws IOException {
        Entry entry = entries.computeIfAbsent(location, key -> new Entry());
        entry.lock.lock();
        try {
            return step.run(entry);
        } catch (IOException | RuntimeException e) {
            if (entry.copy == null && !entry.checked) {
                entries.remove(location, entry);
            }
            throw e;
        } finally {
            entry.lock.unlock();
        }
    }

    /** Asks the store about the object if the last check is older than the interval; caller holds the lock. */
    private void check(ModelLocation location, Entry entry) throws IOException {
        if (!entry.diskRead) {
            entry.diskRead = true;
            entry.copy = copies.read(location);
        }
        long now = clock.getAsLong();
        if (entry.checked && now - entry.checkedNanos < revalidateIntervalNanos) {
            return;
        }
        try {
            entry.remote = remote.stat(location);
            markFresh(location, entry);
        } catch (IOException e) {
            storeFailed(location, entry, e);
        }
        // a failed check that left the copy serving also counts: an unreachable store is retried once per interval
        entry.checked = true;
        entry.checkedNanos = now;
    }

    /**
     * Decides what a failed request to the store means; caller holds the lock. The store is believed
     * when it says the object is gone (the copy is deleted) or refuses access; any other failure
     * leaves the copy serving, marked stale. Rethrows unless a copy can serve.
     */
    private void storeFailed(ModelLocation location, Entry entry, IOException e) throws IOException {
        if (e instanceof NoSuchFileException && entry.copy != null) {
            log.info("{} is gone from its store; deleting the local copy", location);
            discard(location, entry);
        }
        if (e instanceof NoSuchFileException || e instanceof AccessDeniedException || entry.copy == null) {
            entry.checked = false;
            throw e;
        }
        markStale(location, entry, e);
    }

    /** Downloads the object into its copy; caller holds the lock. */
    private void fetch(ModelLocation location, Entry entry) throws IOException {
        try {
            long started = System.nanoTime();
            LocalCopies.Copy copy;
            try (ObjectStream in = remote.openObject(location)) {
                copy = copies.fetch(location, in);
            }
            entry.copy = copy;
            entry.remote = copy.info();
            markFresh(location, entry);
            log.info("fetched {} into the local cache (version {}, {} bytes, sha256 {}) in {} ms", location,
                    copy.info().version(), copy.info().size(), copy.sha256(),
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
        } catch (IOException e) {
            storeFailed(location, entry, e);
        }
    }

    private void markStale(ModelLocation location, Entry entry, IOException cause) {
        if (!entry.stale) {
            entry.stale = true;
            entry.staleReason = "the store could not be reached at " + Instant.now()
                    + "; serving the local copy of version " + entry.copy.info().version() + " fetched at "
                    + entry.copy.fetchedAt() + ", which may be out of date";
            log.warn("{}: {}", location, entry.staleReason, cause);
        }
    }

    private void markFresh(ModelLocation location, Entry entry) {
        if (entry.stale) {
            log.info("{}: the store can be reached again", location);
        }
        entry.stale = false;
        entry.staleReason = null;
    }

    private void discard(ModelLocation location, Entry entry) throws IOException {
        entry.copy = null;
        entry.stale = false;
        entry.staleReason = null;
        copies.discard(location);
    }
}
