package dev.pronto.server;

import java.io.IOException;
import java.io.InputStream;

import io.javalin.http.Context;

/**
 * Reads and discards the rest of a refused request body after the response is sent, before the
 * connection closes (RFC 9112 §9.6). Closing at once, with body bytes still arriving, makes the
 * kernel reset the connection: clients that send the whole body before reading the answer (Python's
 * urllib and requests, curl without {@code Expect}) then see a broken pipe instead of the 413.
 */
final class LingeringClose {

    /** Bounds on the discarding: a client sending more or for longer gets the reset after all. */
    static final long MAX_DRAINED_BYTES = 256L * 1024 * 1024;
    static final long MAX_DRAIN_NANOS = 10_000_000_000L;

    private LingeringClose() {
    }

    /** Flushes the response written so far, then reads the request body to its end, within the bounds. */
    static void drain(Context ctx) throws IOException {
        ctx.res().flushBuffer();
        long deadline = System.nanoTime() + MAX_DRAIN_NANOS;
        byte[] buffer = new byte[64 * 1024];
        long drained = 0;
        try {
            InputStream body = ctx.req().getInputStream();
            for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                drained += n;
                if (drained > MAX_DRAINED_BYTES || System.nanoTime() - deadline > 0) {
                    return;
                }
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away or the body was already consumed: nothing left to drain
        }
    }
}
