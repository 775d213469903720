package dev.pronto.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Locale;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelLocation;
import dev.pronto.server.security.EdgeRefusal;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;

/**
 * The one place where failures become HTTP responses. Every error body has the form
 * {@code {"error": {"code", "message", "field", "record", "requestId"}}}, with {@code null} for a
 * part that does not apply, and {@code "traceId"} after the request id when the request carried a valid
 * W3C {@code traceparent}; under {@code /v1/} and {@code /v2/} it is the protocols' own
 * {@code {"error": "<message>"}}, with the same status (the request id is in the header). Messages come from {@link InferenceException} and {@link ApiException},
 * whose messages are written for clients; anything else is our defect, answered 500 with a generic
 * message and logged with its stack trace, so no class name, path or trace ever reaches a client.
 *
 * <table>
 *   <caption>Engine categories</caption>
 *   <tr><th>category</th><th>status</th><th>code</th></tr>
 *   <tr><td>INVALID_REQUEST</td><td>400</td><td>invalid_request</td></tr>
 *   <tr><td>ACCESS_DENIED</td><td>403</td><td>access_denied</td></tr>
 *   <tr><td>NOT_FOUND</td><td>404</td><td>model_not_found</td></tr>
 *   <tr><td>INVALID_RECORD</td><td>422</td><td>invalid_record</td></tr>
 *   <tr><td>INVALID_MODEL</td><td>422</td><td>invalid_model</td></tr>
 *   <tr><td>UNAVAILABLE</td><td>503</td><td>storage_unavailable</td></tr>
 *   <tr><td>CONFIGURATION, INTERNAL</td><td>500</td><td>internal_error</td></tr>
 * </table>
 *
 * <p>Requests that Jetty refuses before they reach the app (a malformed request line or URI, headers
 * too large) get the same body from {@link JettyErrors}, with code {@code http_<status>}.
 */
final class HttpErrors {

    private static final Logger log = LoggerFactory.getLogger(HttpErrors.class);
    /** The access log, for the responses of the HTTP layer that the app's request logger never sees. */
    static final Logger ACCESS_LOG = LoggerFactory.getLogger("dev.pronto.server.access");
    /** The wire name of what the engine calls {@link ModelLocation#FIELD}: the seed's request field. */
    static final String LOCATION_FIELD = "pipelineFilename";

    private HttpErrors() {
    }

    /** Registers the exception handlers on the app's routes. */
    static void register(RoutesConfig routes, ObjectMapper json) {
        routes.exception(ApiException.class, (e, ctx) ->
                write(ctx, json, e.status(), e.code(), e.getMessage(), e.field(), e.record()));
        routes.exception(InferenceException.class, (e, ctx) -> writeEngineError(ctx, json, e));
        routes.exception(EdgeRefusal.class, (e, ctx) -> write(ctx, json, e.status(), e.code(), e.getMessage(), null, -1));
        routes.exception(HttpResponseException.class, (e, ctx) -> writeJavalinError(ctx, json, e));
        routes.exception(Exception.class, (e, ctx) -> {
            log.error("request {} {} (id {}) failed", ctx.method(), ctx.path(), RequestIds.of(ctx), e);
            write(ctx, json, 500, "internal_error", "the server failed to handle the request; the request id "
                    + "finds the details in the server log", null, -1);
        });
    }

    /**
     * An {@link Error} thrown while handling a request, carried to the exception handlers (which take
     * only {@link Exception}s) so that it too ends as the documented 500 with a request id, logged once.
     */
    static final class InternalFailure extends RuntimeException {

        /** Frames kept of a stack overflow's trace: the rest repeat them, a thousand lines of log for nothing. */
        private static final int KEPT_FRAMES = 40;

        InternalFailure(Error cause) {
            super("request failed with " + cause.getClass().getName(), trimmed(cause), false, false);
        }

        private static Error trimmed(Error cause) {
            StackTraceElement[] trace = cause.getStackTrace();
            if (cause instanceof StackOverflowError && trace.length > KEPT_FRAMES) {
                cause.setStackTrace(java.util.Arrays.copyOf(trace, KEPT_FRAMES));
            }
            return cause;
        }
    }

