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
 * The Open Inference Protocol (V2) over a real socket: every body validated against the
 * specification's own schemas, predictions compared with {@code /invocations} on the same model.
 */
class OpenInferenceTest {

    private static final String IRIS_INPUTS = """
            [{"name": "sepal_length", "shape": [2], "datatype": "FP64", "data": [5.1, 2.1]},
             {"name": "sepal_width", "shape": [2], "datatype": "FP64", "data": [3.5, 5.5]},
             {"name": "petal_length", "shape": [2], "datatype": "FP64", "data": [1.4, 6.4]},
             {"name": "petal_width", "shape": [2], "datatype": "FP64", "data": [0.2, 0.2]}]""";

    @TempDir
    static Path root;
    private static TestServer server;

    @BeforeAll
    static void start() {
        TestServer.copy(TestServer.IRIS, root, "iris/model.pmml");
        TestServer.write(ConformanceCorpus.cases().stream().filter(c -> c.name().equals("sklearn-DecisionTreeIris"))
                .findFirst().orElseThrow().model(), root, "iris/2/model.pmml");
        server = TestServer.overFolder(root, ServerSettings.defaults().withModels(Map.of(
                "iris", "iris/model.pmml", "flowers@1", "iris/model.pmml", "flowers@2", "iris/2/model.pmml")));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String infer(String inputs, String extra) {
        return "{\"id\": \"req-7\", \"inputs\": " + inputs + extra + "}";
    }

    @Test
    void serverMetadataAndHealthFollowTheSpecification() {
        TestServer.Response metadata = server.get("/v2");

        assertThat(metadata.status()).isEqualTo(200);
        OpenInferenceSpec.assertValid("metadata_server_response", metadata.json());
        assertThat(metadata.json().get("name").asText()).isEqualTo("pronto");
        assertThat(metadata.json().get("extensions")).extracting(JsonNode::asText).containsExactly("model_repository");
        assertThat(server.get("/v2/health/live").status()).isEqualTo(200);
        assertThat(server.get("/v2/health/ready").status()).isEqualTo(200);
    }

    @Test
    void modelMetadataGivesEveryInputAndOutputWithDatatypeAndShape() {
        TestServer.Response response = server.get("/v2/models/iris");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode body = response.json();
        OpenInferenceSpec.assertValid("metadata_model_response", body);
        assertThat(body.get("platform").asText()).isEqualTo("pmml");
        assertThat(body.get("inputs")).extracting(t -> t.get("name").asText())
                .containsExactly("sepal_length", "sepal_width", "petal_length", "petal_width");
        assertThat(body.get("inputs")).allSatisfy(t -> {
            assertThat(t.get("datatype").asText()).isEqualTo("FP64");
            assertThat(t.get("shape").toString()).isEqualTo("[-1]");
        });
        JsonNode outputs = body.get("outputs");
        assertThat(outputs.get(0).toString()).isEqualTo("{\"name\":\"species\",\"datatype\":\"INT64\",\"shape\":[-1]}");
        assertThat(outputs.get(1).toString()).isEqualTo("{\"name\":\"probabilities\",\"datatype\":\"FP64\",\"shape\":[-1,3],"
                + "\"parameters\":{\"classes\":[0,1,2]}}");
    }

    @Test
    void inferAnswersWhatInvocationsAnswersForTheSameRecords() {
        TestServer.Response response = server.post("/v2/models/iris/infer", infer(IRIS_INPUTS, ""));
        JsonNode seed = server.post("/invocations", TestServer.SEED_EXAMPLE).json();

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode body = response.json();
        OpenInferenceSpec.assertValid("inference_response", body);
        assertThat(body.get("model_name").asText()).isEqualTo("iris");
        assertThat(body.get("id").asText()).isEqualTo("req-7");
        JsonNode species = output(body, "species");
        assertThat(species.get("datatype").asText()).isEqualTo("INT64");
        assertThat(species.get("shape").toString()).isEqualTo("[2]");
        assertThat(species.get("data")).isEqualTo(seed.get("predictions"));
        JsonNode probabilities = output(body, "probabilities");
        assertThat(probabilities.get("shape").toString()).isEqualTo("[2,3]");
        assertThat(probabilities.get("parameters").get("classes").toString()).isEqualTo("[0,1,2]");
        List<Double> flat = new ArrayList<>();
        seed.get("predictions_prob").forEach(row -> row.forEach(p -> flat.add(p.asDouble())));
        assertThat(probabilities.get("data")).extracting(JsonNode::asDouble).containsExactlyElementsOf(flat);
    }

    @Test
    void acceptsShapeNByOneNestedDataAndIntegersForDoubleFields() {
        String inputs = """
                [{"name": "sepal_length", "shape": [2, 1], "datatype": "INT64", "data": [[5], [2]]},
                 {"name": "sepal_width", "shape": [2, 1], "datatype": "FP32", "data": [[3.5], [5.5]]},
                 {"name": "petal_length", "shape": [2], "datatype": "FP64", "data": [1.4, 6.4]},
                 {"name": "petal_width", "shape": [2], "datatype": "FP64", "data": [0.2, 0.2]}]""";

        TestServer.Response response = server.post("/v2/models/iris/infer", infer(inputs, ""));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        OpenInferenceSpec.assertValid("inference_response", response.json());
        assertThat(output(response.json(), "species").get("data")).hasSize(2);
    }

    @Test
    void aSingleMatrixTensorHoldsWholeRecordsInInputOrder() {
        String inputs = """
                [{"name": "input-0", "shape": [2, 4], "datatype": "FP64", "data": [[5.1, 3.5, 1.4, 0.2], [2.1, 5.5, 6.4, 0.2]]}]""";

        TestServer.Response matrix = server.post("/v2/models/iris/infer", infer(inputs, ""));
        TestServer.Response columns = server.post("/v2/models/iris/infer", infer(IRIS_INPUTS, ""));

        assertThat(matrix.status()).as(matrix.body()).isEqualTo(200);
        assertThat(matrix.json().get("outputs")).isEqualTo(columns.json().get("outputs"));
    }

    @Test
    void outputsSelectionReturnsOnlyTheNamedOutputsInModelOrder() {
        TestServer.Response response = server.post("/v2/models/iris/infer",
                infer(IRIS_INPUTS, ", \"outputs\": [{\"name\": \"probabilities\"}, {\"name\": \"species\", "
                        + "\"parameters\": {\"binary_data\": false}}]"));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        OpenInferenceSpec.assertValid("inference_response", response.json());
        assertThat(response.json().get("outputs")).extracting(t -> t.get("name").asText())
                .containsExactly("species", "probabilities");
    }

    @Test
    void requestParametersAreAcceptedAndAMissingValueIsNull() {
        String inputs = IRIS_INPUTS.replace("[5.1, 2.1]", "[null, 2.1]");

        TestServer.Response response = server.post("/v2/models/iris/infer",
                infer(inputs, ", \"parameters\": {\"content_type\": \"pd\", \"binary_data_output\": false}"));
        TestServer.Response seed = server.post("/invocations", TestServer.SEED_EXAMPLE.replace("\"sepal_length\": 5.1",
                "\"sepal_length\": null"));

        assertThat(response.status()).as(response.body()).isEqualTo(seed.status());
        if (seed.status() == 200) {
            assertThat(output(response.json(), "species").get("data")).isEqualTo(seed.json().get("predictions"));
        } else {
            assertThat(response.json().get("error").asText()).isEqualTo(seed.error().get("message").asText());
        }
    }

    @Test
    void versionsAreListedAndARequestNamingOneGetsExactlyThatVersion() {
        JsonNode metadata = server.get("/v2/models/flowers").json();
        OpenInferenceSpec.assertValid("metadata_model_response", metadata);
        assertThat(metadata.get("versions")).extracting(JsonNode::asText).containsExactly("1", "2");
        assertThat(metadata.get("inputs").get(0).get("name").asText()).isEqualTo("Sepal.Length");

        TestServer.Response v1 = server.post("/v2/models/flowers/versions/1/infer", infer(IRIS_INPUTS, ""));
        assertThat(v1.status()).as(v1.body()).isEqualTo(200);
        OpenInferenceSpec.assertValid("inference_response", v1.json());
        assertThat(v1.json().get("model_version").asText()).isEqualTo("1");
        assertThat(server.get("/v2/models/flowers/versions/1").json().get("inputs").get(0).get("name").asText())
                .isEqualTo("sepal_length");
        // the metadata request without a version loaded the default one, the highest
        assertThat(server.get("/v2/models/flowers/versions/2/ready").status()).isEqualTo(200);
        assertError(server.get("/v2/models/flowers/versions/3"), 404, "model \"flowers\" has no version \"3\"");
    }

    @Test
    void clientMistakesGetTheSpecificationsErrorShapeAndAStatusBelow500() {
        assertError(server.get("/v2/models/nope"), 404, "no model named \"nope\" is configured");
        assertError(server.post("/v2/models/iris/infer", "{\"inputs\": ["), 400, "not valid JSON");
        assertError(server.post("/v2/models/iris/infer", infer(IRIS_INPUTS.replace("sepal_width", "sepal_wide"), "")),
                400, "input \"sepal_wide\" is not an input of the model");
        assertError(server.post("/v2/models/iris/infer", infer(IRIS_INPUTS.replace("[5.1, 2.1]", "[\"abc\", 2.1]"), "")),
                400, "input \"sepal_length\": datatype FP64 holds numbers, element 0 is \"abc\"");
        assertError(server.post("/v2/models/iris/infer", infer(IRIS_INPUTS.replace("[0.2, 0.2]", "[0.2]")
                .replace("\"shape\": [2], \"datatype\": \"FP64\", \"data\": [0.2]", "\"shape\": [1], \"datatype\": \"FP64\", "
                + "\"data\": [0.2]"), "")), 400, "every input needs one value per record");
        assertError(server.post("/v2/models/iris/infer", infer(IRIS_INPUTS.replace("[2]", "[3]"), "")), 400,
                "its shape holds 3 elements, its data 2");
        assertError(server.post("/v2/models/iris/infer", infer(IRIS_INPUTS.replace("FP64", "FLOAT"), "")), 400,
                "unknown datatype \"FLOAT\"");
        assertError(server.post("/v2/models/iris/infer", infer(IRIS_INPUTS, ", \"outputs\": [{\"name\": \"x\"}]")), 400,
                "output \"x\" is not an output of the model; its outputs are [species, probabilities");
        assertError(server.post("/v2/models/iris/infer", infer(IRIS_INPUTS, ", \"parameters\": {\"binary_data_output\": true}")),
                400, "binary tensor data");
        assertError(server.post("/v2/models/iris/infer", infer(IRIS_INPUTS, ", \"colour\": 1")), 400,
                "unknown request field \"colour\"");
        assertError(server.post("/v2/models/iris/infer", infer(IRIS_INPUTS, ""), "text/plain"), 415, "Content-Type");
        assertError(server.get("/v2/nothing/here"), 404, "no endpoint GET /v2/nothing/here");
    }

    private static void assertError(TestServer.Response response, int status, String message) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        JsonNode body = response.json();
        OpenInferenceSpec.assertValid("inference_error_response", body);
        assertThat(body.size()).isEqualTo(1);
        assertThat(body.get("error").asText()).contains(message).doesNotContain("Exception", "jackson", "dev.pronto");
    }

    private static JsonNode output(JsonNode body, String name) {
        for (JsonNode output : body.get("outputs")) {
            if (output.get("name").asText().equals(name)) {
                return output;
            }
        }
        throw new AssertionError("no output " + name + " in " + body);
    }
}
