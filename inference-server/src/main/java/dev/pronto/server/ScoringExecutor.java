package dev.pronto.server;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.ModelFormat;
import dev.pronto.inference.ModelHandle;
import dev.pronto.inference.Prediction;

/**
 * Runs engine calls that may have to load a model, with the request timeout (a model already in
 * memory is scored on the request's own thread, see {@link ServerApp}). The HTTP thread waits at most the timeout and then
 * answers 503; the engine call itself is not interrupted, because an interrupt in the middle of a
 * model load would fail the load for every request waiting on it. A load that outlives its request
 * still completes and is cached for the next one.
 *
 * <p>Thread-safe. {@link #close()} lets queued work finish.
 */
final class ScoringExecutor implements AutoCloseable {

    private final ThreadPoolExecutor pool;
    private final long timeoutNanos;
    private final Duration timeout;

    ScoringExecutor(Duration timeout) {
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
        // scoring is CPU-bound and model loads mostly wait on storage: twice the cores keeps both busy
        int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        AtomicInteger counter = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(threads * 64),
                task -> {
                    Thread thread = new Thread(task, "pronto-scoring-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /**
     * Runs the call and returns its result.
     *
     * @throws ApiException 503 {@code timeout} after the request timeout, 503 {@code overloaded} when
     *     the queue is full
     * @throws RuntimeException whatever the call threw, unchanged, so its category maps to a status
     */
    <T> T call(Callable<T> work) {
        Future<T> future;
        try {
            // the request's ids go with the work, so that a load logs them on the scoring thread
            future = pool.submit(RequestMdc.carry(work));
        } catch (RejectedExecutionException e) {
            throw new ApiException(503, "overloaded", "the server has too many requests in progress; retry shortly");
        }
        try {
            return future.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new ApiException(503, "timeout", "the request took longer than the server's request timeout ("
                    + timeout.toMillis() + " ms); a model that is still loading will be ready for a retry");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("engine call failed", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(false);
            throw new ApiException(503, "unavailable", "the server is shutting down");
        }
    }

    /**
     * Scores records: on the calling thread when the model is in memory, since a hand-off to the pool
     * would cost two context switches per request and scoring is bounded by the record limit; only a
     * call that must load the model goes to the pool, which the request stops waiting for after the
     * request timeout.
     */
    List<Prediction> predict(InferenceEngine engine, String location, List<? extends Map<String, ?>> records) {
        return engine.predictIfLoaded(location, records).orElseGet(() -> call(() -> engine.predict(location, records)));
    }

    /**
     * The model at the location, as {@link #predict} finds it: from memory on the calling thread, or
     * loaded in the pool, which the request stops waiting for after the request timeout.
     */
    ModelHandle handle(InferenceEngine engine, String location) {
        return handle(engine, location, Optional.empty());
    }

    /** As {@link #handle(InferenceEngine, String)}, read as the given format when there is one. */
    ModelHandle handle(InferenceEngine engine, String location, Optional<ModelFormat> format) {
        return (format.isEmpty() ? engine.handleIfLoaded(location) : engine.handleIfLoaded(location, format.get()))
                .orElseGet(() -> call(() -> format.isEmpty() ? engine.handle(location) : engine.handle(location, format.get())));
    }

    @Override
    public void close() {
        pool.shutdown();
    }
}
