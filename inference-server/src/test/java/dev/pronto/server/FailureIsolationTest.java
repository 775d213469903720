package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.pmml.PmmlPipelineProvider;
import dev.pronto.inference.testing.InMemoryStorageProvider;

/**
 * Issue 13 findings 3 and 5 over real sockets: an {@link Error} ends as a documented JSON error
 * with a request id, a model that breaks the parser is an invalid model (remembered, not parsed
 * again by every request), and a model too large or too slow to parse stops at the configured limits.
 */
class FailureIsolationTest {

    @TempDir
    Path root;

    /** Finding 3: 100,000 nested {@code <Node>}s overflowed the parser's stack: an empty 500, parsed again every time. */
    @Test
    void deeplyNestedModelIs422AndRemembered() {
        TestServer.write(nestedTree(100_000), root, "deep/model.pmml");
        try (TestServer server = TestServer.overFolder(root, ServerSettings.defaults())) {
            TestServer.Response first = server.post("/invocations", request("deep/model.pmml"));
            TestServer.assertError(first, 422, "invalid_model", null, null);
            assertThat(first.error().get("message").asText()).contains("nested more than 1000 levels", "pipeline.pmml.max-depth");

            TestServer.Response again = server.post("/invocations", request("deep/model.pmml"));
            TestServer.assertError(again, 422, "invalid_model", null, null);
            assertThat(again.error().get("message").asText()).contains("remembered");
        }
    }

    /** Finding 3 with the depth limit lifted: the stack does overflow, and the load is still an invalid model. */
    @Test
    void stackOverflowWhileLoadingIs422() {
        TestServer.write(nestedTree(100_000), root, "deep/model.pmml");
        try (TestServer server = TestServer.overFolder(root, ServerSettings.defaults(),
                Map.of("pipeline.pmml.max-depth", "100000"))) {
            TestServer.Response response = server.post("/invocations", request("deep/model.pmml"));
            TestServer.assertError(response, 422, "invalid_model", null, null);
            assertThat(response.error().get("message").asText()).contains("cannot be loaded");
            assertThat(server.post("/invocations", TestServer.SEED_EXAMPLE.replace("iris/model.pmml", "missing.pmml"))
                    .status()).isEqualTo(404);
        }
    }

    /** Any Throwable in a handler is the documented 500 with the request id, logged once with that id. */
    @Test
    void errorWhileScoringIs500WithRequestIdLoggedOnce() {
        InMemoryStorageProvider storage = new InMemoryStorageProvider();
        storage.put("broken/model.err", new byte[] {1});
        ListAppender<ILoggingEvent> log = capture(HttpErrors.class.getName());
        try (InferenceEngine engine = InferenceEngine.builder().discoverProviders(false).storageProvider(storage)
                .pipelineProvider(new PmmlPipelineProvider()).pipelineProvider(new FailingPipelineProvider("err", () -> {
                    throw new StackOverflowError();
                })).build();
                TestServer server = TestServer.start(engine, ServerSettings.defaults())) {
            TestServer.Response response = server.post("/invocations",
                    "{\"payload\": [{}], \"pipelineFilename\": \"broken/model.err\", \"implementation\": \"x\"}");

            TestServer.assertError(response, 500, "internal_error", null, null);
            String id = response.header("X-Request-Id");
            assertThat(log.list.stream().filter(e -> e.getFormattedMessage().contains(id))).hasSize(1);
        } finally {
            release(log, HttpErrors.class.getName());
        }
    }

    /** Finding 5: a model of millions of elements parsed for minutes; it now stops at the element limit. */
    @Test
    void modelWithTooManyElementsStopsAtTheLimit() {
        TestServer.write(flatTree(5_000), root, "large/model.pmml");
        try (TestServer server = TestServer.overFolder(root, ServerSettings.defaults(),
                Map.of("pipeline.pmml.max-elements", "1000"))) {
            TestServer.Response response = server.post("/invocations", request("large/model.pmml"));

            TestServer.assertError(response, 422, "invalid_model", null, null);
            assertThat(response.error().get("message").asText()).contains("more than 1000 XML elements");
        }
    }

    /** Finding 5: the load stops at its time limit too. */
    @Test
    void modelThatParsesTooLongStopsAtTheTimeLimit() {
        TestServer.write(flatTree(200_000), root, "slow/model.pmml");
        try (TestServer server = TestServer.overFolder(root, ServerSettings.defaults(),
                Map.of("pipeline.pmml.load-timeout", "1ms"))) {
            long started = System.nanoTime();
            TestServer.Response response = server.post("/invocations", request("slow/model.pmml"));

            TestServer.assertError(response, 422, "invalid_model", null, null);
            assertThat(response.error().get("message").asText()).contains("pipeline.pmml.load-timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        }
    }

    static String request(String location) {
        return "{\"payload\": [{\"x\": 1.0}], \"pipelineFilename\": \"" + location + "\", \"implementation\": \"x\"}";
    }

    /** A regression tree of {@code depth} nested nodes. */
    static byte[] nestedTree(int depth) {
        StringBuilder pmml = new StringBuilder(header());
        pmml.append("<Node score=\"1\"><True/>".repeat(depth)).append("</Node>".repeat(depth));
        return pmml.append("</TreeModel></PMML>").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A regression tree whose root has {@code leaves} leaves: many elements, little depth. */
    static byte[] flatTree(int leaves) {
        StringBuilder pmml = new StringBuilder(header()).append("<Node score=\"0\"><True/>");
        pmml.append("<Node score=\"1\"><False/></Node>".repeat(leaves));
        return pmml.append("</Node></TreeModel></PMML>").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String header() {
        return "<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\"><Header/><DataDictionary>"
                + "<DataField name=\"x\" optype=\"continuous\" dataType=\"double\"/>"
                + "<DataField name=\"y\" optype=\"continuous\" dataType=\"double\"/></DataDictionary>"
                + "<TreeModel functionName=\"regression\"><MiningSchema><MiningField name=\"x\"/>"
                + "<MiningField name=\"y\" usageType=\"target\"/></MiningSchema>";
    }

    static ListAppender<ILoggingEvent> capture(String loggerName) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        // server threads append while the test reads: ListAppender's ArrayList threw
        // ConcurrentModificationException in CI; a copy-on-write list gives readers a snapshot
        appender.list = new CopyOnWriteArrayList<>();
        appender.start();
        Logger logger = (Logger) LoggerFactory.getLogger(loggerName);
        // a level of its own: another test in this JVM may have turned logging off (the CLI's silence())
        logger.setLevel(ch.qos.logback.classic.Level.ALL);
        logger.addAppender(appender);
        return appender;
    }

    static void release(ListAppender<ILoggingEvent> appender, String loggerName) {
        Logger logger = (Logger) LoggerFactory.getLogger(loggerName);
        logger.detachAppender(appender);
        logger.setLevel(null);
    }
}
