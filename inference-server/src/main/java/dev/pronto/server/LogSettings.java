package dev.pronto.server;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The seed's {@code [Logs]} section, interpreted: where log files go and what each channel shows.
 *
 * @param directory the folder of the log file; empty for console only
 * @param filePrefix the file name prefix; the file is {@code <prefix>-id-<HOSTNAME>_<pid>.log}
 * @param fileLevel the lowest level written to the file, as a logback level name
 * @param consoleLevel the lowest level written to the console, as a logback level name
 * @param rotation {@code none}, or the period after which the file rolls over:
 *     {@code daily}, {@code hourly}, {@code minutely} or {@code weekly}
 */
record LogSettings(Optional<Path> directory, String filePrefix, String fileLevel, String consoleLevel, String rotation) {

    /** Console at INFO, no file. */
    static LogSettings consoleOnly() {
        return new LogSettings(Optional.empty(), "pronto", "INFO", "INFO", "none");
    }
}
