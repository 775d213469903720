package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pronto.inference.ModelInfo;

/**
 * Versioned models found in a folder laid out as {@code <root>/<name>/<version>/<model file>}, with
 * their version policies, over a real socket and a real folder (the NAS storage's default root).
 */
class VersionedModelsTest {

    private static final String INFER = RepositoryApiTest.INFER;

    @TempDir
    Path root;
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private TestServer serve(String policy, Duration scanInterval) {
        ServerSettings settings = ServerSettings.defaults().withModels(Map.of("iris", "repo/iris"))
                .withVersions(new VersionSettings(Map.of("iris", VersionPolicy.parse(policy)), scanInterval));
        server = TestServer.overFolder(root, settings);
        return server;
    }

    private void version(int version) {
        TestServer.copy(TestServer.IRIS, root, "repo/iris/" + version + "/model.pmml");
    }

    @Test
    void latestOneServesOnlyTheNewestVersion() {
        version(1);
        version(2);
        version(3);
        serve("latest 1", Duration.ZERO);

        JsonNode answer = server.post("/v2/models/iris/infer", INFER).json();
        OpenInferenceSpec.assertValid("inference_response", answer);
        assertThat(answer.get("model_name").asText()).isEqualTo("iris");
        assertThat(answer.get("model_version").asText()).isEqualTo("3");
        assertThat(server.get("/v2/models/iris").json().get("versions").toString()).isEqualTo("[\"3\"]");

        TestServer.Response outside = server.post("/v2/models/iris/versions/1/infer", INFER);
        assertThat(outside.status()).isEqualTo(404);
        assertThat(outside.json().get("error").asText()).isEqualTo("model \"iris\" does not serve version \"1\": its version"
                + " policy is \"latest 1\"; the versions served are [3]");
        assertThat(server.post("/v2/models/iris/versions/7/infer", INFER).json().get("error").asText())
                .contains("does not serve version \"7\": it is not stored");
        assertThat(server.ownEngine.models()).extracting(info -> info.location().toString())
                .containsExactly("file:repo/iris/3/model.pmml");
    }

    @Test
    void modelsListingShowsNameAndVersionApart() {
        version(1);
        version(2);
        serve("all", Duration.ZERO);

        JsonNode models = server.get("/models").json().get("models");

        assertThat(models).hasSize(2);
        assertThat(models).allSatisfy(model -> assertThat(model.get("name").asText()).isEqualTo("iris"));
        assertThat(models).extracting(model -> model.get("modelVersion").asText()).containsExactlyInAnyOrder("1", "2");
        // name@version finds exactly that version, as pipelineFilename and in GET /models/{name}
        assertThat(server.get("/models/iris@1").json().get("location").asText()).isEqualTo("file:repo/iris/1/model.pmml");
        TestServer.Response seed = server.post("/invocations", """
                {"payload": [{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}],
                 "pipelineFilename": "iris@1"}""");
        assertThat(seed.status()).as(seed.body()).isEqualTo(200);
        assertThat(server.get("/v1/models").json().get("models").toString()).isEqualTo("[\"iris\"]");
    }

    @Test
    void configuredVersionsAreListedWithNameAndVersionApartToo() {
        TestServer.copy(TestServer.IRIS, root, "iris/2/model.pmml");
        server = TestServer.overFolder(root, ServerSettings.defaults().withModels(Map.of("iris@2", "iris/2/model.pmml")));
        assertThat(server.post("/v2/models/iris/infer", INFER).status()).isEqualTo(200);

        JsonNode model = server.get("/models").json().get("models").get(0);

        assertThat(model.get("name").asText()).isEqualTo("iris");
        assertThat(model.get("modelVersion").asText()).isEqualTo("2");
        assertThat(model.get("version").asText()).as("the storage's token").isNotEqualTo("2");
    }

