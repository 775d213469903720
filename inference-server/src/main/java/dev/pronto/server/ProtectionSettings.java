package dev.pronto.server;

import java.time.Duration;
import java.util.Objects;

/**
 * How the server protects itself from clients that send too much, too slowly or too loosely: the
 * bound on work in flight, the minimum rate at which a request body must arrive, and how strictly
 * record keys are checked. See {@code docs/operations.md}, "Limits".
 *
 * @param maxConcurrentInvocations the most {@code /invocations} requests being read or scored at once;
 *     more get 503 {@code overloaded} at once. Kept below the HTTP thread pool, so the probes and
 *     the model listing always find a thread, however many clients are scoring or sending slowly
 * @param maxInFlightBytes the most request body bytes (decoded) being read or scored at once; a
 *     request that would pass it gets 503 {@code overloaded}. The heap a request needs grows with its
 *     body (a few times its size), so this is what keeps many large requests from exhausting memory
 * @param minBodyBytesPerSecond the slowest average rate a body may arrive at, once
 *     {@code bodyGracePeriod} has passed; slower ones get 408 and their connection closed
 * @param bodyGracePeriod how long a body may take before its rate is checked
 * @param unknownKeys what becomes of a record key that is not an input of the model
 */
public record ProtectionSettings(int maxConcurrentInvocations, long maxInFlightBytes, long minBodyBytesPerSecond,
        Duration bodyGracePeriod, UnknownKeys unknownKeys) {

    /** What becomes of a record key that is not an input of the model. */
    public enum UnknownKeys {
        /** Refused with 400, naming the key and the closest input. */
        REFUSE,
        /**
         * Refused with 400 when the record also lacks an input, which is what a misspelt key looks like;
         * extra columns beside all the inputs (a whole table row, with its target and id columns) are
         * ignored. The default: it catches the typo that would score a missing value, and the seed's
         * clients, which send whole rows, keep working.
         */
        REFUSE_IF_INPUT_MISSING,
        /** Ignored. */
        IGNORE
    }

    /** Default {@link #maxConcurrentInvocations()}: half of Jetty's 250 HTTP threads (Java 17). */
    public static final int DEFAULT_MAX_CONCURRENT_INVOCATIONS = 128;
    /** Default {@link #minBodyBytesPerSecond()}: a modem's pace; any real client sends far faster. */
    public static final long DEFAULT_MIN_BODY_BYTES_PER_SECOND = 1024;
    /** Default {@link #bodyGracePeriod()}. */
    public static final Duration DEFAULT_BODY_GRACE_PERIOD = Duration.ofSeconds(10);

    /** Rejects nulls and non-positive limits. */
    public ProtectionSettings {
        if (maxConcurrentInvocations < 1 || maxInFlightBytes < 1 || minBodyBytesPerSecond < 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        Objects.requireNonNull(bodyGracePeriod, "bodyGracePeriod");
        Objects.requireNonNull(unknownKeys, "unknownKeys");
        if (bodyGracePeriod.isNegative()) {
            throw new IllegalArgumentException("bodyGracePeriod must not be negative");
        }
    }

    /**
     * The defaults. The bytes in flight default to an eighth of the heap: a request needs about five
     * times its body in heap while it is decoded and scored (measured: 44 MB for a 9 MB body of
     * 10,000 records), so the requests in flight then hold at most about two thirds of it.
     */
    public static ProtectionSettings defaults() {
        return new ProtectionSettings(DEFAULT_MAX_CONCURRENT_INVOCATIONS, Runtime.getRuntime().maxMemory() / 8,
                DEFAULT_MIN_BODY_BYTES_PER_SECOND, DEFAULT_BODY_GRACE_PERIOD, UnknownKeys.REFUSE_IF_INPUT_MISSING);
    }

    /**
     * Reads the protection keys of {@code [Limits]}; see {@code docs/server-configuration.md}.
     *
     * @throws ConfigException naming the setting with a value of the wrong form
     */
    static ProtectionSettings read(ConfigValues read) {
        ProtectionSettings defaults = defaults();
        String limits = ConfigSchema.LIMITS;
        UnknownKeys policy = switch (read.string(limits, "unknown_record_keys", "refuse_if_input_missing")
                .toLowerCase(java.util.Locale.ROOT)) {
            case "refuse" -> UnknownKeys.REFUSE;
            case "refuse_if_input_missing" -> UnknownKeys.REFUSE_IF_INPUT_MISSING;
            case "ignore" -> UnknownKeys.IGNORE;
            default -> throw read.invalid(limits, "unknown_record_keys", "expected refuse, refuse_if_input_missing or ignore");
        };
        // 0 turns the rate check off; a size is otherwise at least one byte
        boolean rateOff = read.string(limits, "min_body_rate", "").equals("0");
        return new ProtectionSettings(
                read.integer(limits, "max_in_flight_requests", defaults.maxConcurrentInvocations(), 1, 100_000),
                read.size(limits, "max_in_flight_bytes", defaults.maxInFlightBytes()),
                rateOff ? 0 : read.size(limits, "min_body_rate", defaults.minBodyBytesPerSecond()),
                read.duration(limits, "body_grace_period", defaults.bodyGracePeriod()), policy);
    }

    /** A copy with other bounds on work in flight. */
    public ProtectionSettings withInFlight(int maxConcurrentInvocations, long maxInFlightBytes) {
        return new ProtectionSettings(maxConcurrentInvocations, maxInFlightBytes, minBodyBytesPerSecond, bodyGracePeriod,
                unknownKeys);
    }

    /** A copy with another minimum body rate. */
    public ProtectionSettings withMinBodyRate(long minBodyBytesPerSecond, Duration bodyGracePeriod) {
        return new ProtectionSettings(maxConcurrentInvocations, maxInFlightBytes, minBodyBytesPerSecond, bodyGracePeriod,
                unknownKeys);
    }

    /** A copy that treats record keys that are not model inputs otherwise. */
    public ProtectionSettings withUnknownKeys(UnknownKeys unknownKeys) {
        return new ProtectionSettings(maxConcurrentInvocations, maxInFlightBytes, minBodyBytesPerSecond, bodyGracePeriod,
                unknownKeys);
    }
}
