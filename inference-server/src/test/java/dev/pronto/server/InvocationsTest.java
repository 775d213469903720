package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pronto.inference.testing.ConformanceCorpus;

/**
 * {@code POST /invocations} answers in the seed's shape, over a real socket, for the model kinds the
 * seed served: classification with probabilities, regression, clustering, trees with leaf ids.
 */
class InvocationsTest {

    @TempDir
    static Path root;
    private static TestServer server;

    @BeforeAll
    static void start() {
        TestServer.copy(TestServer.IRIS, root, "iris/model.pmml");
        TestServer.copy(TestServer.IRIS, root, "iris/model.bin");
        for (String name : List.of("sklearn-DecisionTreeIris", "sklearn-RandomForestIris", "sklearn-DecisionTreeAuto",
                "r-KMeansIris")) {
            TestServer.write(corpusCase(name).model(), root, name + "/model.pmml");
        }
        server = TestServer.overFolder(root, ServerSettings.defaults().withModels(Map.of("iris", "iris/model.pmml")));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static ConformanceCorpus.Case corpusCase(String name) {
        return ConformanceCorpus.cases().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void seedExampleAnswersPredictionsProbabilitiesAndIntegerClasses() {
        TestServer.Response response = server.post("/invocations", TestServer.SEED_EXAMPLE);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        JsonNode body = response.json();
        assertThat(fieldNames(body)).containsExactly("predictions", "predictions_prob", "classes");
        assertThat(body.get("predictions").toString()).isEqualTo("[0,2]");
        assertThat(body.get("classes").toString()).isEqualTo("[0,1,2]");
        assertThat(body.get("classes").get(0).isInt()).isTrue();
        JsonNode first = body.get("predictions_prob").get(0);
        assertThat(first).hasSize(3);
        assertThat(first.get(0).asDouble()).isGreaterThan(0.9);
        assertThat(first.get(0).asDouble() + first.get(1).asDouble() + first.get(2).asDouble()).isCloseTo(1.0,
                org.assertj.core.data.Offset.offset(1e-12));
        assertThat(body.get("predictions_prob").get(1).get(2).asDouble()).isGreaterThan(0.5);
    }

    @Test
    void classesFollowTheModelsDeclaredOrder() {
        JsonNode schema = server.get("/models/iris").json().get("schema");
        JsonNode body = server.post("/invocations", TestServer.SEED_EXAMPLE).json();

        assertThat(body.get("classes")).isEqualTo(schema.get("targets").get(0).get("classes"));
    }

    @Test
    void columnOrientedPayloadAnswersLikeRows() {
        String columns = """
                {"payload": {"sepal_length": [5.1, 2.1], "sepal_width": [3.5, 5.5], "petal_length": [1.4, 6.4],
                             "petal_width": [0.2, 0.2]},
                 "pipelineFilename": "iris/model.pmml", "implementation": "Logistic Regression"}""";

        TestServer.Response response = server.post("/invocations", columns);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json()).isEqualTo(server.post("/invocations", TestServer.SEED_EXAMPLE).json());
    }

    @Test
    void implementationIsOptionalAndTheFileExtensionThenChoosesTheFormat() {
        JsonNode labelled = server.post("/invocations", TestServer.SEED_EXAMPLE).json();
        String withoutImplementation = TestServer.SEED_EXAMPLE.replace(", \"implementation\": \"Logistic Regression\"", "");
        assertThat(withoutImplementation).doesNotContain("implementation");

        TestServer.Response absent = server.post("/invocations", withoutImplementation);
        TestServer.Response nulled = server.post("/invocations",
                TestServer.SEED_EXAMPLE.replace("\"Logistic Regression\"", "null"));

        assertThat(absent.status()).isEqualTo(200);
        assertThat(absent.json()).isEqualTo(labelled);
        assertThat(nulled.status()).isEqualTo(200);
        assertThat(nulled.json()).isEqualTo(labelled);
    }

    @Test
    void implementationNamingAFormatInAnyCaseChoosesItWhateverTheExtension() {
        String binary = TestServer.SEED_EXAMPLE.replace("\"iris/model.pmml\"", "\"iris/model.bin\"");

        TestServer.Response named = server.post("/invocations", binary.replace("\"Logistic Regression\"", "\" PMML \""));
        TestServer.Response freeLabel = server.post("/invocations", binary);

        assertThat(named.status()).isEqualTo(200);
        assertThat(named.json()).isEqualTo(server.post("/invocations", TestServer.SEED_EXAMPLE).json());
        TestServer.assertError(freeLabel, 400, "invalid_request", "pipelineFilename", null);
        assertThat(freeLabel.json().get("error").get("message").asText())
                .startsWith("cannot tell the format of model \"file:iris/model.bin\": its file extension is not one of ")
                .contains("no format was named");
    }

    @Test
    void configuredModelNameWorksAsPipelineFilename() {
        String byName = TestServer.SEED_EXAMPLE.replace("\"iris/model.pmml\"", "\"iris\"");

        TestServer.Response response = server.post("/invocations", byName);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("predictions").toString()).isEqualTo("[0,2]");
    }

