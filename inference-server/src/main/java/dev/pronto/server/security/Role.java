package dev.pronto.server.security;

/**
 * What a bearer token may do. {@link #ADMIN} includes {@link #SCORE}: an operator's token can also
 * score, so one token is enough for a smoke test.
 */
public enum Role {
    /** Scoring endpoints: {@code POST /invocations} and the other inference protocols. */
    SCORE,
    /** Model management and detailed model endpoints: {@code /models}, the repository API. */
    ADMIN;

    /** Whether a token with this role may call an endpoint that needs {@code needed}. */
    boolean covers(Role needed) {
        return this == ADMIN || needed == SCORE;
    }
}
