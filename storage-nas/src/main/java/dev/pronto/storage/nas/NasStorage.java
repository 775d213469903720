package dev.pronto.storage.nas;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.pronto.inference.FolderEntry;
import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.spi.ObjectInfo;
import dev.pronto.inference.toolkit.FolderEntries;
import dev.pronto.inference.spi.ListableStorage;

/**
 * Reads and lists models in folders, jailed under the configured ones. Thread-safe and stateless after
 * construction. Exception messages name the location as the client gave it, never a server path.
 */
final class NasStorage implements ListableStorage {

    private final Path root;
    private final Map<String, Path> shares;
    private final List<Path> allFolders;

    NasStorage(Path root, Map<String, Path> shares) {
        this.root = root;
        this.shares = Map.copyOf(shares);
        this.allFolders = new ArrayList<>(shares.values());
        if (root != null) {
            allFolders.add(0, root);
        }
    }

    @Override
    public ObjectInfo stat(ModelLocation location) throws IOException {
        Path file = resolve(location);
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        // the file key (device and inode) changes when a file is replaced by an atomic rename,
        // even if size and modification time happen to match
        String version = attributes.size() + "-" + attributes.lastModifiedTime().toMillis()
                + (attributes.fileKey() == null ? "" : "-" + Integer.toHexString(attributes.fileKey().hashCode()));
        return new ObjectInfo(attributes.size(), attributes.lastModifiedTime().toInstant(), version);
    }

    @Override
    public InputStream open(ModelLocation location) throws IOException {
        return Files.newInputStream(resolve(location));
    }

    /**
     * The entries of a folder inside the configured ones; entries whose symbolic link leads outside
     * are listed by name only, as reading them is refused anyway.
     */
    @Override
    public List<FolderEntry> list(ModelLocation folder) throws IOException {
        Path real;
        try {
            real = jailed(folder);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        if (!Files.isDirectory(real)) {
            return List.of();
        }
        FolderEntries entries = new FolderEntries(folder);
        try (DirectoryStream<Path> children = Files.newDirectoryStream(real)) {
            for (Path child : children) {
                entries.add(child.getFileName().toString(), Files.isDirectory(child));
            }
        }
        return entries.toList();
    }

    /**
     * Resolves a location to a real file inside its folder.
     *
     * @throws AccessDeniedException if the location is outside every configured folder or leaves its
     *     folder through a symbolic link
     * @throws NoSuchFileException if no regular file is there
     */
    Path resolve(ModelLocation location) throws IOException {
        Path real = jailed(location);
        if (!Files.isRegularFile(real)) {
            throw new NoSuchFileException(location.toString());
        }
        return real;
    }

    /**
     * Resolves a location to the real path of whatever is there (file or folder) inside its configured folder.
     *
     * @throws AccessDeniedException if the location is outside every configured folder or leaves its
     *     folder through a symbolic link
     * @throws NoSuchFileException if nothing is there
     */
    private Path jailed(ModelLocation location) throws IOException {
        Path folder;
        Path candidate;
        try {
            if (location.scheme().equals("nas")) {
                folder = shares.get(location.container());
                if (folder == null) {
                    throw denied(location, "share \"" + location.container() + "\" is not configured");
                }
                candidate = folder.resolve(location.path()).normalize();
            } else if (location.isRelativeToDefaultRoot()) {
                folder = root;
                if (folder == null) {
                    throw denied(location, "no default model root is configured (storage.nas.root)");
                }
                candidate = folder.resolve(location.path()).normalize();
            } else {
                candidate = Path.of(location.path()).normalize();
                folder = allFolders.stream().filter(candidate::startsWith).findFirst()
                        .orElseThrow(() -> denied(location, "it is outside the configured model folders"));
            }
        } catch (InvalidPathException e) {
            throw denied(location, "it is not a valid path on this system");
        }
        if (!candidate.startsWith(folder)) {
            // ModelLocation already refuses "..", so this is defence in depth
            throw denied(location, "it is outside its folder");
        }
        Path real;
        try {
            real = candidate.toRealPath();
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(location.toString());
        }
        if (!real.startsWith(folder)) {
            throw denied(location, "a symbolic link leads outside its folder");
        }
        return real;
    }

    private static AccessDeniedException denied(ModelLocation location, String reason) {
        return new AccessDeniedException(location.toString(), null, reason);
    }
}
