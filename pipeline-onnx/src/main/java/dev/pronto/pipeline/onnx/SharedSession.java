package dev.pronto.pipeline.onnx;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;

/**
 * One {@link OrtSession} shared by every thread, counting the runs in progress so that it is closed
 * only after the last of them: closing a session during a run is a known crash of ONNX Runtime,
 * and the engine retires a model while requests may still hold it.
 *
 * <p>After {@link #retire} the session stays usable until it has been idle for the grace period,
 * because a request scoring records one by one holds no count between two records; then the next
 * {@link #acquire} fails cleanly instead of touching freed memory.
 *
 * <p>Thread-safe; acquiring and releasing take no lock.
 */
final class SharedSession {

    private static final Logger log = LoggerFactory.getLogger(SharedSession.class);
    /** The count once the session is closed: no acquire can succeed again. */
    private static final int CLOSED = Integer.MIN_VALUE;

    private final OrtSession session;
    private final String model;
    private final AtomicInteger runs = new AtomicInteger();
    private volatile boolean retired;
    private volatile long lastReleaseNanos;

    SharedSession(OrtSession session, String model) {
        this.session = session;
        this.model = model;
    }

    /**
     * Counts a run and returns the session; pair with {@link #release()}.
     *
     * @throws InferenceException {@code UNAVAILABLE} if the session was already closed
     */
    OrtSession acquire() {
        for (;;) {
            int current = runs.get();
            if (current < 0) {
                throw new InferenceException(ErrorCategory.UNAVAILABLE, "model \"" + model + "\" was unloaded while"
                        + " the request was waiting; send the request again");
            }
            if (runs.compareAndSet(current, current + 1)) {
                return session;
            }
        }
    }

    void release() {
        runs.decrementAndGet();
        if (retired) {
            lastReleaseNanos = System.nanoTime();
        }
    }

    /** Marks the session for closing once no run has used it for {@code grace}. Idempotent. */
    void retire(ScheduledExecutorService closer, Duration grace) {
        if (retired) {
            return;
        }
        lastReleaseNanos = System.nanoTime();
        retired = true;
        closeWhenIdle(closer, grace.toNanos());
    }

    boolean isClosed() {
        return runs.get() < 0;
    }

    private void closeWhenIdle(ScheduledExecutorService closer, long graceNanos) {
        long idle = System.nanoTime() - lastReleaseNanos;
        if (idle >= graceNanos && runs.compareAndSet(0, CLOSED)) {
            try {
                session.close();
            } catch (OrtException | RuntimeException e) {
                log.warn("closing the ONNX session of model {} failed", model, e);
            }
            return;
        }
        long wait = Math.max(graceNanos - idle, TimeUnit.MILLISECONDS.toNanos(10));
        closer.schedule(() -> closeWhenIdle(closer, graceNanos), wait, TimeUnit.NANOSECONDS);
    }
}
