package dev.pronto.inference.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path folder;

    @Test
    void writesIntoAFolderItCreates() throws IOException {
        Path target = folder.resolve("a/b/model.pmml");

        AtomicFiles.write(target, "content".getBytes(StandardCharsets.UTF_8));

        assertThat(target).hasContent("content");
        try (var files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void failedWriteLeavesTheOldContentAndNoTemporaryFile() throws IOException {
        Path target = Files.writeString(folder.resolve("model.pmml"), "old");

        assertThatThrownBy(() -> AtomicFiles.write(target, temporary -> {
            Files.writeString(temporary, "half");
            throw new IOException("disk full");
        })).hasMessage("disk full");

        assertThat(target).hasContent("old");
        try (var files = Files.list(folder)) {
            assertThat(files).containsExactly(target);
        }
    }
}
