package dev.pronto.server;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;

/**
 * Hands log events to one writer thread, which writes them to the channels' appenders in batches
 * and flushes once per batch.
 *
 * <p>Why: with one access line per request, a synchronous appender costs every request a lock
 * shared by all request threads and one {@code write} system call per channel; under load on two
 * cores that was a tenth of the server's CPU (docs/performance.md). Here a request thread only
 * adds the event to a lock-free queue and never wakes the writer: the writer looks at the queue
 * every {@value #PAUSE_MILLIS} ms while lines arrive (backing off to {@value #MAX_PAUSE_MILLIS} ms
 * when idle), formats what has accumulated and writes it with one flush per channel. A blocking
 * queue that wakes the writer for every event was measured too: the wake-ups cost as much as the
 * writes saved; looking every millisecond still cost twice what every five does.
 *
 * <p>Nothing is dropped: when {@value #CAPACITY} events wait, the logging thread waits for room
 * (unlike logback's {@code AsyncAppender}, which by default discards INFO events when it fills
 * up). Lines still queued when the process is killed outright are lost, as buffered lines are with
 * any appender; {@link #flush} and {@link #stop} write everything queued before them.
 *
 * <p>The channels' appenders must be started with {@code immediateFlush = false}; this appender
 * flushes them, and stops them in {@link #stop}.
 */
final class BatchingAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    static final int CAPACITY = 16_384;
    private static final long PAUSE_MILLIS = 5;
    private static final long MAX_PAUSE_MILLIS = 40;

    private final List<OutputStreamAppender<ILoggingEvent>> channels;
    private final Queue<ILoggingEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private volatile boolean ending;
    private Thread writer;

    BatchingAppender(List<OutputStreamAppender<ILoggingEvent>> channels) {
        this.channels = List.copyOf(channels);
    }

    @Override
    public void start() {
        writer = new Thread(this::writeUntilEnd, "pronto-log-writer");
        // the JVM must be able to exit without a stop(); Main flushes before it exits
        writer.setDaemon(true);
        writer.start();
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        // the thread name, formatted message and MDC must be taken on the logging thread
        event.prepareForDeferredProcessing();
        while (pending() >= CAPACITY && writer.isAlive()) {
            LockSupport.unpark(writer);
            LockSupport.parkNanos(100_000);
        }
        queued.incrementAndGet();
        queue.add(event);
    }

    /** Events queued and not yet written. */
    long pending() {
        return queued.get() - written.get();
    }

    /**
     * Waits until every event queued before this call is written and flushed, or the timeout passes.
     *
     * @return whether everything was written in time
     */
    boolean flush(long timeout, TimeUnit unit) {
        long target = queued.get();
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (written.get() < target) {
            if (System.nanoTime() > deadline || !writer.isAlive()) {
                return false;
            }
            LockSupport.unpark(writer);
            LockSupport.parkNanos(500_000);
        }
        return true;
    }

    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        ending = true;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channels.forEach(OutputStreamAppender::stop);
    }

    private void writeUntilEnd() {
        List<ILoggingEvent> batch = new ArrayList<>();
        long pauseMillis = PAUSE_MILLIS;
        while (true) {
            // read before draining, so that events added by threads racing with stop() are still written
            boolean last = ending;
            for (ILoggingEvent event = queue.poll(); event != null; event = queue.poll()) {
                batch.add(event);
            }
            if (batch.isEmpty()) {
                if (last) {
                    return;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMillis));
                pauseMillis = Math.min(pauseMillis * 2, MAX_PAUSE_MILLIS);
                continue;
            }
            writeBatch(batch);
            written.addAndGet(batch.size());
            batch.clear();
            pauseMillis = PAUSE_MILLIS;
            if (!last) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMillis));
            }
        }
    }

    private void writeBatch(List<ILoggingEvent> batch) {
        for (OutputStreamAppender<ILoggingEvent> channel : channels) {
            for (ILoggingEvent event : batch) {
                // each channel applies its own level filter; an appender reports its own write failures
                channel.doAppend(event);
            }
            OutputStream out = channel.getOutputStream();
            if (out != null) {
                try {
                    out.flush();
                } catch (IOException e) {
                    addError("cannot flush log channel " + channel.getName(), e);
                }
            }
        }
    }
}
