package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** The V2 model repository extension: index, load and unload by name, over a real socket. */
class RepositoryApiTest {

    /** One iris record as a V2 request. */
    static final String INFER = """
            {"inputs": [{"name": "sepal_length", "shape": [1], "datatype": "FP64", "data": [5.1]},
                        {"name": "sepal_width", "shape": [1], "datatype": "FP64", "data": [3.5]},
                        {"name": "petal_length", "shape": [1], "datatype": "FP64", "data": [1.4]},
                        {"name": "petal_width", "shape": [1], "datatype": "FP64", "data": [0.2]}]}""";

    @TempDir
    Path root;
    private TestServer server;

    @BeforeEach
    void start() {
        TestServer.copy(TestServer.IRIS, root, "iris/model.pmml");
        TestServer.copy(TestServer.IRIS, root, "iris/2/model.pmml");
        server = TestServer.overFolder(root, ServerSettings.defaults().withModels(Map.of(
                "iris@1", "iris/model.pmml", "iris@2", "iris/2/model.pmml", "other", "iris/model.pmml")));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void indexListsEveryConfiguredVersionWithItsState() {
        server.post("/v2/models/iris/versions/1/infer", INFER);
        server.post("/v2/models/iris/versions/2/infer", INFER);

        TestServer.Response index = server.post("/v2/repository/index", "");

        assertThat(index.status()).as(index.body()).isEqualTo(200);
        assertThat(index.json().toString()).contains("{\"name\":\"iris\",\"version\":\"1\",\"state\":\"READY\",\"reason\":\"\"}",
                "{\"name\":\"iris\",\"version\":\"2\",\"state\":\"READY\",\"reason\":\"\"}");
        assertThat(server.post("/v2/repository/index", "{\"ready\": true}").json()).hasSize(3);
    }

    @Test
    void unloadRefusesRequestsUntilLoadAndTakesTheModelOutOfMemory() {
        assertThat(server.post("/v2/models/iris/infer", INFER).status()).isEqualTo(200);
        int loaded = server.ownEngine.models().size();

        TestServer.Response unload = server.post("/v2/repository/models/iris/unload", "");

        assertThat(unload.status()).as(unload.body()).isEqualTo(200);
        assertThat(server.ownEngine.models()).hasSizeLessThan(loaded);
        TestServer.Response refused = server.post("/v2/models/iris/infer", INFER);
        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.json().get("error").asText()).isEqualTo(
                "model \"iris\" is unloaded; POST /v2/repository/models/iris/load loads it again");
        assertThat(server.get("/v2/models/iris/ready").status()).isEqualTo(404);
        assertThat(server.post("/v2/repository/index", "").json()).anySatisfy(entry ->
                assertThat(entry.toString()).contains("\"name\":\"iris\"", "\"state\":\"UNLOADED\""));
        assertThat(server.post("/v2/models/other/infer", INFER).status()).isEqualTo(200);

        TestServer.Response load = server.post("/v2/repository/models/iris/load", "");

        assertThat(load.status()).as(load.body()).isEqualTo(200);
        assertThat(server.get("/v2/models/iris/versions/1/ready").status()).isEqualTo(200);
        assertThat(server.get("/v2/models/iris/versions/2/ready").status()).isEqualTo(200);
        JsonNode answer = server.post("/v2/models/iris/infer", INFER).json();
        OpenInferenceSpec.assertValid("inference_response", answer);
        assertThat(answer.get("model_version").asText()).isEqualTo("2");
    }

    @Test
    void unknownNamesAreNotFound() {
        TestServer.Response response = server.post("/v2/repository/models/nope/load", "");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().get("error").asText()).startsWith("no model named \"nope\" is configured");
    }
}
