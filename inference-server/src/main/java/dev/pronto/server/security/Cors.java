package dev.pronto.server.security;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/**
 * Answers CORS preflights and marks responses to allowed origins, from a {@link CorsSettings}
 * allow-list. A preflight that asks for an origin, method or header not on the list is refused with
 * 403 naming what was refused; an actual request from an origin not on the list is served without
 * CORS headers, so the browser keeps the answer from the page. Runs before authentication, because
 * browsers send preflights without credentials. Thread-safe.
 */
final class Cors {

    private final CorsSettings settings;
    private final boolean anyOrigin;
    private final Set<String> headers = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    private final String allowMethods;
    private final String allowHeaders;

    Cors(CorsSettings settings) {
        this.settings = settings;
        this.anyOrigin = settings.origins().contains("*");
        this.headers.addAll(settings.headers());
        this.allowMethods = String.join(", ", settings.methods());
        this.allowHeaders = String.join(", ", settings.headers());
    }

    /**
     * Adds the CORS headers a response to this request needs.
     *
     * @return whether this was a preflight, now answered, so that nothing else must handle it
     * @throws EdgeRefusal 403 for a preflight asking for what the allow-list does not allow
     */
    boolean handle(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null) {
            return false;
        }
        // caches must keep answers for different origins apart
        ctx.header("Vary", "Origin");
        boolean allowed = anyOrigin || settings.origins().contains(origin);
        String requestedMethod = ctx.header("Access-Control-Request-Method");
        if (ctx.method() == HandlerType.OPTIONS && requestedMethod != null) {
            preflight(ctx, origin, allowed, requestedMethod);
            return true;
        }
        if (allowed) {
            ctx.header("Access-Control-Allow-Origin", origin);
            ctx.header("Access-Control-Expose-Headers", "X-Request-Id, Retry-After");
        }
        return false;
    }

    private void preflight(Context ctx, String origin, boolean allowed, String method) {
        if (!allowed) {
            throw new EdgeRefusal(403, "cors_refused", "origin \"" + origin + "\" is not allowed to call this server");
        }
        if (!settings.methods().contains(method.toUpperCase(Locale.ROOT))) {
            throw new EdgeRefusal(403, "cors_refused", "method " + method + " is not allowed from other origins; allowed: "
                    + allowMethods);
        }
        String requested = ctx.header("Access-Control-Request-Headers");
        if (requested != null) {
            for (String header : requested.split(",")) {
                String name = header.strip();
                if (!name.isEmpty() && !headers.contains(name)) {
                    throw new EdgeRefusal(403, "cors_refused", "request header \"" + name + "\" is not allowed from "
                            + "other origins; allowed: " + allowHeaders);
                }
            }
        }
        ctx.header("Access-Control-Allow-Origin", origin);
        ctx.header("Access-Control-Allow-Methods", allowMethods);
        ctx.header("Access-Control-Allow-Headers", allowHeaders);
        ctx.header("Access-Control-Max-Age", Long.toString(settings.maxAge().toSeconds()));
        ctx.status(204);
    }
}
