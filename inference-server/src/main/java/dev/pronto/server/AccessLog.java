package dev.pronto.server;

import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

import io.javalin.http.Context;

/**
 * One access log line per request, on the logger {@code dev.pronto.server.access}:
 * {@code POST /invocations 200 3.1 ms id=<request id>}, with the method, path, status and duration
 * also as key-value pairs for the JSON format. Probe requests carry the {@link #PROBE} marker, which
 * {@code [Logs] access_log_probes = false} (or a user's logback configuration) filters out.
 */
final class AccessLog {

    /** The logger's name, for a user's logback configuration. */
    static final String LOGGER = "dev.pronto.server.access";
    /** Marks the lines of {@link #PROBES}; its name is what a logback {@code MarkerFilter} matches. */
    static final Marker PROBE = MarkerFactory.getMarker("PROBE");
    /** The paths that orchestrators poll every few seconds; they say nothing about traffic. */
    static final Set<String> PROBES = Set.of("/ping", "/health/live", "/health/ready");

    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    private AccessLog() {
    }

    /** Writes the request's line, then clears its ids from the thread's MDC: it is the last line the request causes. */
    static void write(Context ctx, float millis) {
        try {
            if (log.isInfoEnabled()) {
                String path = ctx.path();
                int status = ctx.statusCode();
                String duration = tenths(millis);
                var line = log.atInfo().addKeyValue("method", ctx.method().name()).addKeyValue("path", path)
                        .addKeyValue("status", status).addKeyValue("durationMs", duration);
                if (PROBES.contains(path)) {
                    line = line.addMarker(PROBE);
                }
                line.log("{} {} {} {} ms id={}", ctx.method(), path, status, duration, RequestIds.of(ctx));
            }
        } finally {
            RequestMdc.close();
        }
    }

    /** Milliseconds with one decimal, as {@code String.format("%.1f")} gives them, at a fraction of its cost. */
    static String tenths(float millis) {
        long tenths = Math.round(millis * 10.0);
        return tenths / 10 + "." + tenths % 10;
    }
}
