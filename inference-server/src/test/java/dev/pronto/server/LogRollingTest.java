package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;

/**
 * Issue 13 finding 10: the log file had no size cap (the access lines of a three-minute soak alone
 * were 328 MB). It now rolls by size, with or without a timed rotation, and keeps a bounded number of
 * files.
 */
class LogRollingTest {

    private static final long MAX_FILE_BYTES = 1024;
    private static final int MAX_FILES = 3;

    @TempDir
    Path logs;

    @Test
    void fileWithoutTimedRotationRollsBySizeAndKeepsAFewFiles() throws Exception {
        assertCapped("none");
    }

    @Test
    void fileWithTimedRotationRollsBySizeToo() throws Exception {
        assertCapped("daily");
    }

    private void assertCapped(String rotation) throws Exception {
        // a context of the test's own: the server's console channel writes to file descriptor 1, which
        // surefire's fork uses to report
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        List<OutputStreamAppender<ILoggingEvent>> channels = new ArrayList<>();
        LogSetup.fileChannel(new LogSettings(Optional.of(logs), "pronto", "INFO", "INFO", rotation, MAX_FILE_BYTES, MAX_FILES),
                "test-host", context, Level.INFO, channels);
        BatchingAppender batching = new BatchingAppender(channels);
        batching.setContext(context);
        batching.start();
        Logger access = context.getLogger("dev.pronto.server.access");
        access.addAppender(batching);
        for (int i = 0; i < 80; i++) {
            for (int line = 0; line < 2; line++) {
                access.info("POST /invocations 200 1.0 ms id={} {}", i * 10 + line, "x".repeat(100));
            }
            batching.flush(5, TimeUnit.SECONDS);
            // the size is checked at most once a second
            Thread.sleep(100);
        }
        batching.stop();

        List<Path> files;
        try (Stream<Path> listing = Files.list(logs)) {
            files = listing.sorted().toList();
        }
        long kept = files.stream().mapToLong(LogRollingTest::size).sum();
        // about 24 KB were written in 8 s: without the cap, one file of that size. The size is checked once a
        // second, so a file may pass the cap by what arrives in a second (about 3 KB here)
        assertThat(files).hasSizeGreaterThan(1).hasSizeLessThanOrEqualTo(MAX_FILES + 2);
        assertThat(kept).isLessThan((MAX_FILES + 1) * (MAX_FILE_BYTES + 3_000));
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
