package dev.pronto.server;

import java.util.List;
import java.util.Set;

import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;
import org.slf4j.event.KeyValuePair;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.javalin.http.Context;

/**
 * One access log line per request, on the logger {@code dev.pronto.server.access}:
 * {@code POST /invocations 200 3.1 ms id=<request id>}, with the method, path, status and duration
 * also as key-value pairs for the JSON format. Probe requests carry the {@link #PROBE} marker, which
 * {@code [Logs] access_log_probes = false} (or a user's logback configuration) filters out.
 *
 * <p>The line is written as a logback event made here, not through SLF4J's fluent API: that API
 * builds its own event, a list of arguments and then logback's event from it, and logback formats
 * the message from a pattern and five arguments; for a line written on every request that was twice
 * the cost of the plain {@code Logger.info} it replaced (the HTTP profile in docs/performance.md).
 * The event goes through the same checks as any other (level, turbo filters with the marker) and to
 * the same appenders. The server binds logback, so the logger is logback's.
 */
final class AccessLog {

    /** The logger's name, for a user's logback configuration. */
    static final String LOGGER = "dev.pronto.server.access";
    /** Marks the lines of {@link #PROBES}; its name is what a logback {@code MarkerFilter} matches. */
    static final Marker PROBE = MarkerFactory.getMarker("PROBE");
    /** The paths that orchestrators poll every few seconds; they say nothing about traffic. */
    static final Set<String> PROBES = Set.of("/ping", "/health/live", "/health/ready");

    /** Logback's caller data skips frames up to this class, as it would up to SLF4J's logger. */
    private static final String FQCN = AccessLog.class.getName();
    private static final Logger log = (Logger) LoggerFactory.getLogger(LOGGER);

    private AccessLog() {
    }

    /** Writes the request's line, then clears its ids from the thread's MDC: it is the last line the request causes. */
    static void write(Context ctx, float millis) {
        try {
            String path = ctx.path();
            boolean probe = PROBES.contains(path);
            if (probe ? log.isInfoEnabled(PROBE) : log.isInfoEnabled()) {
                String method = ctx.method().name();
                int status = ctx.statusCode();
                String duration = tenths(millis);
                String line = new StringBuilder(64 + path.length()).append(method).append(' ').append(path).append(' ')
                        .append(status).append(' ').append(duration).append(" ms id=").append(RequestIds.of(ctx)).toString();
                LoggingEvent event = new LoggingEvent(FQCN, log, Level.INFO, line, null, null);
                event.setKeyValuePairs(List.of(new KeyValuePair("method", method), new KeyValuePair("path", path),
                        new KeyValuePair("status", status), new KeyValuePair("durationMs", duration)));
                if (probe) {
                    event.addMarker(PROBE);
                }
                log.callAppenders(event);
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
