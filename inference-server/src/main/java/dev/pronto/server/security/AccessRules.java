package dev.pronto.server.security;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which role each endpoint needs, as one ordered table of path patterns: the first pattern that
 * matches the whole path decides, and a path no pattern matches needs {@link Access#ADMIN}, so an
 * endpoint added without a row here is protected rather than open. A new protocol's endpoints get
 * their rows here and nowhere else. Immutable and thread-safe.
 *
 * <p>Patterns match the raw request path; a trailing slash is allowed, as the router allows it.
 * Percent-encoded forms of open paths fall through to the admin default, the safe side.
 */
public final class AccessRules {

    /** What a request to an endpoint must show. */
    public enum Access {
        /** No token: probes and metrics, which orchestrators and scrapers call without credentials. */
        OPEN,
        /** A token with the score role (or admin). */
        SCORE,
        /** A token with the admin role. */
        ADMIN
    }

    private record Rule(Pattern path, Access access) {
    }

    /** One path segment: a model name or version, never a slash. */
    private static final String SEGMENT = "[^/]+";

    /**
     * The server's endpoints. Per-model metadata and readiness of the inference protocols are
     * {@code SCORE}, because their clients (KServe, Triton) read them before every first inference;
     * the detailed listing with checksums and load times ({@code /models}) and the repository API are
     * {@code ADMIN}.
     */
    private static final AccessRules DEFAULT = new AccessRules(List.of(
            rule("/ping", Access.OPEN),
            rule("/health/(live|ready)", Access.OPEN),
            rule("/v2/health/(live|ready)", Access.OPEN),
            rule("/metrics", Access.OPEN),
            rule("/invocations", Access.SCORE),
            rule("/v2/models/" + SEGMENT + "(/versions/" + SEGMENT + ")?/(infer|ready)", Access.SCORE),
            rule("/v2/models/" + SEGMENT + "(/versions/" + SEGMENT + ")?", Access.SCORE),
            rule("/v1/models/" + SEGMENT + ":predict", Access.SCORE),
            rule("/v1/models/" + SEGMENT, Access.SCORE),
            rule("/models(/.*)?", Access.ADMIN),
            rule("/v2/repository(/.*)?", Access.ADMIN)));

    private final List<Rule> rules;

    private AccessRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The server's table, described in {@code docs/security.md}. */
    public static AccessRules defaults() {
        return DEFAULT;
    }

    private static Rule rule(String path, Access access) {
        return new Rule(Pattern.compile(path + "/?"), access);
    }

    /** What a request to {@code path} must show. */
    public Access required(String path) {
        Objects.requireNonNull(path, "path");
        for (Rule rule : rules) {
            if (rule.path().matcher(path).matches()) {
                return rule.access();
            }
        }
        return Access.ADMIN;
    }
}
