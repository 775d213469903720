package dev.pronto.server;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
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

    /**
     * Takes or makes the request's id and sets the response header.
     *
     * @return the id
     */
    static String assign(Context ctx) {
        String given = ctx.header(HEADER);
        String id = given != null && SANE.matcher(given).matches() ? given : newId();
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
        return id;
    }

    /**
     * A random (version 4) UUID. An id must be unique, not unguessable, so it comes from
     * {@link ThreadLocalRandom} rather than {@link UUID#randomUUID()}'s {@code SecureRandom}, which
     * costs more and is shared by every request thread.
     */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong() & ~0xF000L | 0x4000L;
        long low = random.nextLong() & ~0xC000000000000000L | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    /** The id assigned to this request. */
    static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        return id == null ? "-" : id;
    }
}
