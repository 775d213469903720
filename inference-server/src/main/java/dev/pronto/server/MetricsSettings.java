package dev.pronto.server;

import java.util.List;
import java.util.Locale;

import static dev.pronto.server.ConfigSchema.METRICS;

/**
 * The {@code [Metrics]} section: whether the server keeps meters and serves them at {@code GET /metrics}.
 *
 * @param enabled {@code true} (the default) to record the engine's, HTTP, JVM and Jetty meters and
 *     serve them; {@code false} records nothing, and {@code /metrics} answers 404
 */
record MetricsSettings(boolean enabled) {

    /** Metrics on. */
    static MetricsSettings defaults() {
        return new MetricsSettings(true);
    }

    /**
     * Reads {@code [Metrics]}; booleans as Python's configparser reads them.
     *
     * @throws ConfigException naming the setting with a value of the wrong form
     */
    static MetricsSettings read(ConfigValues read, List<String> warnings) {
        String text = read.string(METRICS, "enabled", "true").toLowerCase(Locale.ROOT);
        return switch (text) {
            case "1", "yes", "true", "on" -> new MetricsSettings(true);
            case "0", "no", "false", "off" -> new MetricsSettings(false);
            default -> throw read.invalid(METRICS, "enabled", "expected true or false");
        };
    }
}
