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
import com.fasterxml.jackson.databind.node.IntNode;

import dev.pronto.pipeline.onnx.testing.OnnxCorpus;

/**
 * V2 inference through the engine's columnar path, over a real socket: the ONNX corpus (tensors go
 * into the network's own run, with no record per row) at its tolerances, per field and as one matrix;
 * tensors of mixed datatypes; nested and flat data; and the answers and errors of {@code /invocations}
 * for the same records, ONNX and PMML alike.
 */
class OpenInferenceColumnsTest {

    private static final List<OnnxCorpus.Case> CASES = OnnxCorpus.cases().stream().filter(c -> !c.keras()).toList();
    private static final List<String> IRIS = List.of("sepal_length", "sepal_width", "petal_length", "petal_width");

    @TempDir
    static Path root;
    private static TestServer server;

    @BeforeAll
    static void start() {
        Map<String, String> models = new LinkedHashMap<>();
        for (OnnxCorpus.Case c : CASES) {
            TestServer.write(c.file("model.onnx"), root, c.name() + "/model.onnx");
            models.put(c.name(), c.name() + "/model.onnx");
        }
        for (String fixture : List.of("mixed-types", "string-labels-zipmap")) {
            TestServer.write(OnnxCorpus.bytes("/onnx/fixtures/" + fixture + ".onnx"), root, fixture + "/model.onnx");
            models.put(fixture, fixture + "/model.onnx");
        }
        TestServer.copy(TestServer.IRIS, root, "iris/model.pmml");
        models.put("iris", "iris/model.pmml");
        server = TestServer.overFolder(root, ServerSettings.defaults().withModels(models));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @TestFactory
    Stream<DynamicTest> everyOnnxCaseMatchesTheTrainingFrameworkPerFieldAndAsAMatrix() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            List<Map<String, Object>> rows = c.inputs();
            // the model's input order, which a matrix's columns follow
            List<String> fields = new ArrayList<>();
            server.get("/v2/models/" + c.name()).json().get("inputs").forEach(t -> fields.add(t.get("name").asText()));

            JsonNode perField = infer(c.name(), fieldTensors(rows, fields, "FP32"));
            JsonNode matrix = infer(c.name(), List.of(matrixTensor(rows, fields, "FP32")));

            assertThat(c.mismatches(values(perField), probabilities(perField))).as(c.name()).isEmpty();
            assertThat(matrix.get("outputs")).as(c.name()).isEqualTo(perField.get("outputs"));
            JsonNode seed = invocations(c.name() + "/model.onnx", rows);
            assertThat(perField.get("outputs").get(0).get("data")).as(c.name()).isEqualTo(seed.get("predictions"));
            if (seed.has("predictions_prob")) {
                // every classifier with probabilities answers them as one [N, C] tensor named "probabilities"
                assertThat(output(perField, "probabilities").get("shape")).as(c.name())
                        .hasSize(2).containsExactly(IntNode.valueOf(rows.size()), IntNode.valueOf(seed.get("classes").size()));
                List<List<Double>> expected = new ArrayList<>();
                seed.get("predictions_prob").forEach(row -> {
                    List<Double> each = new ArrayList<>();
                    row.forEach(p -> each.add(p.asDouble()));
                    expected.add(each);
                });
                assertThat(probabilities(perField)).as(c.name()).isEqualTo(expected);
            }
        }));
    }

    @Test
    void tensorsOfEveryKindReachAnOnnxModelAsTheirOwnColumns() throws IOException {
        List<Map<String, Object>> tensors = List.of(
                tensor("x_float", "FP32", List.of(2), List.of(1.5, 0)),
                tensor("x_double", "FP64", List.of(2), List.of(2.0, -1.25)),
                tensor("count", "INT32", List.of(2, 1), List.of(List.of(3), List.of(3))),
                tensor("color", "BYTES", List.of(2), List.of("green", "red")),
                tensor("flag", "BOOL", List.of(2), List.of(true, false)));

        JsonNode body = infer("mixed-types", tensors);

        JsonNode score = output(body, "score");
        assertThat(score.get("datatype").asText()).isEqualTo("FP64");
        assertThat(score.get("data").get(0).asDouble()).isEqualTo(1.5 + 2 * 2.0 + 3 * 3 + 20 + 100);
        assertThat(score.get("data").get(1).asDouble()).isEqualTo(0 - 2 * 1.25 + 3 * 3 + 10);
        List<Map<String, Object>> records = List.of(
                Map.of("x_float", 1.5, "x_double", 2.0, "count", 3, "color", "green", "flag", true),
                Map.of("x_float", 0, "x_double", -1.25, "count", 3, "color", "red", "flag", false));
        assertThat(score.get("data")).isEqualTo(invocations("mixed-types/model.onnx", records).get("predictions"));
    }

    @Test
    void stringLabelsAndTheirProbabilitiesKeepTheModelsClassOrder() throws IOException {
        JsonNode body = infer("string-labels-zipmap", List.of(tensor("a", "INT64", List.of(2), List.of(1, 3)),
                tensor("b", "FP64", List.of(2), List.of(2, 0))));

        JsonNode label = body.get("outputs").get(0);
        assertThat(label.get("datatype").asText()).isEqualTo("BYTES");
        assertThat(label.get("data").toString()).isEqualTo("[\"cat\",\"bird\"]");
        JsonNode probabilities = output(body, "probabilities");
        assertThat(probabilities.get("parameters").get("classes").toString()).isEqualTo("[\"bird\",\"cat\",\"dog\"]");
        JsonNode seed = invocations("string-labels-zipmap/model.onnx", List.of(Map.of("a", 1, "b", 2), Map.of("a", 3, "b", 0)));
        List<JsonNode> flat = new ArrayList<>();
        seed.get("predictions_prob").forEach(row -> row.forEach(flat::add));
        assertThat(probabilities.get("data")).containsExactlyElementsOf(flat);
    }

    @Test
    void nestedAndFlatDataGiveTheSameAnswerOnPmmlAndOnnx() throws IOException {
        OnnxCorpus.Case network = CASES.get(0);
        for (String model : List.of("iris", network.name())) {
            List<Map<String, Object>> rows = network.inputs().subList(0, 5);
            List<Map<String, Object>> flat = fieldTensors(rows, IRIS, "FP64");
            List<Map<String, Object>> nested = new ArrayList<>();
            for (Map<String, Object> tensor : flat) {
                List<Object> wrapped = new ArrayList<>();
                ((List<?>) tensor.get("data")).forEach(v -> wrapped.add(List.of(v)));
                nested.add(tensor(tensor.get("name").toString(), "FP64", List.of(rows.size(), 1), wrapped));
            }

            assertThat(infer(model, nested).get("outputs")).as(model).isEqualTo(infer(model, flat).get("outputs"));
        }
    }

    @Test
    void aMissingValueForANetworkIsAnsweredAsInvocationsAnswersIt() throws IOException {
        OnnxCorpus.Case c = CASES.get(0);
        List<Map<String, Object>> rows = new ArrayList<>(c.inputs().subList(0, 3));
        Map<String, Object> hole = new LinkedHashMap<>(rows.get(1));
        hole.put("petal_length", null);
        rows.set(1, hole);

        // a boxed column: the network reads it through the record path's conversion (a float input's null is NaN)
        JsonNode v2 = infer(c.name(), fieldTensors(rows, IRIS, "FP32"), 200).json();
        JsonNode seed = invocations(c.name() + "/model.onnx", rows);

        assertThat(v2.get("outputs").get(0).get("data")).isEqualTo(seed.get("predictions"));
        List<JsonNode> flat = new ArrayList<>();
        seed.get("predictions_prob").forEach(row -> row.forEach(flat::add));
        assertThat(output(v2, "probabilities").get("data")).containsExactlyElementsOf(flat);
    }

    @Test
    void textForANetworksNumberIsRefusedAsInvocationsRefusesIt() throws IOException {
        OnnxCorpus.Case c = CASES.get(0);
        List<Map<String, Object>> rows = new ArrayList<>(c.inputs().subList(0, 3));
        Map<String, Object> bad = new LinkedHashMap<>(rows.get(1));
        bad.put("petal_length", "long");
        rows.set(1, bad);
        List<Map<String, Object>> tensors = fieldTensors(rows, IRIS, "FP32");
        tensors.set(2, tensor("petal_length", "BYTES", List.of(3), List.of("1.4", "long", "5.0")));

        TestServer.Response response = infer(c.name(), tensors, 422);
        TestServer.Response seed = server.post("/invocations", invocationsBody(c.name() + "/model.onnx", rows));

        TestServer.assertError(seed, 422, "invalid_record", "petal_length", 1);
        assertThat(response.json().get("error").asText()).isEqualTo(seed.error().get("message").asText())
                .contains("petal_length", "\"long\"").doesNotContain("Exception", "dev.pronto", "ai.onnxruntime");
    }

    @Test
    void shapeMistakesAreRefusedNamingTheTensor() throws IOException {
        OnnxCorpus.Case c = CASES.get(0);
        List<Map<String, Object>> rows = c.inputs().subList(0, 2);
        Map<String, Object> matrix = matrixTensor(rows, IRIS, "FP32");
        matrix.put("shape", List.of(3, 4));

        assertError(infer(c.name(), List.of(matrix), 400), "input \"input-0\": its shape holds 12 elements, its data 8");
        List<Map<String, Object>> wide = fieldTensors(rows, IRIS, "FP32");
        wide.set(1, tensor("sepal_width", "FP32", List.of(1, 2), List.of(List.of(3.5, 3.0))));
        assertError(infer(c.name(), wide, 400), "input \"sepal_width\": shape [1, 2] holds more than one value per record;"
                + " a field's tensor has shape [N] or [N, 1]");
        List<Map<String, Object>> shorter = fieldTensors(rows, IRIS, "FP32");
        shorter.set(3, tensor("petal_width", "FP32", List.of(1), List.of(0.2)));
        assertError(infer(c.name(), shorter, 400), "input \"petal_width\" has 1 rows, the inputs before it 2;"
                + " every input needs one value per record");
        Map<String, Object> mixed = matrixTensor(rows, IRIS, "FP32");
        mixed.put("data", List.of(5.1, 3.5, 1.4, 0.2, 4.9, "x", 1.4, 0.2));
        assertError(infer(c.name(), List.of(mixed), 400), "input \"input-0\": datatype FP32 holds numbers, element 5 is \"x\"");
    }

    private static void assertError(TestServer.Response response, String message) {
        OpenInferenceSpec.assertValid("inference_error_response", response.json());
        assertThat(response.json().get("error").asText()).isEqualTo(message);
    }

    private static JsonNode infer(String model, List<Map<String, Object>> tensors) throws IOException {
        TestServer.Response response = infer(model, tensors, 200);
        OpenInferenceSpec.assertValid("inference_response", response.json());
        return response.json();
    }

    private static TestServer.Response infer(String model, List<Map<String, Object>> tensors, int status)
            throws IOException {
        TestServer.Response response = server.post("/v2/models/" + model + "/infer", request(tensors));
        assertThat(response.status()).as("%s: %s", model, response.body()).isEqualTo(status);
        return response;
    }

    private static String request(List<Map<String, Object>> tensors) throws IOException {
        return ServerApp.MAPPER.writeValueAsString(Map.of("inputs", tensors));
    }

    private static JsonNode invocations(String location, List<Map<String, Object>> records) throws IOException {
        TestServer.Response response = server.post("/invocations", invocationsBody(location, records));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static String invocationsBody(String location, List<Map<String, Object>> records) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("payload", records);
        body.put("pipelineFilename", location);
        body.put("implementation", "onnx");
        return ServerApp.MAPPER.writeValueAsString(body);
    }

    private static List<Map<String, Object>> fieldTensors(List<Map<String, Object>> rows, List<String> fields, String type) {
        List<Map<String, Object>> tensors = new ArrayList<>();
        for (String field : fields) {
            List<Object> data = new ArrayList<>();
            rows.forEach(row -> data.add(row.get(field)));
            tensors.add(tensor(field, type, List.of(rows.size()), data));
        }
        return tensors;
    }

    private static Map<String, Object> matrixTensor(List<Map<String, Object>> rows, List<String> fields, String type) {
        List<Object> data = new ArrayList<>();
        rows.forEach(row -> data.add(fields.stream().map(row::get).toList()));
        return tensor("input-0", type, List.of(rows.size(), fields.size()), data);
    }

    private static Map<String, Object> tensor(String name, String type, List<Integer> shape, List<?> data) {
        Map<String, Object> tensor = new LinkedHashMap<>();
        tensor.put("name", name);
        tensor.put("shape", shape);
        tensor.put("datatype", type);
        tensor.put("data", data);
        return tensor;
    }

    private static JsonNode output(JsonNode body, String name) {
        for (JsonNode output : body.get("outputs")) {
            if (output.get("name").asText().equals(name)) {
                return output;
            }
        }
        throw new AssertionError("no output " + name + " in " + body);
    }

    private static List<Object> values(JsonNode body) {
        List<Object> values = new ArrayList<>();
        body.get("outputs").get(0).get("data").forEach(node -> values.add(node.isTextual() ? node.asText()
                : node.isIntegralNumber() ? (Object) node.asLong() : (Object) node.asDouble()));
        return values;
    }

    /**
     * Each record's class probabilities: from the {@code [N, C]} tensor, or from the {@code probability(c)}
     * output fields where the model has none.
     */
    private static List<List<Double>> probabilities(JsonNode body) {
        List<List<Double>> rows = new ArrayList<>();
        for (JsonNode output : body.get("outputs")) {
            if (output.get("name").asText().equals("probabilities") && output.get("shape").size() == 2) {
                int classes = output.get("shape").get(1).asInt();
                for (int row = 0; row < output.get("shape").get(0).asInt(); row++) {
                    List<Double> probabilities = new ArrayList<>();
                    for (int c = 0; c < classes; c++) {
                        probabilities.add(output.get("data").get(row * classes + c).asDouble());
                    }
                    rows.add(probabilities);
                }
                return rows;
            }
        }
        for (JsonNode output : body.get("outputs")) {
            if (output.get("name").asText().startsWith("probability(")) {
                JsonNode data = output.get("data");
                for (int row = 0; row < data.size(); row++) {
                    if (rows.size() == row) {
                        rows.add(new ArrayList<>());
                    }
                    rows.get(row).add(data.get(row).asDouble());
                }
            }
        }
        return rows;
    }
}
