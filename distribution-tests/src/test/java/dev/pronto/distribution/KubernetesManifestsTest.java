package dev.pronto.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the Kubernetes manifests offline, as data: the objects refer to each other correctly and
 * agree with the image (port, user, paths). Schema validation against a cluster's API is not done
 * here; {@code kubectl apply --dry-run=server -k deploy/kubernetes} does it where a cluster exists.
 * ServerEntrypointIT probes a running server on the paths read from these files.
 */
class KubernetesManifestsTest {
    private static final KubernetesManifests MANIFESTS = KubernetesManifests.read();

    @Test
    void kustomizationListsEveryManifestInTheFolder() throws Exception {
        List<String> listed = new ArrayList<>();
        Yaml.single(KubernetesManifests.FOLDER.resolve("kustomization.yaml")).path("resources")
                .forEach(resource -> listed.add(resource.asText()));
        try (var files = Files.list(KubernetesManifests.FOLDER)) {
            List<String> manifests = files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".yaml") && !name.equals("kustomization.yaml")).toList();
            assertThat(listed).containsExactlyInAnyOrderElementsOf(manifests);
        }
        assertThat(MANIFESTS.objects()).extracting(object -> object.path("kind").asText())
                .containsExactlyInAnyOrder("ConfigMap", "Secret", "Deployment", "Service", "HorizontalPodAutoscaler");
    }

    @Test
    void probesUseTheHealthEndpointsOnTheContainerPort() {
        JsonNode container = MANIFESTS.container();
        JsonNode port = container.path("ports").get(0);
        assertThat(port.path("containerPort").asText())
                .isEqualTo(DockerfileTest.DOCKERFILE.onlyRuntime("EXPOSE").arguments())
                .isEqualTo(MANIFESTS.env("PORT"));
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/ready");
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/live");
        assertThat(container.path("startupProbe").path("httpGet").path("path").asText()).isEqualTo("/health/live");
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            assertThat(container.path(probe).path("httpGet").path("port").asText()).as(probe)
                    .isEqualTo(port.path("name").asText());
        }
    }

    @Test
    void requestsResourcesAndRunsAsTheImagesNonRootUser() {
        JsonNode container = MANIFESTS.container();
        assertThat(container.path("resources").path("requests").path("cpu").asText()).isNotEmpty();
        assertThat(container.path("resources").path("requests").path("memory").asText()).isNotEmpty();
        assertThat(container.path("resources").path("limits").path("memory").asText()).isNotEmpty();
        JsonNode security = MANIFESTS.only("Deployment").path("spec").path("template").path("spec").path("securityContext");
        String user = DockerfileTest.DOCKERFILE.onlyRuntime("USER").arguments();
        assertThat(security.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(security.path("runAsUser").asText() + ":" + security.path("runAsGroup").asText()).isEqualTo(user);
    }

    @Test
    void serviceAndAutoscalerTargetTheDeployment() {
        JsonNode deployment = MANIFESTS.only("Deployment");
        JsonNode podLabels = deployment.path("spec").path("template").path("metadata").path("labels");
        deployment.path("spec").path("selector").path("matchLabels").fields().forEachRemaining(label ->
                assertThat(podLabels.path(label.getKey()).asText()).as("pod label %s", label.getKey())
                        .isEqualTo(label.getValue().asText()));

        JsonNode service = MANIFESTS.only("Service");
        service.path("spec").path("selector").fields().forEachRemaining(label ->
                assertThat(podLabels.path(label.getKey()).asText()).as("service selector %s", label.getKey())
                        .isEqualTo(label.getValue().asText()));
        assertThat(service.path("spec").path("ports").get(0).path("targetPort").asText())
                .isEqualTo(MANIFESTS.container().path("ports").get(0).path("name").asText());

        JsonNode target = MANIFESTS.only("HorizontalPodAutoscaler").path("spec").path("scaleTargetRef");
        assertThat(target.path("kind").asText()).isEqualTo("Deployment");
        assertThat(target.path("apiVersion").asText()).isEqualTo(deployment.path("apiVersion").asText());
        assertThat(target.path("name").asText()).isEqualTo(deployment.path("metadata").path("name").asText());
        JsonNode hpa = MANIFESTS.only("HorizontalPodAutoscaler").path("spec");
        assertThat(hpa.path("minReplicas").asInt()).isPositive().isLessThanOrEqualTo(hpa.path("maxReplicas").asInt());
        // CPU utilisation is measured against the request, so there must be one
        assertThat(MANIFESTS.container().path("resources").path("requests").has("cpu")).isTrue();
    }

    @Test
    void configurationAndCredentialsAreMountedWhereTheServerLooksForThem() {
        JsonNode podSpec = MANIFESTS.only("Deployment").path("spec").path("template").path("spec");
        String workdir = DockerfileTest.DOCKERFILE.onlyRuntime("WORKDIR").arguments();
        String configs = workdir + "/configs/" + MANIFESTS.env("DEPLOY_ENV");
        JsonNode mount = null;
        for (JsonNode candidate : MANIFESTS.container().path("volumeMounts")) {
            if (candidate.path("mountPath").asText().equals(configs)) {
                mount = candidate;
            }
        }
        assertThat(mount).as("a volume mounted at %s", configs).isNotNull();
        JsonNode volume = null;
        for (JsonNode candidate : podSpec.path("volumes")) {
            if (candidate.path("name").asText().equals(mount.path("name").asText())) {
                volume = candidate;
            }
        }
        assertThat(volume).isNotNull();
        List<String> files = new ArrayList<>();
        for (JsonNode source : volume.path("projected").path("sources")) {
            JsonNode reference = source.has("configMap") ? source.path("configMap") : source.path("secret");
            String kind = source.has("configMap") ? "ConfigMap" : "Secret";
            for (JsonNode item : reference.path("items")) {
                // throws when the ConfigMap or Secret, or the key, does not exist
                MANIFESTS.file(kind, reference.path("name").asText(), item.path("key").asText());
                files.add(kind + ":" + item.path("path").asText());
            }
        }
        assertThat(files).containsExactlyInAnyOrder("ConfigMap:project.properties", "Secret:credentials.properties");
    }

    @Test
    void everyVolumeTheImageDeclaresIsBackedByAPodVolume() {
        List<String> mounted = new ArrayList<>();
        MANIFESTS.container().path("volumeMounts").forEach(mount -> mounted.add(mount.path("mountPath").asText()));
        assertThat(mounted).containsAll(DockerfileTest.DOCKERFILE.onlyRuntime("VOLUME").jsonArguments());
        // read-only root file system: the JVM still needs a writable /tmp
        assertThat(MANIFESTS.container().path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(mounted).contains("/tmp");
    }

    @Test
    void theSecretHoldsNoCredentialsInTheRepository() {
        String credentials = MANIFESTS.file("Secret", "pronto-credentials", "credentials.properties");
        assertThat(credentials.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")))
                .as("uncommented lines of the committed credentials.properties").isEmpty();
    }
}
