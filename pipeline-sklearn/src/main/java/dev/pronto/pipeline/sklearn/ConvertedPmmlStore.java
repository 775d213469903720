package dev.pronto.pipeline.sklearn;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pronto.inference.toolkit.AtomicFiles;

/**
 * Converted PMML documents on disk, one file per pickle checksum, so that a restart (or a second
 * engine) serves a pickle without converting it again.
 *
 * <p>Layout: {@code <folder>/pmml-sklearn-<converter version>/<key>.pmml}, where the key is the
 * pickle's SHA-256, followed by a digest of the configured input names when configuration named
 * them. A new converter release therefore converts again instead of serving an old conversion.
 * Files are written with {@link AtomicFiles}, so a reader never sees half a file; a folder that
 * cannot move files atomically keeps nothing.
 *
 * <p>The folder is trusted like the models themselves: whoever can write it can change what is
 * scored. It is created readable by its owner only where the file system supports POSIX permissions.
 *
 * <p>Failures to read or write are logged and treated as a cache miss: the cache saves time, it is
 * never needed for correctness. Thread-safe: concurrent writers of one key write equal bytes, and
 * the last move wins.
 */
final class ConvertedPmmlStore {

    private static final Logger log = LoggerFactory.getLogger(ConvertedPmmlStore.class);

    private final Path folder;

    private ConvertedPmmlStore(Path folder) {
        this.folder = folder;
    }

    /**
     * Opens the store, creating its folder.
     *
     * @param key the configuration key, for the message
     * @throws IllegalArgumentException naming the key if the folder cannot be created
     */
    static ConvertedPmmlStore open(Path root, String key) {
        Path folder = root.resolve("pmml-sklearn-" + PickleConverter.CONVERTER_VERSION);
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(folder);
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalArgumentException(key + ": cannot create the folder (" + e.getClass().getSimpleName() + ")", e);
        }
        return new ConvertedPmmlStore(folder);
    }

    /** The stored document for the key, if there is one. */
    Optional<byte[]> get(String key) {
        try {
            return Optional.of(Files.readAllBytes(file(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            log.warn("cannot read converted PMML {}; converting again", file(key), e);
            return Optional.empty();
        }
    }

    /** Stores the document under the key, replacing any earlier one. */
    void put(String key, byte[] pmml) {
        try {
            AtomicFiles.write(file(key), pmml);
        } catch (IOException e) {
            // includes a folder that cannot move atomically: a half-written document is never kept
            log.warn("cannot keep converted PMML in {}; the next start converts again", folder, e);
        }
    }

    /** Forgets the document under the key, e.g. because it no longer loads. */
    void remove(String key) {
        deleteQuietly(file(key));
    }

    private Path file(String key) {
        return folder.resolve(key + ".pmml");
    }

    private static void deleteQuietly(Path path) {
        if (path == null) {
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warn("cannot delete {}", path, e);
        }
    }
}
