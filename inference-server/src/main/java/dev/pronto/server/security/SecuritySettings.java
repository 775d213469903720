package dev.pronto.server.security;

import java.util.Objects;
import java.util.Optional;

/**
 * The edge security settings: bearer tokens, TLS and CORS, each off by default. Immutable; the
 * {@code with} methods return copies.
 */
public final class SecuritySettings {

    private static final SecuritySettings OFF = new SecuritySettings(BearerTokens.none(), null, CorsSettings.off());

    private final BearerTokens tokens;
    private final TlsSettings tls;
    private final CorsSettings cors;

    private SecuritySettings(BearerTokens tokens, TlsSettings tls, CorsSettings cors) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.tls = tls;
        this.cors = Objects.requireNonNull(cors, "cors");
    }

    /** Everything off: no tokens asked for, plain HTTP, no CORS headers. */
    public static SecuritySettings off() {
        return OFF;
    }

    /** The accepted tokens; none means authentication is off. */
    public BearerTokens tokens() {
        return tokens;
    }

    /** TLS, when on. */
    public Optional<TlsSettings> tls() {
        return Optional.ofNullable(tls);
    }

    /** The CORS allow-list; an empty one means CORS is off. */
    public CorsSettings cors() {
        return cors;
    }

    /** A copy accepting these tokens. */
    public SecuritySettings withTokens(BearerTokens tokens) {
        return new SecuritySettings(tokens, tls, cors);
    }

    /** A copy serving TLS. */
    public SecuritySettings withTls(TlsSettings tls) {
        return new SecuritySettings(tokens, Objects.requireNonNull(tls, "tls"), cors);
    }

    /** A copy with this CORS allow-list. */
    public SecuritySettings withCors(CorsSettings cors) {
        return new SecuritySettings(tokens, tls, cors);
    }

    /** One line for the startup log: what is on, never a token, hash or password. */
    public String describe() {
        String auth = tokens.enabled() ? "bearer tokens on (" + tokens.size() + ")" : "bearer tokens off";
        String transport = tls == null ? "TLS off" : "TLS on (" + (tls.keys() instanceof TlsSettings.Pem ? "PEM" : "PKCS#12")
                + (tls.clientAuth() == TlsSettings.ClientAuth.NONE ? "" : ", client certificates " + tls.clientAuth()
                        .name().toLowerCase(java.util.Locale.ROOT)) + ")";
        String origins = cors.enabled() ? "CORS for " + String.join(", ", cors.origins()) : "CORS off";
        return auth + ", " + transport + ", " + origins;
    }

    @Override
    public String toString() {
        return "SecuritySettings[tokens=" + tokens.size() + ", tls=" + tls + ", cors=" + cors.origins() + "]";
    }
}
