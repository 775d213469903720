package dev.pronto.distribution;

import dev.pronto.distribution.Dockerfile.Instruction;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the Dockerfile without a Docker engine: what it copies exists, the jar it copies is the one
 * the build stage makes, and the runtime stage is a non-root JRE 17 with a health check on the
 * readiness probe. Building and running the image is not done here (docs/deploying.md).
 */
class DockerfileTest {
    static final Path ROOT = ProjectLayout.root();
    static final Dockerfile DOCKERFILE = Dockerfile.read(ROOT.resolve("Dockerfile"));
    /** Where the build stage puts the sources ({@code WORKDIR} of the build stage). */
    static final String BUILD_SOURCES = "/src/";
    static final String SERVER_JAR = "inference-server/target/pronto-server.jar";

    @Test
    void buildsWithJdk17AndRunsOnJre17() {
        List<Instruction> froms = DOCKERFILE.all("FROM");
        assertThat(froms).hasSize(2);
        assertThat(froms.get(0).arguments()).startsWith("eclipse-temurin:17-jdk").endsWith(" AS build");
        assertThat(froms.get(1).arguments()).startsWith("eclipse-temurin:17-jre");
    }

    @Test
    void buildStagePackagesTheServerModuleThatMakesTheCopiedJar() {
        Instruction build = DOCKERFILE.all("RUN").stream().filter(run -> run.stage() == 0).findFirst().orElseThrow();
        assertThat(build.arguments()).contains("./mvnw").contains("-pl inference-server -am").contains(" package");
        assertThat(DOCKERFILE.all("WORKDIR").get(0).arguments() + "/").isEqualTo(BUILD_SOURCES);

        Instruction copyJar = DOCKERFILE.runtime("COPY").stream()
                .filter(copy -> copy.arguments().startsWith("--from=build")).findFirst().orElseThrow();
        List<String> words = copyJar.words();
        assertThat(words.get(1)).isEqualTo(BUILD_SOURCES + SERVER_JAR);
        String entrypointJar = words.get(2);
        assertThat(entrypointJar).isEqualTo("/app/pronto-server.jar");
        // the entrypoint script's default jar is the copied one
        assertThat(read("deploy/docker/entrypoint.sh")).contains("${PRONTO_JAR:-" + entrypointJar + "}");
    }

    @Test
    void everyFileCopiedFromTheContextExistsAndIsNotDockerignored() throws IOException {
        List<String> ignored = Files.readAllLines(ROOT.resolve(".dockerignore")).stream()
                .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        List<String> sources = new ArrayList<>();
        for (Instruction copy : DOCKERFILE.runtime("COPY")) {
            List<String> words = copy.words().stream().filter(word -> !word.startsWith("--")).toList();
            if (copy.arguments().contains("--from=")) {
                continue;
            }
            sources.addAll(words.subList(0, words.size() - 1));
        }
        assertThat(sources).contains("deploy/docker/entrypoint.sh", "deploy/docker/healthcheck.sh", "examples/models");
        for (String source : sources) {
            assertThat(ROOT.resolve(source)).as("COPY source %s", source).exists();
            assertThat(ignored).as(".dockerignore must not hide %s", source)
                    .noneMatch(pattern -> source.equals(pattern) || source.startsWith(pattern + "/"));
        }
        // the build stage copies the whole context: build output and secrets stay out of it
        assertThat(ignored).contains("**/target", ".git", "credentials.properties", "**/credentials.properties");
    }

    @Test
    void runtimeStageRunsAsANonRootNumericUser() {
        String user = DOCKERFILE.onlyRuntime("USER").arguments();
        // numeric, so that Kubernetes can check runAsNonRoot without reading /etc/passwd
        assertThat(user).matches("\\d+:\\d+");
        assertThat(user).doesNotStartWith("0:");
        assertThat(DOCKERFILE.runtime("RUN").get(0).arguments()).contains("--uid " + user.split(":")[0]);
    }

    @Test
    void healthCheckRunsTheReadinessScriptAndEntrypointIsTheStartScript() {
        Instruction healthcheck = DOCKERFILE.onlyRuntime("HEALTHCHECK");
        String command = healthcheck.arguments().substring(healthcheck.arguments().indexOf("CMD ") + 4);
        assertThat(Dockerfile.parseJson(command)).containsExactly("/app/bin/healthcheck.sh");
        assertThat(read("deploy/docker/healthcheck.sh")).contains("/health/ready");
        assertThat(DOCKERFILE.onlyRuntime("ENTRYPOINT").jsonArguments()).containsExactly("/app/bin/entrypoint.sh");
        assertThat(Files.isExecutable(ROOT.resolve("deploy/docker/entrypoint.sh"))).isTrue();
        assertThat(Files.isExecutable(ROOT.resolve("deploy/docker/healthcheck.sh"))).isTrue();
    }

    @Test
    void exposesPort8080AndDeclaresStorageAndLogVolumes() {
        assertThat(DOCKERFILE.onlyRuntime("EXPOSE").arguments()).isEqualTo("8080");
        assertThat(DOCKERFILE.onlyRuntime("ENV").arguments()).contains("PORT=8080").contains("PRONTO_HOST=0.0.0.0").doesNotContain("PRONTO_MODEL_ROOT");
        assertThat(DOCKERFILE.onlyRuntime("VOLUME").jsonArguments()).containsExactly("/app/storage", "/app/logs");
        assertThat(DOCKERFILE.onlyRuntime("WORKDIR").arguments()).isEqualTo("/app");
    }

    static String read(String path) {
        try {
            return Files.readString(ROOT.resolve(path));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
