package dev.pronto.server;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * The progress of {@code pronto score} on standard error: on a terminal one line redrawn in place
 * (records, records/s, percentage and ETA when the input's size is known), otherwise a plain line
 * every few seconds, which logs and CI keep readably. Called from the one thread that writes output.
 */
final class ProgressReport {

    private final PrintStream err;
    private final LongSupplier bytesRead;
    private final long totalBytes;
    private final boolean terminal;
    private final long intervalNanos;
    private final long start = System.nanoTime();
    private long lastReport = start;
    private boolean redrawn;

    /**
     * @param totalBytes the input's size, or a negative number when unknown (standard input)
     * @param seconds between plain lines; 0 for none
     */
    ProgressReport(PrintStream err, LongSupplier bytesRead, long totalBytes, boolean terminal, int seconds) {
        this.err = err;
        this.bytesRead = bytesRead;
        this.totalBytes = totalBytes;
        this.terminal = terminal;
        this.intervalNanos = terminal ? 250_000_000L : seconds * 1_000_000_000L;
    }

    void update(long records) {
        long now = System.nanoTime();
        if (intervalNanos <= 0 || now - lastReport < intervalNanos) {
            return;
        }
        lastReport = now;
        String line = line(records, now);
        if (terminal) {
            err.print("\r" + line + "   ");
            redrawn = true;
        } else {
            err.println("pronto score: " + line);
        }
    }

    /** Ends the redrawn line, so that what follows starts on its own. */
    void finish() {
        if (redrawn) {
            err.println();
        }
    }

    void summary(long records, long skipped) {
        double seconds = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
        err.printf("pronto score: %d records in %.1f s (%d records/s)%s%n", records, seconds, Math.round(records / seconds),
                skipped == 0 ? "" : ", " + skipped + " bad rows skipped");
    }

    private String line(long records, long now) {
        double seconds = Math.max(1e-3, (now - start) / 1e9);
        long rate = Math.round(records / seconds);
        StringBuilder line = new StringBuilder().append(records).append(" records, ").append(rate).append(" records/s");
        long read = bytesRead.getAsLong();
        if (totalBytes > 0 && read > 0) {
            double done = Math.min(1.0, (double) read / totalBytes);
            long eta = Math.round(seconds / done - seconds);
            line.append(String.format(", %d%%, ETA %d:%02d", Math.round(done * 100), eta / 60, eta % 60));
        }
        return line.toString();
    }
}
