package dev.pronto.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks docker-compose.yml against the Dockerfile, as data: the seed's environment variables, the
 * port the image exposes, and mounts for storage, logs, the per-environment configuration and the
 * credentials file. {@code docker compose config} itself is not run here (no Docker on CI machines).
 */
class ComposeFileTest {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{[^}]*}");
    private static final JsonNode SERVICE = Yaml.single(ProjectLayout.root().resolve("docker-compose.yml"))
            .path("services").path("pronto");

    @Test
    void buildsTheRepositoryDockerfile() {
        assertThat(SERVICE.path("build").path("context").asText()).isEqualTo(".");
        assertThat(ProjectLayout.root().resolve(SERVICE.path("build").path("dockerfile").asText())).exists();
    }

    @Test
    void setsTheSeedsEnvironmentVariables() {
        JsonNode environment = SERVICE.path("environment");
        // the same default as the configuration mounts below
        assertThat(environment.path("DEPLOY_ENV").asText()).isEqualTo("${DEPLOY_ENV:-dev}");
        assertThat(environment.path("PRONTO_HOST").asText()).isEqualTo("0.0.0.0");
        assertThat(environment.path("PORT").asText()).isEqualTo(exposedPort());
    }

    @Test
    void publishesTheExposedPort() {
        assertThat(SERVICE.path("ports")).hasSize(1);
        assertThat(SERVICE.path("ports").get(0).asText()).endsWith(":" + exposedPort());
    }

    @Test
    void mountsStorageLogsConfigurationAndCredentialsWhereTheImageExpectsThem() {
        List<String> targets = new ArrayList<>();
        List<String> readOnly = new ArrayList<>();
        for (JsonNode volume : SERVICE.path("volumes")) {
            String[] parts = volumeParts(volume.asText());
            targets.add(parts[1]);
            if (parts.length > 2 && parts[2].equals("ro")) {
                readOnly.add(parts[1]);
            }
        }
        List<String> declared = DockerfileTest.DOCKERFILE.onlyRuntime("VOLUME").jsonArguments();
        assertThat(targets).containsAll(declared);
        // the server reads configs/<DEPLOY_ENV>/project.properties relative to its working directory,
        // and credentials.properties beside it
        String workdir = DockerfileTest.DOCKERFILE.onlyRuntime("WORKDIR").arguments();
        String configs = workdir + "/configs/${DEPLOY_ENV:-dev}/";
        assertThat(readOnly).containsExactlyInAnyOrder(configs + "project.properties", configs + "credentials.properties");
    }

    /** SOURCE:TARGET[:MODE] of the short volume syntax; a ${VAR:-default} holds a colon of its own. */
    private static String[] volumeParts(String volume) {
        List<String> variables = new ArrayList<>();
        Matcher matcher = VARIABLE.matcher(volume);
        StringBuilder masked = new StringBuilder();
        while (matcher.find()) {
            variables.add(matcher.group());
            matcher.appendReplacement(masked, "\0" + (variables.size() - 1) + "\0");
        }
        matcher.appendTail(masked);
        String[] parts = masked.toString().split(":");
        for (int i = 0; i < parts.length; i++) {
            for (int v = 0; v < variables.size(); v++) {
                parts[i] = parts[i].replace("\0" + v + "\0", variables.get(v));
            }
        }
        return parts;
    }

    private static String exposedPort() {
        return DockerfileTest.DOCKERFILE.onlyRuntime("EXPOSE").arguments();
    }
}
