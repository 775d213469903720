package dev.pronto.inference.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Objects;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.spi.ObjectInfo;
import dev.pronto.inference.spi.ObjectStream;
import dev.pronto.inference.toolkit.AtomicFiles;
import dev.pronto.inference.toolkit.Checksums;

/**
 * The verified local copies of {@link CachingStorage} on disk: where they live, the record kept
 * beside each, and how a download becomes a copy.
 *
 * <p>The copy of {@code s3://bucket/models/iris.pmml} lives at {@code <folder>/s3/bucket/models/iris.pmml};
 * its record (version, size, modification time, SHA-256, when it was fetched) at
 * {@code <folder>/.meta/s3/bucket/models/iris.pmml.properties}. Both are written with
 * {@link AtomicFiles}, so a partial download or record is never in place.
 *
 * <p>Not thread-safe per object: {@link CachingStorage} serialises the calls for one location.
 */
final class LocalCopies {

    private static final Logger log = LoggerFactory.getLogger(LocalCopies.class);
    // schemes start with a letter, so no scheme folder can be called ".meta"
    private static final String META_FOLDER = ".meta";
    private static final String META_SUFFIX = ".properties";

    /** A verified local copy, as recorded beside it. */
    record Copy(ObjectInfo info, String sha256, Instant fetchedAt) {
    }

    private final Path root;

    /** Keeps copies under {@code folder}, which is created if missing. */
    LocalCopies(Path folder) throws IOException {
        this.root = Files.createDirectories(folder.toAbsolutePath().normalize()).toRealPath();
    }

    /**
     * Downloads the object, checks it against the size (and the MD5, where the store vouches for one)
     * the store announced, and only then moves it into place with its record.
     */
    Copy fetch(ModelLocation location, ObjectStream in) throws IOException {
        Copy[] fetched = new Copy[1];
        AtomicFiles.write(dataPath(location), part -> {
            fetched[0] = download(location, in, part);
            writeRecord(location, fetched[0]);
        });
        // written again after the data so that the record never describes a file not yet in place
        writeRecord(location, fetched[0]);
        return fetched[0];
    }

    /** Opens the copy's bytes. @throws java.nio.file.NoSuchFileException if it vanished from the folder */
    InputStream open(ModelLocation location) throws IOException {
        return Files.newInputStream(dataPath(location));
    }

    /** The copy recorded on disk, if its record is readable and the file still matches it; else {@code null}. */
    Copy read(ModelLocation location) throws IOException {
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
            discard(location);
            return null;
        }
        if (!Files.isRegularFile(data) || Files.size(data) != copy.info().size()
                || !copy.sha256().equals(Checksums.sha256Hex(data))) {
            log.warn("ignoring the local copy of {}: it does not match its record", location);
            discard(location);
            return null;
        }
        log.info("using the local copy of {} (version {}, fetched at {})", location, copy.info().version(), copy.fetchedAt());
        return copy;
    }

    /** Deletes the copy and its record. */
    void discard(ModelLocation location) throws IOException {
        Files.deleteIfExists(metaPath(location));
        Files.deleteIfExists(dataPath(location));
    }

    private static Copy download(ModelLocation location, ObjectStream in, Path part) throws IOException {
        MessageDigest sha256 = Checksums.sha256();
        MessageDigest md5 = Checksums.md5();
        long size = 0;
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                OutputStream out = Channels.newOutputStream(channel)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                sha256.update(buffer, 0, n);
                md5.update(buffer, 0, n);
                out.write(buffer, 0, n);
                size += n;
            }
            out.flush();
            // on disk before the move, so a crash cannot leave a renamed but empty copy
            channel.force(true);
        }
        ObjectInfo info = in.info();
        if (size != info.size()) {
            throw new IOException("incomplete download of " + location + ": received " + size + " of "
                    + info.size() + " bytes");
        }
        String md5Hex = Checksums.hex(md5.digest());
        if (in.md5().isPresent() && !in.md5().get().equals(md5Hex)) {
            throw new IOException("corrupted download of " + location + ": MD5 " + md5Hex + " instead of "
                    + in.md5().get());
        }
        return new Copy(info, Checksums.hex(sha256.digest()), Instant.now());
    }

    private void writeRecord(ModelLocation location, Copy copy) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("location", location.toString());
        properties.setProperty("version", copy.info().version());
        properties.setProperty("size", Long.toString(copy.info().size()));
        properties.setProperty("last-modified", copy.info().lastModified().toString());
        properties.setProperty("sha256", copy.sha256());
        properties.setProperty("fetched-at", copy.fetchedAt().toString());
        AtomicFiles.write(metaPath(location), part -> {
            try (Writer writer = Files.newBufferedWriter(part, StandardCharsets.UTF_8)) {
                properties.store(writer, "Pronto local file cache record; the copy is used only while it matches");
            }
        });
    }

    private Path dataPath(ModelLocation location) {
        return inside(root, location, "");
    }

    private Path metaPath(ModelLocation location) {
        return inside(root.resolve(META_FOLDER), location, META_SUFFIX);
    }

    private static Path inside(Path base, ModelLocation location, String suffix) {
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
}
