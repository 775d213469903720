package dev.pronto.server.security;

/**
 * A request refused at the edge (no or a wrong token, a CORS preflight from an origin not allowed),
 * before it reaches a handler. The server's error mapper writes it as its usual JSON error body;
 * headers the answer needs ({@code WWW-Authenticate}) are already on the response. Messages are
 * written for clients and never contain the token.
 */
public final class EdgeRefusal extends RuntimeException {

    private final int status;
    private final String code;

    EdgeRefusal(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    /** The HTTP status: 401 or 403. */
    public int status() {
        return status;
    }

    /** The error code of the JSON body, such as {@code unauthorized}. */
    public String code() {
        return code;
    }
}
