package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

/**
 * Trace context and request ids over a real socket: echoed to the client and present in the MDC of
 * the lines the request causes, on the request's thread and on the scoring thread that loads the model.
 */
class RequestTracingTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String TRACEPARENT = "00-" + TRACE + "-00f067aa0ba902b7-01";

    @TempDir
    Path root;
    private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing();
            events.add(event);
        }
    };
    private final List<Logger> loggers = List.of(logger(AccessLog.LOGGER), logger("dev.pronto.inference.internal.ModelLoader"));

    @BeforeEach
    void captureLogs() {
        capture.setContext(loggers.get(0).getLoggerContext());
        capture.start();
        for (Logger logger : loggers) {
            logger.setLevel(Level.INFO);
            logger.addAppender(capture);
        }
    }

    @AfterEach
    void restoreLogs() {
        for (Logger logger : loggers) {
            logger.detachAppender(capture);
            logger.setLevel(null);
        }
    }

    @Test
    void echoesTheTraceIdAndLogsItWithTheRequestIdOnEveryLineTheRequestCauses() throws Exception {
        TestServer.copy(TestServer.IRIS, root, "iris/model.pmml");
        try (TestServer server = TestServer.overFolder(root, ServerSettings.defaults())) {
            TestServer.Response answer = server.send(HttpRequest.newBuilder(server.base.resolve("/invocations"))
                    .header("Content-Type", "application/json").header("traceparent", TRACEPARENT)
                    .header("tracestate", "congo=t61rcWkgMzE").header("X-Request-Id", "req-42")
                    .POST(HttpRequest.BodyPublishers.ofString(TestServer.SEED_EXAMPLE)));

            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(answer.header("X-Trace-Id")).isEqualTo(TRACE);
            awaitEvents(2);
        }
        ILoggingEvent load = events.stream().filter(e -> e.getFormattedMessage().startsWith("loaded model")).findFirst()
                .orElseThrow();
        ILoggingEvent access = events.stream().filter(e -> e.getLoggerName().equals(AccessLog.LOGGER)).findFirst()
                .orElseThrow();
        // the first request for a model loads it on a scoring thread, not the request's own
        assertThat(load.getThreadName()).startsWith("pronto-scoring-");
        assertThat(load.getMDCPropertyMap()).containsEntry("requestId", "req-42").containsEntry("traceId", TRACE);
        assertThat(access.getMDCPropertyMap()).containsEntry("requestId", "req-42").containsEntry("traceId", TRACE);
        assertThat(access.getFormattedMessage()).startsWith("POST /invocations 200 ").endsWith(" ms id=req-42");
    }

    @Test
    void errorBodiesCarryTheTraceIdOnlyWhenTheRequestHadOne() throws Exception {
        try (TestServer server = TestServer.overFolder(root, ServerSettings.defaults())) {
            TestServer.Response traced = server.send(HttpRequest.newBuilder(server.base.resolve("/models/nope"))
                    .header("traceparent", TRACEPARENT).GET());
            TestServer.Response invalid = server.send(HttpRequest.newBuilder(server.base.resolve("/models/nope"))
                    .header("traceparent", "00-" + TRACE + "-0000000000000000-01").GET());
            TestServer.Response plain = server.get("/models/nope");

            assertThat(traced.status()).isEqualTo(404);
            assertThat(traced.error().get("traceId").asText()).isEqualTo(TRACE);
            assertThat(traced.error().get("requestId").asText()).isEqualTo(traced.header("X-Request-Id"));
            assertThat(invalid.header("X-Trace-Id")).isNull();
            TestServer.assertError(invalid, 404, "model_not_found", null, null);
            TestServer.assertError(plain, 404, "model_not_found", null, null);
        }
        // every request's ids were removed from its thread once its access line was written
        awaitEvents(3);
        assertThat(events).allSatisfy(e -> assertThat(e.getLoggerName()).isEqualTo(AccessLog.LOGGER));
        assertThat(events.get(2).getMDCPropertyMap()).doesNotContainKey("traceId");
    }

    /** The access line is written after the response is sent, so the client may see the answer first. */
    private void awaitEvents(int count) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (events.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(events).hasSizeGreaterThanOrEqualTo(count);
    }

    private static Logger logger(String name) {
        return (Logger) LoggerFactory.getLogger(name);
    }
}
