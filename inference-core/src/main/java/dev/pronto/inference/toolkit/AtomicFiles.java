package dev.pronto.inference.toolkit;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file so that a reader sees either the old content or the whole new content, never a part:
 * the bytes go to a temporary file in the target's folder, which is then renamed over the target in
 * one atomic step.
 *
 * <h2>One policy: no atomic move, no write</h2>
 * Where the file system cannot rename atomically (some network and FUSE mounts), the write fails with
 * an {@link IOException} instead of falling back to a plain move. A plain move may copy and delete,
 * and a reader (another thread, another process sharing the folder, the next start after a crash)
 * could then see half a model or half a record and trust it. Every caller here keeps a cache that
 * is only an optimisation, so refusing costs time, while a fallback could cost correctness.
 *
 * <p>Stateless and thread-safe; concurrent writers of one target each move a whole file, and the last
 * move wins.
 */
public final class AtomicFiles {

    /** Writes the content of a temporary file. */
    @FunctionalInterface
    public interface Content {
        /** Writes the whole content into {@code temporary}, which exists and is empty. */
        void writeTo(Path temporary) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Writes {@code target} through a temporary file in its folder (created if missing) and moves it
     * into place. The temporary file is deleted whatever happens.
     *
     * @throws IOException if writing fails or the file system cannot move atomically; the target is
     *     then unchanged
     */
    public static void write(Path target, Content content) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        // a dot name keeps temporary files out of listings; ".part" says what they are when left by a crash
        Path temporary = Files.createTempFile(folder, ".pronto-", ".part");
        try {
            content.writeTo(temporary);
            move(temporary, target);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Writes {@code bytes} to {@code target} as {@link #write(Path, Content)} does. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, temporary -> Files.write(temporary, bytes));
    }

    /**
     * Renames {@code source} over {@code target} atomically, replacing it.
     *
     * @throws IOException if the file system cannot move atomically (see the class documentation)
     */
    public static void move(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + target.getFileName()
                    + "'s folder cannot move files atomically, so it cannot hold cached copies", e);
        }
    }
}
