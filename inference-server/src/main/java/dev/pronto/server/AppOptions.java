package dev.pronto.server;

import java.util.Objects;

import dev.pronto.server.security.SecuritySettings;

/**
 * Everything a {@link ServerApp} is made with besides its engine and state: limits and model names,
 * protection, edge security and the meters it records into. Each part has a default, so a caller
 * names only what it changes:
 *
 * <pre>{@code
 * AppOptions options = AppOptions.of(settings).withSecurity(security);
 * }</pre>
 *
 * <p>Immutable; the {@code with} methods return copies.
 */
public final class AppOptions {

    private static final AppOptions DEFAULTS = new AppOptions(ServerSettings.defaults(), ProtectionSettings.defaults(),
            SecuritySettings.off(), ServerMetrics.disabled());

    private final ServerSettings settings;
    private final ProtectionSettings protection;
    private final SecuritySettings security;
    private final ServerMetrics metrics;

    private AppOptions(ServerSettings settings, ProtectionSettings protection, SecuritySettings security,
            ServerMetrics metrics) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.protection = Objects.requireNonNull(protection, "protection");
        this.security = Objects.requireNonNull(security, "security");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** Default limits, no model names, default protection, edge security and metrics off. */
    public static AppOptions defaults() {
        return DEFAULTS;
    }

    /** The defaults with these limits and model names. */
    public static AppOptions of(ServerSettings settings) {
        return DEFAULTS.withSettings(settings);
    }

    /** Limits and the operator's model names. */
    public ServerSettings settings() {
        return settings;
    }

    /** The bound on work in flight, the minimum body rate and the record key check. */
    public ProtectionSettings protection() {
        return protection;
    }

    /** Bearer tokens, TLS and CORS (see {@code docs/security.md}). */
    public SecuritySettings security() {
        return security;
    }

    /** The meters requests are recorded in, served at {@code GET /metrics} when enabled; the caller closes them. */
    ServerMetrics metrics() {
        return metrics;
    }

    /** A copy with other limits and model names. */
    public AppOptions withSettings(ServerSettings settings) {
        return new AppOptions(settings, protection, security, metrics);
    }

    /** A copy with other protection settings. */
    public AppOptions withProtection(ProtectionSettings protection) {
        return new AppOptions(settings, protection, security, metrics);
    }

    /** A copy with other edge security settings. */
    public AppOptions withSecurity(SecuritySettings security) {
        return new AppOptions(settings, protection, security, metrics);
    }

    /** A copy recording into these meters; the server's own, so not public. */
    AppOptions withMetrics(ServerMetrics metrics) {
        return new AppOptions(settings, protection, security, metrics);
    }
}
