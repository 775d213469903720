package dev.pronto.inference.spi;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

import dev.pronto.inference.ModelLocation;

/**
 * Reads stored models for the schemes of one {@link StorageProvider}.
 *
 * <h2>Thread safety</h2>
 * Implementations are thread-safe: the engine shares one instance between all requests.
 *
 * <h2>Access control</h2>
 * A storage serves only the buckets, containers or folders its configuration allows. It checks a
 * location <em>before</em> any I/O and throws {@link java.nio.file.AccessDeniedException} for one
 * outside them, with a reason that names no server path or secret.
 *
 * <h2>Exceptions</h2>
 * <ul>
 *   <li>{@link java.nio.file.NoSuchFileException}: nothing is stored at the location;</li>
 *   <li>{@link java.nio.file.AccessDeniedException}: the location is not allowed, or the store refused
 *       the credentials;</li>
 *   <li>any other {@link IOException}: the store could not be reached or failed; SDK exceptions are
 *       wrapped with the cause kept.</li>
 * </ul>
 * Exception messages may reach logs but never clients; they must never contain credentials.
 *
 * <h2>Closing</h2>
 * The engine closes the storage when it closes; afterwards no method is called.
 */
public interface Storage extends Closeable {

    /**
     * Returns size, modification time and version of the object at the location, without reading it.
     *
     * @throws IOException as described in the class documentation
     */
    ObjectInfo stat(ModelLocation location) throws IOException;

    /**
     * Opens the object at the location for reading. The caller closes the stream.
     *
     * @throws IOException as described in the class documentation
     */
    InputStream open(ModelLocation location) throws IOException;

    /**
     * Opens the object at the location together with the size, version and (where the store vouches
     * for one) checksum of exactly the bytes being read. The caller closes the stream.
     *
     * <p>The default asks {@link #stat} and then {@link #open}: if the object is replaced between the
     * two, the info may describe another version than the bytes, which a careful reader notices as a
     * size mismatch. Stores that return both in one response (an S3 {@code GetObject}) override this.
     *
     * @throws IOException as described in the class documentation
     */
    default ObjectStream openObject(ModelLocation location) throws IOException {
        ObjectInfo info = stat(location);
        return new ObjectStream(open(location), info, null);
    }

    /**
     * Why what this storage currently serves for the location may be out of date, if it may be: a
     * storage that keeps local copies (see {@link LocalFileCache}) serves the last good copy when its
     * store cannot be reached, and says so here until a check succeeds again. The engine reports this
     * reason in {@link dev.pronto.inference.ModelStatus#staleReason()}, so that health and
     * model listings can show it.
     *
     * <p>The reason names no server path or secret. The default, for storages that always read the
     * store itself, is empty. Never throws and does no I/O.
     */
    default Optional<String> staleness(ModelLocation location) {
        return Optional.empty();
    }

    /** Releases clients and connections. The default does nothing. */
    @Override
    default void close() throws IOException {
    }
}
