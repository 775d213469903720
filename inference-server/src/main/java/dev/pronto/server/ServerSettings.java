package dev.pronto.server;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the HTTP layer needs to know beyond the engine: request limits and the operator's model names.
 *
 * @param maxBodyBytes the largest request body accepted; larger ones get 413
 * @param maxRecords the most records one request may score; more get 413
 * @param requestTimeout how long a request may wait for its model to load and be scored; longer ones get 503
 * @param models model names the operator configured, mapped to their locations, in configuration order
 * @param drainTimeout how long a stopping server lets requests in flight finish before it exits
 * @param versions the names among {@code models} whose location is a folder of numbered versions, with
 *     their version policies
 */
public record ServerSettings(long maxBodyBytes, int maxRecords, Duration requestTimeout, Map<String, String> models,
        Duration drainTimeout, VersionSettings versions) {

    /** Default {@link #maxBodyBytes()}: 10 MiB, room for about 50,000 records of 10 numeric fields. */
    public static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;
    /** Default {@link #maxRecords()}. */
    public static final int DEFAULT_MAX_RECORDS = 10_000;
    /** Default {@link #requestTimeout()}: long enough for a first load of a large model from cloud storage. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /**
     * The longest default {@link #drainTimeout()}: below the 30 s that SageMaker and Kubernetes (its
     * default termination grace period) wait between SIGTERM and SIGKILL, so that the server exits by
     * itself, its logs flushed, instead of being killed.
     */
    public static final Duration MAX_DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(25);

    /** Rejects nulls and non-positive limits, and copies the names keeping their order. */
    public ServerSettings {
        if (maxBodyBytes < 1 || maxRecords < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (requestTimeout.isZero() || requestTimeout.isNegative()) {
            throw new IllegalArgumentException("requestTimeout must be positive");
        }
        models = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(models, "models")));
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drainTimeout must not be negative");
        }
        Objects.requireNonNull(versions, "versions");
        for (String name : versions.policies().keySet()) {
            if (!models.containsKey(name)) {
                throw new IllegalArgumentException("versioned model \"" + name + "\" has no folder among the models");
            }
        }
    }

    /** Settings without versioned folders. */
    public ServerSettings(long maxBodyBytes, int maxRecords, Duration requestTimeout, Map<String, String> models,
            Duration drainTimeout) {
        this(maxBodyBytes, maxRecords, requestTimeout, models, drainTimeout, VersionSettings.none());
    }

    /** Settings whose drain timeout is the default for the request timeout, see {@link #defaultDrainTimeout}. */
    public ServerSettings(long maxBodyBytes, int maxRecords, Duration requestTimeout, Map<String, String> models) {
        this(maxBodyBytes, maxRecords, requestTimeout, models, defaultDrainTimeout(requestTimeout));
    }

    /**
     * The request timeout plus 1 s, so that every request in flight can finish, but at most
     * {@link #MAX_DEFAULT_DRAIN_TIMEOUT}.
     */
    public static Duration defaultDrainTimeout(Duration requestTimeout) {
        Duration whole = requestTimeout.plusSeconds(1);
        return whole.compareTo(MAX_DEFAULT_DRAIN_TIMEOUT) > 0 ? MAX_DEFAULT_DRAIN_TIMEOUT : whole;
    }

    /** The defaults, with no model names. */
    public static ServerSettings defaults() {
        return new ServerSettings(DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_RECORDS, DEFAULT_REQUEST_TIMEOUT, Map.of());
    }

    /** A copy with other limits. */
    public ServerSettings withLimits(long maxBodyBytes, int maxRecords, Duration requestTimeout) {
        return new ServerSettings(maxBodyBytes, maxRecords, requestTimeout, models, defaultDrainTimeout(requestTimeout),
                versions);
    }

    /** A copy with other model names, none of them a versioned folder. */
    public ServerSettings withModels(Map<String, String> models) {
        return new ServerSettings(maxBodyBytes, maxRecords, requestTimeout, models, drainTimeout, VersionSettings.none());
    }

    /** A copy with another drain timeout. */
    public ServerSettings withDrainTimeout(Duration drainTimeout) {
        return new ServerSettings(maxBodyBytes, maxRecords, requestTimeout, models, drainTimeout, versions);
    }

    /** A copy with other versioned folders; each name must be one of {@link #models()}. */
    public ServerSettings withVersions(VersionSettings versions) {
        return new ServerSettings(maxBodyBytes, maxRecords, requestTimeout, models, drainTimeout, versions);
    }
}
