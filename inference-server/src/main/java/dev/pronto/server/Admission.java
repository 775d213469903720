package dev.pronto.server;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bound on work in flight: a request is admitted only while fewer than the configured number of
 * scoring requests, and fewer than the configured body bytes, are in progress; otherwise it is
 * refused at once with 503 and {@code Retry-After} (set by {@link HttpErrors} on every 503), before its body is read. Refusing is cheap and
 * tells a load balancer to try another replica; queueing would only hold the memory longer.
 *
 * <p>Thread-safe: counters only, no lock.
 */
final class Admission {

    private final int maxRequests;
    private final long maxBytes;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();

    /**
     * @param maxBytes the byte budget; raised to {@code maxBodyBytes} if smaller, so that a body the
     *     size limit accepts can always be admitted when the server is idle
     */
    Admission(ProtectionSettings settings, long maxBodyBytes) {
        this.maxRequests = settings.maxConcurrentInvocations();
        this.maxBytes = Math.max(settings.maxInFlightBytes(), maxBodyBytes);
    }

    /** A place taken by an admitted request; closing it gives the place back. */
    interface Ticket extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Admits a request whose body may hold up to {@code bodyBytes} bytes once decoded.
     *
     * @throws ApiException 503 {@code overloaded} when the bound would be passed
     */
    Ticket admit(long bodyBytes) {
        if (requests.incrementAndGet() > maxRequests) {
            requests.decrementAndGet();
            throw overloaded(maxRequests + " requests");
        }
        long held = bytes.addAndGet(bodyBytes);
        if (held > maxBytes) {
            bytes.addAndGet(-bodyBytes);
            requests.decrementAndGet();
            throw overloaded(maxBytes + " bytes of request bodies");
        }
        return new Ticket() {
            private boolean closed;

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    bytes.addAndGet(-bodyBytes);
                    requests.decrementAndGet();
                }
            }
        };
    }

    private static ApiException overloaded(String bound) {
        return new ApiException(503, "overloaded", "the server is scoring as much as it may at once (" + bound
                + " in progress); retry shortly");
    }
}
