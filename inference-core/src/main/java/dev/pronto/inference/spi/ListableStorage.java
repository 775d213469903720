package dev.pronto.inference.spi;

import java.io.IOException;
import java.util.List;

import dev.pronto.inference.FolderEntry;
import dev.pronto.inference.ModelLocation;

/**
 * A {@link Storage} that can also tell what a folder holds: the optional capability the engine needs
 * to discover model versions stored as {@code <root>/<name>/<version>/<model file>}. A storage that
 * cannot list simply does not implement it; the engine then refuses listing with a clear error and
 * everything else works as before.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #list} returns the entries <em>directly</em> inside the folder, sorted by name, each
 *       once: stored objects, and folders (for object stores, the prefixes of keys that continue after
 *       a {@code /}). Nothing deeper is listed.</li>
 *   <li>A folder that holds nothing, does not exist, or is a stored object gives an empty list: object
 *       stores cannot tell these apart, so no storage does.</li>
 *   <li>At most {@link #MAX_ENTRIES} entries are listed; a folder holding more is an
 *       {@link IOException} naming the folder, so that a mistaken root (a whole bucket) cannot exhaust
 *       memory.</li>
 * </ul>
 *
 * <h2>Access control</h2>
 * Exactly as for reading: the folder is checked against the configured buckets, containers or
 * folders <em>before</em> any I/O, and one outside them is an
 * {@link java.nio.file.AccessDeniedException}. A storage never lists outside its allow-list.
 *
 * <h2>Lifecycle, thread safety, exceptions</h2>
 * As for {@link Storage}: created by its provider when the engine starts, shared between threads,
 * closed with the engine. Besides {@code AccessDeniedException}, any {@link IOException} means the
 * store could not be reached or failed, with the SDK's exception kept as the cause. Listing is never
 * served from the engine's local file cache: it asks the store each time.
 */
public interface ListableStorage extends Storage {

    /** The most entries one {@link #list} returns. */
    int MAX_ENTRIES = 10_000;

    /**
     * Lists the entries directly inside a folder.
     *
     * @param folder the folder, as a location whose path names it (without a trailing {@code /})
     * @return the entries sorted by name; empty when the folder holds nothing
     * @throws IOException as described in the class documentation
     */
    List<FolderEntry> list(ModelLocation folder) throws IOException;
}
