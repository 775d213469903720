package dev.pronto.server;

import java.util.UUID;
import java.util.regex.Pattern;

import io.javalin.http.Context;

/**
 * The request id: the client's {@code X-Request-Id} when it is a sane token, otherwise a new UUID;
 * returned in the response header, every error body and the access log line.
 */
final class RequestIds {

    static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = "pronto.requestId";
    /** Short, printable, no spaces: a client cannot forge log lines or bloat them through it. */
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {
    }

    /** Takes or makes the request's id and sets the response header. */
    static void assign(Context ctx) {
        String given = ctx.header(HEADER);
        String id = given != null && SANE.matcher(given).matches() ? given : UUID.randomUUID().toString();
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
    }

    /** The id assigned to this request. */
    static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        return id == null ? "-" : id;
    }
}
