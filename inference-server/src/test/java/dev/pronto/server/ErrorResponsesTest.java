package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;


/**
 * Every error status of {@code docs/http-api.md}, provoked over a real socket: the JSON error body
 * names code, field and record, never a stack trace, class name or server path, and the server keeps
 * serving afterwards.
 */
class ErrorResponsesTest {

    private static final long MAX_BODY = 4096;
    private static final int MAX_RECORDS = 5;

    @TempDir
    static Path root;
    private static TestServer server;

    @BeforeAll
    static void start() {
        TestServer.copy(TestServer.IRIS, root, "iris/model.pmml");
        TestServer.write(InvocationsTest.corpusCase("sklearn-DecisionTreeAudit").model(), root, "audit/model.pmml");
        TestServer.write("<PMML>not a model</PMML>".getBytes(StandardCharsets.UTF_8), root, "broken/model.pmml");
        server = TestServer.overFolder(root, ServerSettings.defaults().withLimits(MAX_BODY, MAX_RECORDS, Duration.ofSeconds(30)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void serverKeepsServing() {
        assertThat(server.post("/invocations", TestServer.SEED_EXAMPLE).status()).isEqualTo(200);
    }

    @Test
    void malformedJsonIs400() {
        TestServer.Response response = server.post("/invocations", "{\"payload\": [{\"sepal_length\": 5.1}");

        assertError(response, 400, "malformed_json", null, null);
        assertThat(response.error().get("message").asText()).contains("line 1").doesNotContain("Source");
    }

    @Test
    void duplicateFieldIs400() {
        assertError(server.post("/invocations", TestServer.SEED_EXAMPLE.replace("\"implementation\"",
                "\"pipelineFilename\": \"other.pmml\", \"implementation\"")), 400, "malformed_json", null, null);
    }

    @Test
    void wrongContentTypeIs415() {
        assertError(server.post("/invocations", TestServer.SEED_EXAMPLE, "text/plain"), 415, "unsupported_media_type", null, null);
        assertError(server.post("/invocations", TestServer.SEED_EXAMPLE, null), 415, "unsupported_media_type", null, null);
    }

    @Test
    void contentTypeWithCharsetIsAccepted() {
        assertThat(server.post("/invocations", TestServer.SEED_EXAMPLE, "application/json; charset=utf-8").status()).isEqualTo(200);
    }

    @Test
    void missingFieldIs400NamingIt() {
        assertError(server.post("/invocations", "{\"pipelineFilename\": \"iris/model.pmml\", \"implementation\": \"x\"}"),
                400, "missing_field", "payload", null);
        assertError(server.post("/invocations", "{\"payload\": [{}], \"implementation\": \"x\"}"),
                400, "missing_field", "pipelineFilename", null);
    }

    @Test
    void nullFieldIs400NamingIt() {
        assertError(server.post("/invocations", TestServer.SEED_EXAMPLE.replace("\"iris/model.pmml\"", "null")),
                400, "missing_field", "pipelineFilename", null);
    }

    @Test
    void unknownRequestFieldIs400NamingIt() {
        assertError(server.post("/invocations", TestServer.SEED_EXAMPLE.replace("\"implementation\"", "\"pipelineFileName\": \"x\", \"implementation\"")),
                400, "unknown_field", "pipelineFileName", null);
    }

    @Test
    void wrongTypeOfRequestFieldIs400() {
        assertError(server.post("/invocations", TestServer.SEED_EXAMPLE.replace("\"iris/model.pmml\"", "42")),
                400, "invalid_type", "pipelineFilename", null);
        assertError(server.post("/invocations", "{\"payload\": 7, \"pipelineFilename\": \"iris/model.pmml\", \"implementation\": \"x\"}"),
                400, "invalid_type", "payload", null);
    }

    @Test
    void recordThatIsNotAnObjectIs400WithItsIndex() {
        assertError(server.post("/invocations", TestServer.SEED_EXAMPLE.replace("\"payload\": [", "\"payload\": [{}, null, ")),
                400, "invalid_request", "payload", 1);
    }

    @Test
    void nestedValueInARecordIs400WithFieldAndIndex() {
        String request = "{\"payload\": [{\"sepal_length\": 1}, {\"sepal_length\": {\"cm\": 5}}], "
                + "\"pipelineFilename\": \"iris/model.pmml\", \"implementation\": \"x\"}";

        assertError(server.post("/invocations", request), 400, "invalid_type", "sepal_length", 1);
    }

    @Test
    void valueOfTheWrongTypeForTheModelIs422WithFieldAndIndex() {
        String request = TestServer.SEED_EXAMPLE.replace("\"petal_length\": 6.4", "\"petal_length\": \"long\"");

        TestServer.Response response = server.post("/invocations", request);

        assertError(response, 422, "invalid_record", "petal_length", 1);
        assertThat(response.error().get("message").asText()).contains("\"long\"");
    }

    @Test
    void unknownCategoricalValueIs422WithFieldAndIndex() {
        String request = InvocationsTest.invocation("sklearn-DecisionTreeAudit", 3, null)
                .replace("sklearn-DecisionTreeAudit/model.pmml", "audit/model.pmml");
        JsonNode first = parse(request).get("payload").get(0);
        String employment = first.get("Employment").asText();
        String bad = request.replaceFirst("\"Employment\":\"" + employment + "\"", "\"Employment\":\"Astronaut\"");

        TestServer.Response response = server.post("/invocations", bad);

        assertError(response, 422, "invalid_record", "Employment", 0);
        assertThat(response.error().get("message").asText()).contains("Astronaut");
    }

    @Test
    void missingModelIs404() {
        assertError(server.post("/invocations", TestServer.SEED_EXAMPLE.replace("iris/model.pmml", "iris/v9/model.pmml")),
                404, "model_not_found", null, null);
    }

    @Test
    void locationOutsideTheModelRootIs403() {
        TestServer.Response response = server.post("/invocations",
                TestServer.SEED_EXAMPLE.replace("iris/model.pmml", "file:///etc/passwd.pmml"));

        assertError(response, 403, "access_denied", "pipelineFilename", null);
    }

    @Test
    void unconfiguredShareIs403AndTraversalIs400() {
        assertError(server.post("/invocations", TestServer.SEED_EXAMPLE.replace("iris/model.pmml", "/nas-other/iris/model.pmml")),
                403, "access_denied", "pipelineFilename", null);
        TestServer.Response traversal = server.post("/invocations",
                TestServer.SEED_EXAMPLE.replace("iris/model.pmml", "iris/../../secret.pmml"));
        assertError(traversal, 400, "invalid_request", "pipelineFilename", null);
    }

    @Test
    void modelThatCannotBeLoadedIs422() {
        TestServer.Response response = server.post("/invocations",
                TestServer.SEED_EXAMPLE.replace("iris/model.pmml", "broken/model.pmml"));

        assertError(response, 422, "invalid_model", null, null);
    }

    @Test
    void bodyOverTheLimitIs413WhetherItsLengthIsDeclaredOrNot() {
        String large = TestServer.SEED_EXAMPLE.replace("\"Logistic Regression\"", "\"" + "x".repeat((int) MAX_BODY) + "\"");

        assertError(server.post("/invocations", large), 413, "body_too_large", null, null);
        assertError(server.postChunked("/invocations", new ByteArrayInputStream(large.getBytes(StandardCharsets.UTF_8))),
                413, "body_too_large", null, null);
    }

    @Test
    void moreRecordsThanTheLimitIs413() {
        StringBuilder records = new StringBuilder();
        for (int i = 0; i <= MAX_RECORDS; i++) {
            records.append(i == 0 ? "" : ",").append("{\"sepal_length\": 1}");
        }
        String request = "{\"payload\": [" + records + "], \"pipelineFilename\": \"iris/model.pmml\", \"implementation\": \"x\"}";

        assertError(server.post("/invocations", request), 413, "too_many_records", "payload", null);
    }

    @Test
    void recordsUpToTheLimitAreScored() {
        StringBuilder records = new StringBuilder();
        for (int i = 0; i < MAX_RECORDS; i++) {
            records.append(i == 0 ? "" : ",").append("{\"sepal_length\": 5.1, \"sepal_width\": 3.5, \"petal_length\": 1.4, \"petal_width\": 0.2}");
        }
        String request = "{\"payload\": [" + records + "], \"pipelineFilename\": \"iris/model.pmml\", \"implementation\": \"x\"}";

        TestServer.Response response = server.post("/invocations", request);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("predictions")).hasSize(MAX_RECORDS);
    }

    @Test
    void unknownRouteIs404AndWrongMethodIs405AsJson() {
        assertError(server.get("/predict"), 404, "not_found", null, null);
        assertError(server.get("/invocations"), 405, "method_not_allowed", null, null);
        assertError(server.send(HttpRequest.newBuilder(server.base.resolve("/ping")).DELETE()), 405, "method_not_allowed", null, null);
    }

    @Test
    void requestsRefusedByJettyGetJsonErrorsToo() {
        String badUri = server.raw("GET /%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        TestServer.Response hugeHeader = server.send(HttpRequest.newBuilder(server.base.resolve("/ping"))
                .header("X-Padding", "a".repeat(64 * 1024)).GET());

        assertThat(badUri).startsWith("HTTP/1.1 400").contains("Content-Type: application/json")
                .contains("\"code\":\"http_400\"").doesNotContain("<html");
        assertThat(hugeHeader.status()).isEqualTo(431);
        assertThat(hugeHeader.error().get("code").asText()).isEqualTo("http_431");
        assertThat(hugeHeader.error().get("requestId").asText()).isEqualTo(hugeHeader.header("X-Request-Id"));
    }

    @Test
    void unknownModelNameIs404() {
        assertError(server.get("/models/nothing"), 404, "model_not_found", null, null);
    }

    /** The shared checks, plus: the server's model folder never shows. */
    private static void assertError(TestServer.Response response, int status, String code, String field, Integer record) {
        TestServer.assertError(response, status, code, field, record);
        assertThat(response.body()).doesNotContain(root.toString());
    }

    private static JsonNode parse(String json) {
        try {
            return ServerApp.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
