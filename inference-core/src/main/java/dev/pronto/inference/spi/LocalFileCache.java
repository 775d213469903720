package dev.pronto.inference.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pronto.inference.ModelLocation;

/**
 * A {@link Storage} decorator that keeps one local copy of every object it serves, so a remote store
 * (S3, Azure Blob) is read once per version and an outage of the store does not stop serving.
 *
 * <h2>Layout</h2>
 * The copy of {@code s3://bucket/models/iris.pmml} lives at {@code <folder>/s3/bucket/models/iris.pmml};
 * what is known about it (version, size, modification time, SHA-256, when it was fetched) is kept
 * beside it in a small properties file under {@code <folder>/.meta/}. Downloads go to a temporary file
 * in the target's folder, are checked against the size (and the MD5, where the store vouches for one,
 * see {@link ObjectStream}) the store announced, and only then moved into place atomically, so a
 * partial download is never used. A copy found on disk after a restart is used only if its size and
 * SHA-256 still match its record.
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
 * <h2>Configuration</h2>
 * Storage providers read the same two keys under their own prefix with {@link Settings#read}:
 * {@value #LOCAL_FOLDER} (no default: without it there is no file cache) and
 * {@value #REVALIDATE_INTERVAL} (default 60 s; {@code 0} checks on every call).
 *
 * <h2>Thread safety</h2>
 * Thread-safe. Calls for one object are serialised, so concurrent first requests cause one download;
 * calls for different objects run in parallel. Two processes must not share one folder.
 *
 * <h2>Closing</h2>
 * {@link #close()} closes the wrapped storage. The local copies stay for the next start.
 */
public final class LocalFileCache implements Storage {

    /** Configuration key of the folder that holds the copies. */
    public static final String LOCAL_FOLDER = "local-folder";
    /** Configuration key of the least time between two checks of one object against the store. */
    public static final String REVALIDATE_INTERVAL = "revalidate-interval";
    /** How often an object is checked against the store unless configured otherwise. */
    public static final Duration DEFAULT_REVALIDATE_INTERVAL = Duration.ofSeconds(60);

    private static final Logger log = LoggerFactory.getLogger(LocalFileCache.class);
    // schemes start with a letter, so no scheme folder can be called ".meta"
    private static final String META_FOLDER = ".meta";
    private static final String META_SUFFIX = ".properties";

    /** A verified local copy, as recorded in its properties file. */
    private record Copy(ObjectInfo info, String sha256, Instant fetchedAt) {
    }