    /**
     * Runs a handler, turning an {@link Error} into an {@link InternalFailure}: a handler must never
     * end in Jetty's empty 500, without code or request id.
     */
    static io.javalin.http.Handler guarded(io.javalin.http.Handler handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (Error e) {
                throw new InternalFailure(e);
            }
        };
    }

    private static void writeEngineError(Context ctx, ObjectMapper json, InferenceException e) {
        ErrorCategory category = e.category();
        int status = switch (category) {
            case INVALID_REQUEST -> 400;
            case ACCESS_DENIED -> 403;
            case NOT_FOUND -> 404;
            case INVALID_RECORD, INVALID_MODEL -> 422;
            case UNAVAILABLE -> 503;
            case CONFIGURATION, INTERNAL -> 500;
        };
        String code = switch (category) {
            case NOT_FOUND -> "model_not_found";
            case UNAVAILABLE -> "storage_unavailable";
            case CONFIGURATION, INTERNAL -> "internal_error";
            default -> category.name().toLowerCase(Locale.ROOT);
        };
        String message = e.getMessage();
        if (status == 500) {
            log.error("request {} {} (id {}) failed", ctx.method(), ctx.path(), RequestIds.of(ctx), e);
            message = "the server failed to handle the request; the request id finds the details in the server log";
        } else if (category == ErrorCategory.INVALID_MODEL || category == ErrorCategory.UNAVAILABLE || refusedByStore(e)) {
            // the operator has to act on these: keep the cause in the log, the client gets the message
            log.warn("request id {}: {}", RequestIds.of(ctx), message, e.getCause());
        }
        String field = e.field().map(name -> name.equals(ModelLocation.FIELD) ? LOCATION_FIELD : name).orElse(null);
        write(ctx, json, status, code, message, field, e.record().orElse(-1));
    }

    /**
     * Whether an access denial came from the store (an S3 or Azure 403: credentials or policy, for the
     * operator to fix), rather than from the allowed locations refusing what a client asked for.
     */
    private static boolean refusedByStore(InferenceException e) {
        return e.category() == ErrorCategory.ACCESS_DENIED && e.getCause() != null && e.getCause().getCause() != null;
    }

    private static void writeJavalinError(Context ctx, ObjectMapper json, HttpResponseException e) {
        int status = e.getStatus();
        switch (status) {
            case 404 -> write(ctx, json, 404, "not_found", "no endpoint " + ctx.method() + " " + ctx.path(), null, -1);
            case 405 -> write(ctx, json, 405, "method_not_allowed", "endpoint " + ctx.path() + " does not accept "
                    + ctx.method(), null, -1);
            case 413 -> write(ctx, json, 413, "body_too_large", "the request body is too large", null, -1);
            default -> write(ctx, json, status, "http_" + status, e.getMessage(), null, -1);
        }
    }

    /** Writes an error body with the status; {@code record < 0} means none. */
    static void write(Context ctx, ObjectMapper json, int status, String code, String message, String field, int record) {
        ctx.status(status).contentType("application/json");
        if (status == 503) {
            // every 503 is temporary: storage down, a slow load still running, a full queue
            ctx.header("Retry-After", "5");
        }
        boolean unreadBody = status == 413 || status == 408;
        if (unreadBody) {
            // the rest of the body is not read, so the connection cannot carry another request
            ctx.header("Connection", "close");
        }
        try {
            if (isProtocolPath(ctx.path())) {
                // KServe V1 and the Open Inference Protocol define errors as {"error": "<message>"}; their clients
                // read that, so the same status and message go out in that shape
                json.writeValue(ctx.outputStream(), java.util.Map.of("error", message));
                return;
            }
            writeBody(ctx.outputStream(), json, code, message, field, record, RequestIds.of(ctx), TraceContext.idOf(ctx));
            if (status == 413) {
                LingeringClose.drain(ctx);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing the error response failed", e);
        }
    }

    /** Paths of KServe V1 and of the Open Inference Protocol (V2), whose errors have their own shape. */
    static boolean isProtocolPath(String path) {
        return path.equals("/v2") || path.startsWith("/v2/") || path.startsWith("/v1/");
    }

    private static void writeBody(java.io.OutputStream body, ObjectMapper json, String code, String message, String field,
            int record, String requestId, String traceId) throws IOException {
        try (JsonGenerator out = json.createGenerator(body)) {
            out.writeStartObject();
            out.writeObjectFieldStart("error");
            out.writeStringField("code", code);
            out.writeStringField("message", message);
            out.writeStringField("field", field);
            if (record >= 0) {
                out.writeNumberField("record", record);
            } else {
                out.writeNullField("record");
            }
            out.writeStringField("requestId", requestId);
            if (traceId != null) {
                // only when the request carried a valid traceparent: most clients send none
                out.writeStringField("traceId", traceId);
            }
            out.writeEndObject();
            out.writeEndObject();
        }
    }

    /** Jetty's own error responses as JSON error bodies, instead of its HTML pages. */
    static final class JettyErrors extends ErrorHandler {

        private final ObjectMapper json;

        JettyErrors(ObjectMapper json) {
            this.json = json;
        }

        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                Callback callback) throws IOException {
            // Jetty's message can describe the rejected input in detail; the standard reason is enough
            String requestId = RequestIds.newId();
            ByteArrayOutputStream body = new ByteArrayOutputStream(256);
            writeBody(body, json, "http_" + code, "the request was refused by the HTTP layer: " + HttpStatus.getMessage(code),
                    null, -1, requestId, null);
            response.setStatus(code);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(RequestIds.HEADER, requestId);
            response.write(true, ByteBuffer.wrap(body.toByteArray()), callback);
            // these never reach the app, whose request logger writes the access line of every other response
            if (ACCESS_LOG.isInfoEnabled()) {
                String method = request.getMethod();
                String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
                long nanos = System.nanoTime() - request.getBeginNanoTime();
                ACCESS_LOG.info("{} {} {} {} ms id={}", method == null || method.isEmpty() ? "-" : method,
                        path == null || path.isEmpty() ? "-" : path, code, AccessLog.tenths(nanos / 1e6f), requestId);
            }
        }
    }
}
