package dev.pronto.server;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static dev.pronto.server.ConfigSchema.LOGS;

/**
 * The seed's {@code [Logs]} section, interpreted: where log files go and what each channel shows.
 *
 * @param directory the folder of the log file; empty for console only
 * @param filePrefix the file name prefix; the file is {@code <prefix>-id-<HOSTNAME>_<pid>.log}
 * @param fileLevel the lowest level written to the file, as a logback level name
 * @param consoleLevel the lowest level written to the console, as a logback level name
 * @param rotation {@code none}, or the period after which the file rolls over:
 *     {@code daily}, {@code hourly}, {@code minutely} or {@code weekly}
 * @param maxFileBytes the size at which the file rolls over, whatever the period
 * @param maxFiles how many rolled files are kept beside the current one (periods, for a timed
 *     rotation, whose files together stay under {@code maxFileBytes * maxFiles})
 * @param json whether both channels write one JSON object per line instead of text
 * @param accessLogProbes whether the access log has lines for {@code /ping} and {@code /health/*}
 * @param logbackConfig a logback configuration file of the operator's that replaces all of the above
 */
record LogSettings(Optional<Path> directory, String filePrefix, String fileLevel, String consoleLevel, String rotation,
        long maxFileBytes, int maxFiles, boolean json, boolean accessLogProbes, Optional<Path> logbackConfig) {

    /** Default {@link #maxFileBytes()}: 100 MiB. */
    static final long DEFAULT_MAX_FILE_BYTES = 100L * 1024 * 1024;
    /** Default {@link #maxFiles()}: with the default size, at most a little over 1 GiB of logs. */
    static final int DEFAULT_MAX_FILES = 10;

    /** The seed's settings, with the default size cap. */
    LogSettings(Optional<Path> directory, String filePrefix, String fileLevel, String consoleLevel, String rotation) {
        this(directory, filePrefix, fileLevel, consoleLevel, rotation, DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_FILES);
    }

    /** Text lines from Pronto's own channels, probes included. */
    LogSettings(Optional<Path> directory, String filePrefix, String fileLevel, String consoleLevel, String rotation,
            long maxFileBytes, int maxFiles) {
        this(directory, filePrefix, fileLevel, consoleLevel, rotation, maxFileBytes, maxFiles, false, true, Optional.empty());
    }

    /** Console at INFO, no file. */
    static LogSettings consoleOnly() {
        return console("INFO");
    }

    /** Text on the console at the level, no file, every access line. */
    static LogSettings console(String level) {
        return new LogSettings(Optional.empty(), "pronto", level, level, "none");
    }

    /**
     * Reads {@code [Logs]} with the seed's Python names for levels and rotation.
     *
     * @param warnings receives settings that are accepted but cannot be honoured exactly
     * @throws ConfigException naming the setting with a value of the wrong form
     */
    static LogSettings read(ConfigValues read, List<String> warnings) {
        Optional<Path> directory = read.setting(LOGS, "log_file_path")
                .filter(setting -> !setting.value().isEmpty()).map(setting -> Path.of(setting.value()));
        String prefix = read.string(LOGS, "log_file_prefix", "pronto");
        if (!prefix.matches("[A-Za-z0-9._-]+")) {
            throw read.invalid(LOGS, "log_file_prefix", "may hold only letters, digits, '.', '_' and '-'");
        }
        String fileLevel = read.level(LOGS, "log_level_file");
        String consoleLevel = read.level(LOGS, "log_level_console");
        String type = read.string(LOGS, "logger_type", "");
        String rotator = read.string(LOGS, "log_time_rotator", "midnight");
        int interval = read.integer(LOGS, "log_time_interval", 1, 1, 10_000);
        String rotation = "none";
        if (type.equals("TimedRotatingFileHandler")) {
            rotation = switch (rotator.toLowerCase(Locale.ROOT)) {
                case "s" -> "secondly";
                case "m" -> "minutely";
                case "h" -> "hourly";
                case "d", "midnight" -> "daily";
                case "w0", "w1", "w2", "w3", "w4", "w5", "w6" -> "weekly";
                default -> throw read.invalid(LOGS, "log_time_rotator", "expected S, M, H, D, midnight or W0 to W6");
            };
            if (interval != 1) {
                // logback rolls over once per period of its file name pattern; it cannot skip periods
                warnings.add("[Logs] log_time_interval: the log file rolls over " + rotation + ", not once per "
                        + interval + " periods; longer intervals are not supported");
            }
        }
        String format = read.string(LOGS, "log_format", "text").toLowerCase(Locale.ROOT);
        if (!format.equals("text") && !format.equals("json")) {
            throw read.invalid(LOGS, "log_format", "expected text or json");
        }
        boolean probes = read.bool(LOGS, "access_log_probes", true);
        Optional<Path> logbackConfig = read.setting(LOGS, "logback_config")
                .filter(setting -> !setting.value().isEmpty()).map(setting -> Path.of(setting.value()));
        return new LogSettings(directory, prefix, fileLevel, consoleLevel, rotation,
                read.size(LOGS, "max_file_size", DEFAULT_MAX_FILE_BYTES),
                read.integer(LOGS, "max_files", DEFAULT_MAX_FILES, 1, 10_000), format.equals("json"), probes, logbackConfig);
    }
}