    @Test
    void specificServesExactlyTheListedVersions() {
        version(1);
        version(2);
        version(3);
        serve("specific [1,3]", Duration.ZERO);

        assertThat(server.post("/v2/models/iris/versions/1/infer", INFER).json().get("model_version").asText()).isEqualTo("1");
        assertThat(server.post("/v2/models/iris/versions/3/infer", INFER).json().get("model_version").asText()).isEqualTo("3");
        assertThat(server.post("/v2/models/iris/infer", INFER).json().get("model_version").asText()).isEqualTo("3");
        TestServer.Response two = server.post("/v2/models/iris/versions/2/infer", INFER);
        assertThat(two.status()).isEqualTo(404);
        assertThat(two.json().get("error").asText()).contains("its version policy is \"specific 1,3\"");
        assertThat(server.post("/v2/repository/index", "").json().toString()).contains(
                "{\"name\":\"iris\",\"version\":\"1\",\"state\":\"READY\",\"reason\":\"\"}",
                "{\"name\":\"iris\",\"version\":\"3\",\"state\":\"READY\",\"reason\":\"\"}").doesNotContain("\"version\":\"2\"");
    }

    @Test
    void aVersionDroppedIntoTheFolderWhileServingBecomesServableWithoutRestart() throws Exception {
        version(1);
        serve("latest 1", Duration.ofMillis(100));
        assertThat(server.post("/v2/models/iris/infer", INFER).json().get("model_version").asText()).isEqualTo("1");

        // as an operator should publish a version: written beside the repository, then moved in at once
        TestServer.copy(TestServer.IRIS, root, "staging/2/model.pmml");
        Files.move(root.resolve("staging/2"), root.resolve("repo/iris/2"), StandardCopyOption.ATOMIC_MOVE);

        String served = "1";
        for (long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos(); !served.equals("2")
                && System.nanoTime() < deadline; Thread.sleep(50)) {
            served = server.post("/v2/models/iris/infer", INFER).json().get("model_version").asText();
        }
        assertThat(served).isEqualTo("2");
        assertThat(server.post("/v2/models/iris/versions/1/infer", INFER).status()).isEqualTo(404);
        // the watcher swaps the served set first and unloads the old version after it: wait for that
        boolean unloaded = false;
        for (long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos(); !unloaded
                && System.nanoTime() < deadline; Thread.sleep(50)) {
            unloaded = server.ownEngine.models().stream()
                    .noneMatch(info -> info.location().toString().equals("file:repo/iris/1/model.pmml"));
        }
        assertThat(server.ownEngine.models()).extracting(info -> info.location().toString())
                .doesNotContain("file:repo/iris/1/model.pmml");
    }

    @Test
    void aBrokenNewVersionDoesNotReplaceTheWorkingOneAndIsReported() throws IOException {
        version(1);
        TestServer.write("<PMML broken".getBytes(StandardCharsets.UTF_8), root, "repo/iris/2/model.pmml");
        serve("latest 1", Duration.ZERO);

        assertThat(server.post("/v2/models/iris/infer", INFER).json().get("model_version").asText()).isEqualTo("1");
        TestServer.Response broken = server.post("/v2/models/iris/versions/2/infer", INFER);
        assertThat(broken.status()).isEqualTo(404);
        assertThat(broken.json().get("error").asText()).startsWith("model \"iris\" does not serve version \"2\": it failed"
                + " to load: ").endsWith("; the versions served are [1]").doesNotContain(root.toString());
        assertThat(server.post("/v2/repository/index", "").json()).anySatisfy(entry -> {
            assertThat(entry.get("version").asText()).isEqualTo("2");
            assertThat(entry.get("state").asText()).isEqualTo("UNAVAILABLE");
            assertThat(entry.get("reason").asText()).contains("repo/iris/2/model.pmml");
        });
        JsonNode model = server.get("/models/iris").json();
        assertThat(model.get("modelVersion").asText()).isEqualTo("1");
        assertThat(model.get("unavailableVersions").get("2").asText()).contains("repo/iris/2/model.pmml");
        assertThat(server.ownEngine.models()).extracting(ModelInfo::format).containsExactly("pmml");
    }

    @Test
    void aVersionFolderWithoutAModelFileIsReportedByName() {
        version(1);
        TestServer.write(new byte[] {1}, root, "repo/iris/2/a.pmml");
        TestServer.write(new byte[] {1}, root, "repo/iris/2/b.pmml");
        serve("all", Duration.ZERO);

        TestServer.Response two = server.post("/v2/models/iris/versions/2/infer", INFER);

        assertThat(two.json().get("error").asText()).contains("version folder \"file:repo/iris/2\" holds 2 files"
                + " [a.pmml, b.pmml] and none named model.<extension>");
        assertThat(server.post("/v2/models/iris/infer", INFER).json().get("model_version").asText()).isEqualTo("1");
    }
}