    /** What is known about one object; every field but {@code staleReason} is guarded by {@code lock}. */
    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        boolean diskRead;
        Copy copy;
        ObjectInfo remote;
        boolean checked;
        long checkedNanos;
        boolean stale;
        volatile String staleReason;
    }

    private final Storage remote;
    private final Path root;
    private final long revalidateIntervalNanos;
    private final LongSupplier clock;
    private final ConcurrentHashMap<ModelLocation, Entry> entries = new ConcurrentHashMap<>();

    /**
     * Wraps {@code remote}, keeping copies under {@code folder}, which is created if missing.
     *
     * @param revalidateInterval the least time between two checks of one object; zero checks on every call
     * @throws IOException if the folder cannot be created
     */
    public LocalFileCache(Storage remote, Path folder, Duration revalidateInterval) throws IOException {
        this(remote, folder, revalidateInterval, System::nanoTime);
    }

    LocalFileCache(Storage remote, Path folder, Duration revalidateInterval, LongSupplier clock) throws IOException {
        this.remote = Objects.requireNonNull(remote, "remote");
        if (revalidateInterval.isNegative()) {
            throw new IllegalArgumentException("revalidateInterval must not be negative: " + revalidateInterval);
        }
        this.root = Files.createDirectories(folder.toAbsolutePath().normalize()).toRealPath();
        this.revalidateIntervalNanos = revalidateInterval.toNanos();
        this.clock = clock;
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
                return new ObjectStream(Files.newInputStream(dataPath(location)), entry.copy.info(), null);
            } catch (NoSuchFileException vanished) {
                // someone cleaned the folder behind our back: the store, not the disk, decides what exists
                log.warn("local copy of {} disappeared; fetching it again", location);
                discard(location, entry);
                entry.checked = false;
                check(location, entry);
                fetch(location, entry);
                return new ObjectStream(Files.newInputStream(dataPath(location)), entry.copy.info(), null);
            }
        });
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

    @Override
    public Optional<String> staleness(ModelLocation location) {
        Entry entry = entries.get(location);
        return entry == null ? Optional.empty() : Optional.ofNullable(entry.staleReason);
    }

    /** Closes the wrapped storage; local copies are kept. */
    @Override
    public void close() throws IOException {
        remote.close();
    }

    /** Asks the store about the object if the last check is older than the interval; caller holds the lock. */
    private void check(ModelLocation location, Entry entry) throws IOException {
        if (!entry.diskRead) {
            entry.diskRead = true;
            entry.copy = readCopy(location);
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

    /** Downloads the object next to its copy, verifies it and moves it into place; caller holds the lock. */
    private void fetch(ModelLocation location, Entry entry) throws IOException {
        Path target = dataPath(location);
        Path part = null;
        try {
            Files.createDirectories(target.getParent());
            part = Files.createTempFile(target.getParent(), ".pronto-", ".part");
            long started = System.nanoTime();
            Copy copy;
            try (ObjectStream in = remote.openObject(location)) {
                copy = download(location, in, part);
            }
            writeMeta(location, copy);
            moveAtomically(part, target);
            // written again after the data so that the record never describes a file not yet in place
            writeMeta(location, copy);
            entry.copy = copy;
            entry.remote = copy.info();
            markFresh(location, entry);
            log.info("fetched {} into the local cache (version {}, {} bytes, sha256 {}) in {} ms", location,
                    copy.info().version(), copy.info().size(), copy.sha256(),
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
        } catch (IOException e) {
            storeFailed(location, entry, e);
        } finally {
            if (part != null) {
                Files.deleteIfExists(part);
            }
        }
    }

    private static Copy download(ModelLocation location, ObjectStream in, Path part) throws IOException {
        MessageDigest sha256 = digest("SHA-256");
        MessageDigest md5 = digest("MD5");
        long size = 0;
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                sha256.update(buffer, 0, n);
                md5.update(buffer, 0, n);
                out.write(buffer, 0, n);
                size += n;
            }
            out.flush();
            channel.force(true);
        }
        ObjectInfo info = in.info();
        if (size != info.size()) {
            throw new IOException("incomplete download of " + location + ": received " + size + " of "
                    + info.size() + " bytes");
        }
        String md5Hex = HexFormat.of().formatHex(md5.digest());
        if (in.md5().isPresent() && !in.md5().get().equals(md5Hex)) {
            throw new IOException("corrupted download of " + location + ": MD5 " + md5Hex + " instead of "
                    + in.md5().get());
        }
        return new Copy(info, HexFormat.of().formatHex(sha256.digest()), Instant.now());
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
        Files.deleteIfExists(metaPath(location));
        Files.deleteIfExists(dataPath(location));
    }

    /** The copy recorded on disk, if its record is readable and the file still matches it. */
    private Copy readCopy(ModelLocation location) throws IOException {
        Path meta = metaPath(location);
        Path data = dataPath(location);
        if (!Files.isRegularFile(meta)) {
            return null;
        }
        Copy copy;
        try (Reader reader = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
            Properties properties = new Properties();
            properties.load(reader);
            copy = new Copy(new ObjectInfo(Long.parseLong(properties.getProperty("size")),
                    Instant.parse(properties.getProperty("last-modified")), properties.getProperty("version")),
                    Objects.requireNonNull(properties.getProperty("sha256")), Instant.parse(properties.getProperty("fetched-at")));
        } catch (IOException | RuntimeException e) {
            log.warn("ignoring the local copy of {}: its record is unreadable ({})", location, e.toString());
            discardFiles(meta, data);
            return null;
        }
        if (!Files.isRegularFile(data) || Files.size(data) != copy.info().size() || !copy.sha256().equals(sha256Of(data))) {
            log.warn("ignoring the local copy of {}: it does not match its record", location);
            discardFiles(meta, data);
            return null;
        }
        log.info("using the local copy of {} (version {}, fetched at {})", location, copy.info().version(), copy.fetchedAt());
        return copy;
    }

    private static void discardFiles(Path meta, Path data) throws IOException {
        Files.deleteIfExists(meta);
        Files.deleteIfExists(data);
    }

    private void writeMeta(ModelLocation location, Copy copy) throws IOException {
        Path meta = metaPath(location);
        Files.createDirectories(meta.getParent());
        Properties properties = new Properties();
        properties.setProperty("location", location.toString());
        properties.setProperty("version", copy.info().version());
        properties.setProperty("size", Long.toString(copy.info().size()));
        properties.setProperty("last-modified", copy.info().lastModified().toString());
        properties.setProperty("sha256", copy.sha256());
        properties.setProperty("fetched-at", copy.fetchedAt().toString());
        Path part = Files.createTempFile(meta.getParent(), ".pronto-", ".part");
        try {
            try (Writer writer = Files.newBufferedWriter(part, StandardCharsets.UTF_8)) {
                properties.store(writer, "Pronto local file cache record; the copy is used only while it matches");
            }
            moveAtomically(part, meta);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private static void moveAtomically(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the local cache folder does not support atomic moves", e);
        }
    }

    private Path dataPath(ModelLocation location) {
        return inside(root, location, "");
    }

    private Path metaPath(ModelLocation location) {
        return inside(root.resolve(META_FOLDER), location, META_SUFFIX);
    }

    private Path inside(Path base, ModelLocation location, String suffix) {
        Path path = base.resolve(location.scheme());
        if (!location.container().isEmpty()) {
            path = path.resolve(location.container());
        }
        path = path.resolve(location.path().replaceFirst("^/+", "") + suffix).normalize();
        // ModelLocation already refuses "..": this guards the invariant, not a known hole
        if (!path.startsWith(base) || path.equals(base)) {
            throw new IllegalArgumentException("location " + location + " maps outside the local cache folder");
        }
        return path;
    }

    private static String sha256Of(Path file) throws IOException {
        MessageDigest sha256 = digest("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                sha256.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has " + algorithm, e);
        }
    }

    /**
     * The file cache settings of one storage provider, read from its configuration. Providers read
     * them before building their client, and {@link #wrap} the storage they build.
     *
     * <p>Immutable and thread-safe.
     */
    public static final class Settings {

        private final Path localFolder;
        private final Duration revalidateInterval;

        private Settings(Path localFolder, Duration revalidateInterval) {
            this.localFolder = localFolder;
            this.revalidateInterval = revalidateInterval;
        }

        /**
         * Reads {@value LocalFileCache#LOCAL_FOLDER} and {@value LocalFileCache#REVALIDATE_INTERVAL},
         * marking them used, and creates the folder if it is missing.
         *
         * @throws IllegalArgumentException naming the key, if the folder cannot be created or the
         *     interval is malformed
         */
        public static Settings read(ProviderProperties properties) {
            Duration interval = properties.getDuration(REVALIDATE_INTERVAL, DEFAULT_REVALIDATE_INTERVAL);
            Optional<String> folder = properties.get(LOCAL_FOLDER);
            if (folder.isEmpty()) {
                return new Settings(null, interval);
            }
            try {
                return new Settings(Files.createDirectories(Path.of(folder.get()).toAbsolutePath().normalize()), interval);
            } catch (IOException | InvalidPathException e) {
                throw new IllegalArgumentException(properties.fullKey(LOCAL_FOLDER) + ": cannot use " + folder.get()
                        + " as the local cache folder: " + e, e);
            }
        }

        /** The folder of the local copies, if the file cache is on. */
        public Optional<Path> localFolder() {
            return Optional.ofNullable(localFolder);
        }

        /** The least time between two checks of one object against the store. */
        public Duration revalidateInterval() {
            return revalidateInterval;
        }

        /**
         * Returns {@code remote} behind a {@link LocalFileCache} if a local folder is configured,
         * otherwise {@code remote} itself.
         *
         * @throws IOException if the folder cannot be used
         */
        public Storage wrap(Storage remote) throws IOException {
            return localFolder == null ? remote : new LocalFileCache(remote, localFolder, revalidateInterval);
        }
    }
}
