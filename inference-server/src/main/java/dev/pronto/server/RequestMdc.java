package dev.pronto.server;

import java.util.Map;
import java.util.concurrent.Callable;

import org.slf4j.MDC;

import io.javalin.http.Context;

/**
 * Puts the request id and the trace id in the logging MDC of every line a request causes: set
 * before the handlers on the request's thread, carried to the scoring threads with the work, and
 * removed once the access log line is written.
 *
 * <p>The MDC is per thread: a Jetty thread serves one request at a time, so what {@link #open} sets
 * is the current request's until {@link #close}; a request that skipped {@code close} (a thread
 * killed mid-request) is overwritten by the next {@code open} on that thread.
 */
final class RequestMdc {

    /** MDC key of the request id; the JSON log field and the {@code %X{requestId}} of a user's pattern. */
    static final String REQUEST_ID = "requestId";
    /** MDC key of the incoming W3C trace id, absent when the request carried none. */
    static final String TRACE_ID = "traceId";

    private RequestMdc() {
    }

    /** Assigns the request id and trace context and puts both in this thread's MDC. */
    static void open(Context ctx) {
        MDC.put(REQUEST_ID, RequestIds.assign(ctx));
        String traceId = TraceContext.assignId(ctx);
        if (traceId != null) {
            MDC.put(TRACE_ID, traceId);
        } else {
            MDC.remove(TRACE_ID);
        }
    }

    /** Removes what {@link #open} put, so that lines the thread logs between requests carry no stale ids. */
    static void close() {
        MDC.remove(REQUEST_ID);
        MDC.remove(TRACE_ID);
    }

    /**
     * The work, run with the calling thread's MDC and with the runner's own restored afterwards, so
     * that a model load on a scoring thread logs with the request's ids.
     */
    static <T> Callable<T> carry(Callable<T> work) {
        Map<String, String> context = MDC.getCopyOfContextMap();
        if (context == null || context.isEmpty()) {
            return work;
        }
        return () -> {
            Map<String, String> previous = MDC.getCopyOfContextMap();
            MDC.setContextMap(context);
            try {
                return work.call();
            } finally {
                if (previous == null) {
                    MDC.clear();
                } else {
                    MDC.setContextMap(previous);
                }
            }
        };
    }
}