    @Test
    void regressionAnswersPredictionsOnly() {
        TestServer.Response response = server.post("/invocations", invocation("sklearn-DecisionTreeAuto", 3, null));

        assertThat(response.status()).isEqualTo(200);
        assertThat(fieldNames(response.json())).containsExactly("predictions");
        assertThat(response.json().get("predictions")).hasSize(3);
        assertThat(response.json().get("predictions").get(0).isNumber()).isTrue();
    }

    @Test
    void clusteringAnswersClusterIds() {
        ConformanceCorpus.Case kmeans = corpusCase("r-KMeansIris");
        TestServer.Response response = server.post("/invocations", invocation("r-KMeansIris", 5, null));

        assertThat(response.status()).isEqualTo(200);
        List<String> expected = new ArrayList<>();
        for (Map<String, Object> row : kmeans.expected().subList(0, 5)) {
            expected.add((String) row.get("cluster"));
        }
        List<String> actual = new ArrayList<>();
        response.json().get("predictions").forEach(id -> actual.add(id.asText()));
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void leafNumberOfASingleTreeIsOneIdPerRecord() {
        TestServer.Response response = server.post("/invocations",
                invocation("sklearn-DecisionTreeIris", 4, "{\"isLeafNumber\": \"true\"}"));

        assertThat(response.status()).isEqualTo(200);
        JsonNode leaves = response.json().get("responseArguments").get("leaf_number");
        assertThat(leaves).hasSize(4);
        leaves.forEach(leaf -> assertThat(leaf.isInt() || leaf.isTextual()).isTrue());
        assertThat(response.json().has("predictions_prob")).isTrue();
    }

    @Test
    void leafNumbersOfAForestAreOneIdPerTree() {
        TestServer.Response response = server.post("/invocations",
                invocation("sklearn-RandomForestIris", 2, "{\"isLeafNumber\": true}"));

        assertThat(response.status()).isEqualTo(200);
        JsonNode leaves = response.json().get("responseArguments").get("leaf_number");
        assertThat(leaves).hasSize(2);
        assertThat(leaves.get(0).isArray()).isTrue();
        assertThat(leaves.get(0).size()).isGreaterThan(1);
    }

    @Test
    void leafNumbersOfAModelWithoutTreesAreAClearBadRequest() {
        String request = TestServer.SEED_EXAMPLE.replace("\"implementation\"",
                "\"requestArguments\": {\"isLeafNumber\": \"true\"}, \"implementation\"");

        TestServer.Response response = server.post("/invocations", request);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error().get("code").asText()).isEqualTo("leaf_numbers_unavailable");
        assertThat(response.error().get("field").asText()).isEqualTo("requestArguments.isLeafNumber");
    }

    @Test
    void outputFieldsReportEveryNamedResultField() {
        TestServer.Response response = server.post("/invocations",
                TestServer.SEED_EXAMPLE.replace("\"implementation\"", "\"requestArguments\": {\"outputFields\": \"true\"}, \"implementation\""));

        assertThat(response.status()).isEqualTo(200);
        JsonNode fields = response.json().get("responseArguments").get("fields").get(0);
        assertThat(fieldNames(fields)).contains("species", "probability(0)", "probability(1)", "probability(2)");
        assertThat(fields.get("probability(0)").asDouble())
                .isEqualTo(response.json().get("predictions_prob").get(0).get(0).asDouble());
    }

    @Test
    void requestIdIsTakenFromTheClientOrMade() {
        TestServer.Response given = server.send(java.net.http.HttpRequest.newBuilder(server.base.resolve("/ping"))
                .header("X-Request-Id", "client-42").GET());
        TestServer.Response forged = server.send(java.net.http.HttpRequest.newBuilder(server.base.resolve("/ping"))
                .header("X-Request-Id", "bad id with spaces").GET());

        assertThat(given.header("X-Request-Id")).isEqualTo("client-42");
        assertThat(forged.header("X-Request-Id")).isNotEqualTo("bad id with spaces").matches("[0-9a-f-]{36}");
    }

    /** The first {@code rows} input rows of a corpus case, with numbers sent as JSON numbers. */
    static String invocation(String caseName, int rows, String requestArguments) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (Map<String, Object> row : corpusCase(caseName).inputs().subList(0, rows)) {
            records.add(CorpusOverHttp.typed(row, Map.of()));
        }
        try {
            Map<String, Object> request = new java.util.LinkedHashMap<>();
            request.put("payload", records);
            request.put("pipelineFilename", caseName + "/model.pmml");
            request.put("implementation", "anything");
            if (requestArguments != null) {
                request.put("requestArguments", ServerApp.MAPPER.readTree(requestArguments));
            }
            return ServerApp.MAPPER.writeValueAsString(request);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
