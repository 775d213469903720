package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;

/** The log writer behind every channel: nothing lost, order kept per thread, levels per channel. */
class BatchingAppenderTest {

    private final LoggerContext context = new LoggerContext();

    @BeforeEach
    void startContext() {
        // what logback's own initialisation gives the context behind LoggerFactory
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.start();
    }

    @AfterEach
    void stopContext() {
        context.stop();
    }

    @Test
    void linesFromManyThreadsAreAllWrittenInEachThreadsOrder() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BatchingAppender batching = start(List.of(channel(out, Level.INFO)));
        Logger logger = logger(batching);
        int threads = 8;
        int lines = 5_000;
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers.add(new Thread(() -> {
                for (int i = 0; i < lines; i++) {
                    logger.info("t{} n{}", id, i);
                }
            }));
        }
        workers.forEach(Thread::start);
        for (Thread worker : workers) {
            worker.join();
        }

        assertThat(batching.flush(30, TimeUnit.SECONDS)).isTrue();
        String[] written = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(written).hasSize(threads * lines);
        int[] next = new int[threads];
        for (String line : written) {
            String[] parts = line.split(" ");
            int thread = Integer.parseInt(parts[0].substring(1));
            assertThat(Integer.parseInt(parts[1].substring(1))).as(line).isEqualTo(next[thread]);
            next[thread]++;
        }
    }

    @Test
    void eachChannelKeepsItsOwnLevel() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        BatchingAppender batching = start(List.of(channel(console, Level.WARN), channel(file, Level.DEBUG)));
        Logger logger = logger(batching);
        logger.debug("details");
        logger.warn("trouble");

        assertThat(batching.flush(30, TimeUnit.SECONDS)).isTrue();
        assertThat(console.toString(StandardCharsets.UTF_8)).isEqualTo("trouble\n");
        assertThat(file.toString(StandardCharsets.UTF_8)).isEqualTo("details\ntrouble\n");
    }

    @Test
    void stopWritesWhatIsStillQueued() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BatchingAppender batching = start(List.of(channel(out, Level.INFO)));
        Logger logger = logger(batching);
        for (int i = 0; i < 1_000; i++) {
            logger.info("line {}", i);
        }
        batching.stop();

        assertThat(out.toString(StandardCharsets.UTF_8).split("\n")).hasSize(1_000).endsWith("line 999");
    }

    @Test
    void aFullQueueMakesTheLoggingThreadWaitInsteadOfDroppingLines() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        // a channel whose disk is stuck: the writer blocks in the first flush until released
        OutputStream stuck = new OutputStream() {
            @Override
            public void write(int b) {
                written.write(b);
            }

            @Override
            public void flush() throws IOException {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
        };
        BatchingAppender batching = start(List.of(channel(stuck, Level.INFO)));
        Logger logger = logger(batching);
        int total = BatchingAppender.CAPACITY + 500;
        long[] maxPending = new long[1];
        Thread producer = new Thread(() -> {
            for (int i = 0; i < total; i++) {
                logger.info("line {}", i);
                maxPending[0] = Math.max(maxPending[0], batching.pending());
            }
        });
        producer.start();
        // the producer cannot finish while nothing can be written: it waits once the queue is full
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (batching.pending() < BatchingAppender.CAPACITY && producer.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(batching.pending()).isEqualTo(BatchingAppender.CAPACITY);
        assertThat(producer.isAlive()).as("the producer waits for room").isTrue();
        release.countDown();
        producer.join();

        assertThat(batching.flush(30, TimeUnit.SECONDS)).isTrue();
        assertThat(maxPending[0]).isLessThanOrEqualTo(BatchingAppender.CAPACITY);
        assertThat(written.toString(StandardCharsets.UTF_8).split("\n")).hasSize(total).endsWith("line " + (total - 1));
    }

    private BatchingAppender start(List<OutputStreamAppender<ILoggingEvent>> channels) {
        BatchingAppender batching = new BatchingAppender(channels);
        batching.setContext(context);
        batching.start();
        return batching;
    }

    private Logger logger(BatchingAppender batching) {
        Logger logger = context.getLogger("test");
        logger.setLevel(Level.DEBUG);
        logger.setAdditive(false);
        logger.addAppender(batching);
        return logger;
    }

    private OutputStreamAppender<ILoggingEvent> channel(OutputStream out, Level level) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.start();
        ThresholdFilter filter = new ThresholdFilter();
        filter.setContext(context);
        filter.setLevel(level.toString());
        filter.start();
        OutputStreamAppender<ILoggingEvent> channel = new OutputStreamAppender<>();
        channel.setContext(context);
        channel.setEncoder(encoder);
        channel.setImmediateFlush(false);
        channel.setOutputStream(out);
        channel.addFilter(filter);
        channel.start();
        return channel;
    }
}
