package dev.pronto.server;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.javalin.http.Context;

/**
 * The W3C trace context a request arrived with ({@code traceparent}, {@code tracestate}), so that its
 * trace id can be echoed to the client and put on every log line the request causes.
 *
 * <p>Pronto makes no spans itself: the OpenTelemetry Java agent, when attached, reads the same headers
 * and creates the server span (docs/observability.md). Without the agent a request that carries no
 * valid {@code traceparent} simply has no trace id; the request id still correlates its lines.
 *
 * @param traceId 32 lowercase hex digits, not all zero
 * @param parentId the caller's span id, 16 lowercase hex digits, not all zero
 * @param flags the trace flags, two hex digits ({@code 01} = sampled)
 * @param state the {@code tracestate} header as received, or empty when absent or unusable
 */
record TraceContext(String traceId, String parentId, String flags, String state) {

    static final String TRACEPARENT = "traceparent";
    static final String TRACESTATE = "tracestate";
    /** The response header that echoes the trace id. */
    static final String HEADER = "X-Trace-Id";
    private static final String ATTRIBUTE = "pronto.traceContext";
    /**
     * Version 00's layout; a higher version may append fields after the flags, which the spec says to
     * ignore, and version ff is invalid.
     */
    private static final Pattern TRACEPARENT_FORMAT =
            Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_SPAN = "0".repeat(16);
    /** The spec's limit for one {@code tracestate} header (32 members); longer is dropped, not truncated. */
    private static final int MAX_STATE = 512;
    /** Printable ASCII only: what reaches the logs must not be able to forge a line. */
    private static final Pattern STATE_FORMAT = Pattern.compile("[\\x20-\\x7e]*");

    /**
     * Reads the headers as the W3C Trace Context recommendation says: an invalid {@code traceparent}
     * is ignored together with its {@code tracestate}.
     *
     * @param traceparent the header, or {@code null}
     * @param tracestate the header, or {@code null}
     * @return the context, or empty when {@code traceparent} is absent or invalid
     */
    static Optional<TraceContext> parse(String traceparent, String tracestate) {
        if (traceparent == null) {
            return Optional.empty();
        }
        Matcher m = TRACEPARENT_FORMAT.matcher(traceparent.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        String version = m.group(1);
        boolean unknownVersionTail = m.group(5) != null && version.equals("00");
        if (version.equals("ff") || unknownVersionTail || m.group(2).equals(ZERO_TRACE) || m.group(3).equals(ZERO_SPAN)) {
            return Optional.empty();
        }
        String state = tracestate == null || tracestate.length() > MAX_STATE || !STATE_FORMAT.matcher(tracestate).matches()
                ? "" : tracestate.trim();
        return Optional.of(new TraceContext(m.group(2), m.group(3), m.group(4), state));
    }

    /**
     * Reads the request's headers, remembers the context on the request and echoes its trace id.
     *
     * @return the trace id, or {@code null} when the request carried no valid {@code traceparent}
     */
    static String assignId(Context ctx) {
        String traceparent = ctx.header(TRACEPARENT);
        if (traceparent == null) {
            // most requests: no tracestate to read, no Optional to make
            return null;
        }
        Optional<TraceContext> trace = parse(traceparent, ctx.header(TRACESTATE));
        if (trace.isEmpty()) {
            return null;
        }
        ctx.attribute(ATTRIBUTE, trace.get());
        ctx.header(HEADER, trace.get().traceId());
        return trace.get().traceId();
    }

    /** The trace id the request arrived with, or {@code null}. */
    static String idOf(Context ctx) {
        TraceContext trace = ctx.attribute(ATTRIBUTE);
        return trace == null ? null : trace.traceId();
    }
}
