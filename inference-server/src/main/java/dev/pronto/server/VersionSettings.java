package dev.pronto.server;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The models served from a folder of numbered versions ({@code <root>/<name>/<version>/<model file>}),
 * with their version policies, and how often their folders are searched for new versions. Immutable.
 *
 * @param policies version policy by model name, in configuration order; the {@code [Models]} value of
 *     such a name is its folder {@code <root>/<name>}
 * @param scanInterval how often the folders are listed again; zero lists them only at start and on a
 *     repository {@code load}
 */
public record VersionSettings(Map<String, VersionPolicy> policies, Duration scanInterval) {

    /** How often folders are listed unless configured otherwise: the engine's default revalidation interval. */
    public static final Duration DEFAULT_SCAN_INTERVAL = Duration.ofSeconds(10);

    /** Rejects nulls and a negative interval; copies the policies keeping their order. */
    public VersionSettings {
        policies = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(policies, "policies")));
        Objects.requireNonNull(scanInterval, "scanInterval");
        if (scanInterval.isNegative()) {
            throw new IllegalArgumentException("scanInterval must not be negative");
        }
    }

    /** No versioned folders. */
    public static VersionSettings none() {
        return new VersionSettings(Map.of(), DEFAULT_SCAN_INTERVAL);
    }
}
