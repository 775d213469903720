package dev.pronto.inference.toolkit;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.TreeMap;

import dev.pronto.inference.FolderEntry;
import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.spi.ListableStorage;

/**
 * Collects the answer of a {@link ListableStorage#list}: names relative to the folder as a store
 * reports them, sorted and each once, bounded by {@link ListableStorage#MAX_ENTRIES}.
 *
 * <p>Not thread-safe: one instance per listing.
 */
public final class FolderEntries {

    private final ModelLocation folder;
    private final TreeMap<String, FolderEntry> entries = new TreeMap<>();

    /** Starts the listing of {@code folder}. */
    public FolderEntries(ModelLocation folder) {
        this.folder = folder;
    }

    /** The prefix of the keys inside the folder in an object store: its path and a {@code /}. */
    public static String prefix(ModelLocation folder) {
        return folder.path() + "/";
    }

    /**
     * Adds one entry.
     *
     * @param name the entry's name after the folder's prefix; a folder's may end in {@code /}. An empty
     *     name (the marker object some tools write for a folder) and one holding a further {@code /}
     *     (a key with {@code //}, which no location can name) are skipped
     * @param isFolder whether it is a folder (a common prefix) rather than an object
     * @throws IOException when the folder holds more than {@link ListableStorage#MAX_ENTRIES} entries
     */
    public void add(String name, boolean isFolder) throws IOException {
        String plain = isFolder && name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        if (plain.isEmpty() || plain.contains("/")) {
            return;
        }
        if (entries.size() == ListableStorage.MAX_ENTRIES && !entries.containsKey(plain)) {
            throw new IOException("folder " + folder + " holds more than " + ListableStorage.MAX_ENTRIES + " entries");
        }
        entries.putIfAbsent(plain, new FolderEntry(plain, isFolder));
    }

    /**
     * The answer for a listing that failed with {@code failure}, the store's error already translated:
     * empty when the bucket or container does not exist ({@link NoSuchFileException}), which the
     * contract treats as a folder that holds nothing.
     *
     * @throws IOException {@code failure} itself for any other failure
     */
    public static List<FolderEntry> emptyIfMissing(IOException failure) throws IOException {
        if (failure instanceof NoSuchFileException) {
            return List.of();
        }
        throw failure;
    }

    /** The entries added, sorted by name. */
    public List<FolderEntry> toList() {
        return List.copyOf(entries.values());
    }
}
