package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code GET /models} and {@code GET /models/{name}} name every model the same way (its configured
 * name, else its location, never {@code null}), and {@code GET /version} says which build serves.
 */
class ModelListingTest {

    @TempDir
    static Path root;
    private static TestServer server;

    @BeforeAll
    static void start() {
        TestServer.copy(TestServer.IRIS, root, "iris/model.pmml");
        TestServer.copy(TestServer.IRIS, root, "other/model.pmml");
        // a generous timeout: a first load on a machine busy with other builds can take longer than the default 30 s
        server = TestServer.overFolder(root, ServerSettings.defaults().withModels(Map.of("iris", "iris/model.pmml"))
                .withLimits(ServerSettings.DEFAULT_MAX_BODY_BYTES, ServerSettings.DEFAULT_MAX_RECORDS, Duration.ofMinutes(3)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void unnamedModelsAreNamedByTheirLocationInTheListAndAlone() {
        assertThat(server.post("/invocations", TestServer.SEED_EXAMPLE).status()).isEqualTo(200);
        assertThat(server.post("/invocations", TestServer.SEED_EXAMPLE.replace("iris/model.pmml", "other/model.pmml"))
                .status()).isEqualTo(200);

        JsonNode models = server.get("/models").json().get("models");
        List<String> pairs = new ArrayList<>();
        models.forEach(model -> pairs.add(model.get("name").asText() + " -> " + model.get("location").asText()));
        JsonNode alone = server.get("/models/other/model.pmml").json();

        // locations in their canonical form, which /models/{name} and pipelineFilename accept as they are
        assertThat(pairs).containsExactlyInAnyOrder("iris -> file:iris/model.pmml", "file:other/model.pmml -> file:other/model.pmml");
        models.forEach(model -> assertThat(model.get("name").isTextual()).isTrue());
        assertThat(alone.get("name").asText()).isEqualTo("file:other/model.pmml");
        assertThat(server.get("/models/file:other/model.pmml").json().get("name").asText()).isEqualTo("file:other/model.pmml");
        assertThat(server.get("/models/iris").json().get("name").asText()).isEqualTo("iris");
    }

    @Test
    void versionSaysWhichBuildServes() {
        TestServer.Response response = server.get("/version");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        JsonNode body = response.json();
        assertThat(body.get("version").asText()).isEqualTo(BuildInfo.current().version()).matches("\\d+\\.\\d+\\.\\d+.*");
        // the build runs in a git checkout here, so the commit is known
        assertThat(body.get("commit").asText()).matches("[0-9a-f]{7,40}");
    }
}
