package dev.pronto.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Checks {@code deploy/kserve/} offline, as data: the runtime and the example InferenceService
 * agree with each other and with the image (port, probe paths the server answers, formats it loads).
 */
class KServeManifestsTest {

    private static final Path FOLDER = ProjectLayout.root().resolve("deploy/kserve");
    private static final JsonNode RUNTIME = Yaml.single(FOLDER.resolve("cluster-serving-runtime.yaml"));
    private static final List<JsonNode> EXAMPLE = Yaml.documents(FOLDER.resolve("inference-service.yaml"));

    @Test
    void runtimeServesPmmlAndSklearnOverV1AndV2OnTheImagesPort() {
        assertThat(RUNTIME.path("kind").asText()).isEqualTo("ClusterServingRuntime");
        List<String> formats = new ArrayList<>();
        RUNTIME.path("spec").path("supportedModelFormats").forEach(format -> formats.add(format.path("name").asText()));
        assertThat(formats).containsExactly("pmml", "sklearn");
        assertThat(RUNTIME.path("spec").path("protocolVersions").toString()).isEqualTo("[\"v1\",\"v2\"]");
        JsonNode container = RUNTIME.path("spec").path("containers").get(0);
        String port = DockerfileTest.DOCKERFILE.onlyRuntime("EXPOSE").arguments();
        assertThat(container.path("ports").get(0).path("containerPort").asText()).isEqualTo(port);
        assertThat(env(container, "PORT")).isEqualTo(port);
        assertThat(env(container, "PRONTO_MODEL_ROOT")).isEqualTo("/mnt/models");
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/v2/health/ready");
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/v2/health/live");
        assertThat(container.path("readinessProbe").path("httpGet").path("port").asText()).isEqualTo(port);
    }

    @Test
    void exampleUsesTheRuntimeAndNamesItsModelInTheMountedConfiguration() {
        JsonNode configMap = EXAMPLE.stream().filter(d -> d.path("kind").asText().equals("ConfigMap")).findFirst().orElseThrow();
        JsonNode service = EXAMPLE.stream().filter(d -> d.path("kind").asText().equals("InferenceService")).findFirst()
                .orElseThrow();
        JsonNode model = service.path("spec").path("predictor").path("model");
        assertThat(model.path("runtime").asText()).isEqualTo(RUNTIME.path("metadata").path("name").asText());
        assertThat(model.path("modelFormat").path("name").asText()).isEqualTo("pmml");
        String mount = model.path("volumeMounts").get(0).path("mountPath").asText();
        assertThat(env(model, "PRONTO_CONFIG")).isEqualTo(mount + "/project.properties");
        assertThat(service.path("spec").path("predictor").path("volumes").get(0).path("configMap").path("name").asText())
                .isEqualTo(configMap.path("metadata").path("name").asText());
        assertThat(configMap.path("data").path("project.properties").asText())
                .contains("[Models]\n" + service.path("metadata").path("name").asText() + " = ");
    }

    private static String env(JsonNode container, String name) {
        for (JsonNode variable : container.path("env")) {
            if (variable.path("name").asText().equals(name)) {
                return variable.path("value").asText();
            }
        }
        throw new AssertionError("no env " + name + " in " + container);
    }
}
