package dev.pronto.inference;

import java.util.Objects;

/**
 * One entry directly inside a stored folder, as {@link InferenceEngine#list(String)} and
 * {@link dev.pronto.inference.spi.ListableStorage#list(ModelLocation)} report it.
 *
 * <p>Object stores have no real folders: there a folder is the common prefix of keys that continue
 * after a {@code /}. Immutable.
 *
 * @param name the entry's name inside the folder, never empty and without {@code /}
 * @param folder whether the entry is a folder (or a prefix of further keys) rather than a stored object
 */
public record FolderEntry(String name, boolean folder) {

    /** Rejects a null, empty or nested name. */
    public FolderEntry {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("a folder entry's name must be one non-empty path segment: \"" + name + "\"");
        }
    }
}
