package dev.pronto.server.security;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The CORS allow-list: which web origins may call the server from a browser, with which methods and
 * request headers. Off (no CORS headers at all, so browsers refuse cross-origin calls) when
 * {@code origins} is empty.
 *
 * @param origins allowed origins exactly as browsers send them ({@code https://app.example.com}), or
 *     {@code *} for any; empty turns CORS off
 * @param methods allowed methods, upper case
 * @param headers allowed request headers, compared case-insensitively
 * @param maxAge how long a browser may cache a preflight answer
 */
public record CorsSettings(List<String> origins, List<String> methods, List<String> headers, Duration maxAge) {

    /** Default {@link #methods()}: what the endpoints accept. */
    public static final List<String> DEFAULT_METHODS = List.of("GET", "POST");
    /** Default {@link #headers()}: JSON bodies, bearer tokens and the client's own request id. */
    public static final List<String> DEFAULT_HEADERS = List.of("Content-Type", "Authorization", "X-Request-Id");
    /** Default {@link #maxAge()}. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(10);

    /** Rejects nulls and origins with a path or a trailing slash, which a browser never sends. */
    public CorsSettings {
        origins = List.copyOf(Objects.requireNonNull(origins, "origins"));
        methods = Objects.requireNonNull(methods, "methods").stream().map(m -> m.toUpperCase(Locale.ROOT)).toList();
        headers = List.copyOf(Objects.requireNonNull(headers, "headers"));
        Objects.requireNonNull(maxAge, "maxAge");
        for (String origin : origins) {
            if (!origin.equals("*") && !origin.matches("https?://[^/\\s]+")) {
                throw new IllegalArgumentException("CORS origin \"" + origin + "\" must be scheme://host[:port] "
                        + "with no path or trailing slash, or *");
            }
        }
    }

    /** CORS off. */
    public static CorsSettings off() {
        return new CorsSettings(List.of(), DEFAULT_METHODS, DEFAULT_HEADERS, DEFAULT_MAX_AGE);
    }

    /** The given origins with the default methods, headers and max age. */
    public static CorsSettings allowing(List<String> origins) {
        return new CorsSettings(origins, DEFAULT_METHODS, DEFAULT_HEADERS, DEFAULT_MAX_AGE);
    }

    /** Whether any origin is allowed. */
    public boolean enabled() {
        return !origins.isEmpty();
    }
}
