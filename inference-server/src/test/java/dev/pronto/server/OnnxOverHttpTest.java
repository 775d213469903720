package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pronto.pipeline.onnx.testing.OnnxCorpus;

/**
 * The ONNX conformance corpus through {@code POST /invocations} on a running server, the legacy
 * Keras request included, and the mistakes a client or model owner can make with networks.
 */
class OnnxOverHttpTest {

    private static final List<OnnxCorpus.Case> CASES = OnnxCorpus.cases();

    @TempDir
    static Path root;
    private static TestServer server;

    @BeforeAll
    static void start() {
        for (OnnxCorpus.Case c : CASES) {
            for (String file : List.of("model.onnx", "preprocess.pkl", "model.h5")) {
                if (c.keras() || file.equals("model.onnx")) {
                    TestServer.write(c.file(file), root, c.name() + "/" + file);
                }
            }
        }
        TestServer.write("not a network".getBytes(), root, "broken/model.onnx");
        server = TestServer.overFolder(root, ServerSettings.defaults(), Map.of("cache.revalidate-interval", "0"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @TestFactory
    Stream<DynamicTest> everyCaseMatchesTheTrainingFrameworkOverHttp() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            JsonNode body = invoke(c, c.keras() ? c.name() + "/" + c.modelFilename() : null);
            assertThat(c.mismatches(values(body), probabilities(body))).as(c.name()).isEmpty();
        }));
    }

    @Test
    void kerasRequestAnswersLikeAPmmlClassifier() throws IOException {
        OnnxCorpus.Case c = kerasCase();

        JsonNode body = invoke(c, c.name() + "/model.onnx");

        assertThat(body.get("classes").toString()).isEqualTo("[0,1,2]");
        assertThat(body.get("predictions")).hasSize(30);
        assertThat(body.get("predictions").get(0).isInt()).isTrue();
        assertThat(body.get("predictions_prob").get(0)).hasSize(3);
    }

    @Test
    void kerasRequestWithAnH5NetworkIsRefusedWithTheWayToExportIt() throws IOException {
        TestServer.Response response = server.post("/invocations", request(kerasCase(), kerasCase().name() + "/model.h5"));

        TestServer.assertError(response, 422, "unsupported_model_format", "requestArguments.modelFilename", null);
        assertThat(response.error().get("message").asText())
                .contains("Keras .h5 file", "ONNX only", "tools/keras_to_onnx.py", "format=\"onnx\"");
    }

    @Test
    void kerasRequestWithoutANetworkIsRefused() throws IOException {
        TestServer.Response response = server.post("/invocations", request(kerasCase(), null));

        TestServer.assertError(response, 400, "missing_field", "requestArguments.modelFilename", null);
    }

    @Test
    void networkNamedOutsideAKerasRequestIsRefused() throws IOException {
        OnnxCorpus.Case c = CASES.get(0);
        Map<String, Object> request = requestMap(c, null);
        request.put("requestArguments", Map.of("modelFilename", "x.onnx"));

        TestServer.Response response = server.post("/invocations", ServerApp.MAPPER.writeValueAsString(request));

        TestServer.assertError(response, 400, "invalid_request", "requestArguments.modelFilename", null);
    }

    @Test
    void corruptNetworkIsRefusedAndTheServerGoesOn() throws IOException {
        Map<String, Object> request = requestMap(CASES.get(0), null);
        request.put("pipelineFilename", "broken/model.onnx");

        TestServer.Response response = server.post("/invocations", ServerApp.MAPPER.writeValueAsString(request));

        TestServer.assertError(response, 422, "invalid_model", null, null);
        assertThat(response.error().get("message").asText()).contains("is not an ONNX model");
        assertThat(invoke(CASES.get(0), null).get("predictions")).hasSize(30);
    }

    @Test
    void badValueIsRefusedNamingFieldAndRecord() throws IOException {
        OnnxCorpus.Case c = CASES.get(0);
        Map<String, Object> request = requestMap(c, null);
        List<Map<String, Object>> rows = new ArrayList<>(c.inputs());
        Map<String, Object> bad = new LinkedHashMap<>(rows.get(2));
        bad.put("petal_length", "long");
        rows.set(2, bad);
        request.put("payload", rows);

        TestServer.Response response = server.post("/invocations", ServerApp.MAPPER.writeValueAsString(request));

        TestServer.assertError(response, 422, "invalid_record", "petal_length", 2);
        assertThat(response.error().get("message").asText()).contains("expected a number, got \"long\"");
    }

    @Test
    void loadedNetworkIsListedWithItsSchema() throws IOException {
        OnnxCorpus.Case c = CASES.get(0);
        invoke(c, null);

        JsonNode model = server.get("/models/" + c.name() + "/model.onnx").json();

        assertThat(model.get("format").asText()).isEqualTo("onnx");
        assertThat(model.at("/schema/function").asText()).isEqualTo("classification");
        assertThat(model.at("/schema/inputs")).hasSize(4);
        assertThat(model.at("/schema/targets/0/classes").toString()).isEqualTo("[0,1,2]");
    }

    @Test
    void kerasRequestFollowsAChangedNetwork() throws IOException {
        OnnxCorpus.Case c = kerasCase();
        String folder = "keras-swap";
        TestServer.write(c.file("preprocess.pkl"), root, folder + "/preprocess.pkl");
        TestServer.write(c.file("model.onnx"), root, folder + "/model.onnx");
        Map<String, Object> request = requestMap(c, folder + "/model.onnx");
        request.put("pipelineFilename", folder + "/preprocess.pkl");
        JsonNode before = server.post("/invocations", ServerApp.MAPPER.writeValueAsString(request)).json();

        // another network over the same four columns, written in place; the next revalidation loads it
        TestServer.write(OnnxCorpus.bytes(OnnxCorpus.ROOT + "onnx-IrisTorchProbabilities/model.onnx"), root,
                folder + "/model.onnx");
        server.ownEngine.revalidate();
        JsonNode after = server.post("/invocations", ServerApp.MAPPER.writeValueAsString(request)).json();

        assertThat(before.get("predictions")).hasSize(30);
        assertThat(after.get("predictions_prob")).isNotEqualTo(before.get("predictions_prob"));
    }

    private static OnnxCorpus.Case kerasCase() {
        return CASES.stream().filter(OnnxCorpus.Case::keras).findFirst().orElseThrow();
    }

    private static JsonNode invoke(OnnxCorpus.Case c, String network) throws IOException {
        TestServer.Response response = server.post("/invocations", request(c, network));
        assertThat(response.status()).as("%s: %s", c.name(), response.body()).isEqualTo(200);
        return response.json();
    }

    private static String request(OnnxCorpus.Case c, String network) throws IOException {
        return ServerApp.MAPPER.writeValueAsString(requestMap(c, network));
    }

    private static Map<String, Object> requestMap(OnnxCorpus.Case c, String network) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("payload", c.inputs());
        request.put("pipelineFilename", c.name() + "/" + c.pipelineFilename());
        request.put("implementation", c.implementation());
        request.put("requestArguments", network == null ? null : Map.of("modelFilename", network));
        return request;
    }

    private static List<Object> values(JsonNode body) {
        List<Object> values = new ArrayList<>();
        body.get("predictions").forEach(node -> values.add(node.isTextual() ? node.asText()
                : node.isIntegralNumber() ? (Object) node.asLong() : (Object) node.asDouble()));
        return values;
    }

    private static List<List<Double>> probabilities(JsonNode body) {
        List<List<Double>> rows = new ArrayList<>();
        if (!body.has("predictions_prob")) {
            return rows;
        }
        for (JsonNode row : body.get("predictions_prob")) {
            List<Double> probabilities = new ArrayList<>();
            row.forEach(node -> probabilities.add(node.asDouble()));
            rows.add(probabilities);
        }
        return rows;
    }
}
