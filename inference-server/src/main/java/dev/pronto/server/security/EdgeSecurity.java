package dev.pronto.server.security;

import io.javalin.config.JavalinConfig;

/**
 * Installs the edge security of a {@link SecuritySettings} on a Javalin configuration: one before
 * handler for CORS and bearer tokens, and a TLS connector in place of plain HTTP. Whatever is off in
 * the settings adds nothing, so the default costs nothing per request.
 *
 * <pre>{@code
 * Javalin.create(config -> {
 *     EdgeSecurity.install(config, security);
 *     config.routes.get("/ping", ...);
 * });
 * }</pre>
 */
public final class EdgeSecurity {

    private EdgeSecurity() {
    }

    /**
     * Adds the handlers and the TLS connector. Call it before the routes are declared, after any
     * before handler that must see every request (the request id), so refusals carry it too.
     * {@link EdgeRefusal} must be mapped to an error response by the caller.
     *
     * @throws IllegalArgumentException if the TLS files cannot be used, naming the file
     */
    public static void install(JavalinConfig config, SecuritySettings settings) {
        Cors cors = settings.cors().enabled() ? new Cors(settings.cors()) : null;
        BearerAuth auth = settings.tokens().enabled() ? new BearerAuth(settings.tokens(), AccessRules.defaults()) : null;
        if (cors != null || auth != null) {
            config.routes.before(ctx -> {
                if (cors != null && cors.handle(ctx)) {
                    // a preflight is answered here: no route serves OPTIONS, and browsers send it without a token
                    ctx.skipRemainingHandlers();
                    return;
                }
                if (auth != null) {
                    auth.handle(ctx);
                }
            });
        }
        settings.tls().ifPresent(tls -> {
            TlsConnector connector = new TlsConnector(tls);
            // read at start: Javalin sets host and port when app.start(host, port) is called
            config.jetty.addConnector((server, http) -> connector.connector(server, http, config.jetty.host, config.jetty.port));
            config.events.serverStarted(connector::watch);
            config.events.serverStopped(connector::close);
        });
    }
}
