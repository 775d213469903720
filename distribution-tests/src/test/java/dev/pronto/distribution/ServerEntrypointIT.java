package dev.pronto.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the container's entrypoint directly on this machine, the way the image would (no Docker
 * engine here): the jar the Dockerfile copies, started by {@code deploy/docker/entrypoint.sh serve}
 * with the image's and the Deployment's environment, the Kubernetes ConfigMap and Secret as its
 * configuration files in a folder laid out like the image's {@code /app}. Then every probe path of
 * the Deployment, {@code /ping}, {@code /invocations} and the HEALTHCHECK script are tried on it.
 *
 * <p>What this cannot cover: the image build itself, the base image's contents and the real
 * Kubernetes scheduler (docs/deploying.md lists what was run).
 */
class ServerEntrypointIT {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    private static final Pattern ENV_ENTRY = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final Pattern DEFAULT_JAR = Pattern.compile("\\$\\{PRONTO_JAR:-([^}]+)}");

    private static ImageLayout layout;
    private static Process server;
    private static Path output;
    private static URI base;

    @BeforeAll
    static void startTheEntrypoint() throws Exception {
        Path root = ProjectLayout.root();
        assumeTrue(Files.exists(root.resolve("inference-server/pom.xml")),
                "the inference-server module is not part of this build yet");
        Path jar = root.resolve(DockerfileTest.SERVER_JAR);
        assertThat(jar).as("the jar the Dockerfile copies (built by the reactor before this module)").exists();

        // the image's file system, made by carrying out the Dockerfile's runtime COPY and RUN mkdir
        layout = ImageLayout.assemble(DockerfileTest.DOCKERFILE, root, root.resolve("distribution-tests/target/entrypoint-it/image"));
        Path app = layout.path("/app");
        assertThat(app.resolve("storage")).as("RUN mkdir makes the storage volume's folder").isDirectory();
        assertThat(app.resolve("logs")).as("RUN mkdir makes the log volume's folder").isDirectory();
        KubernetesManifests manifests = KubernetesManifests.read();
        Path configs = app.resolve("configs").resolve(manifests.env("DEPLOY_ENV"));
        Files.createDirectories(configs);
        Files.writeString(configs.resolve("project.properties"),
                inApp(manifests.file("ConfigMap", "pronto-config", "project.properties"), app));
        Files.writeString(configs.resolve("credentials.properties"),
                manifests.file("Secret", "pronto-credentials", "credentials.properties"));

        Map<String, String> environment = new LinkedHashMap<>();
        imageEnvironment().forEach((name, value) -> environment.put(name, inApp(value, app)));
        for (JsonNode variable : manifests.container().path("env")) {
            environment.put(variable.path("name").asText(), inApp(variable.path("value").asText(), app));
        }
        int port = LocalMachine.freePort();
        // loopback instead of 0.0.0.0: this is a shared machine, not a container
        environment.put("PRONTO_HOST", "127.0.0.1");
        environment.put("PORT", Integer.toString(port));
        // the jar where the entrypoint looks for it by default: a COPY to another path fails here
        environment.put("PRONTO_JAR", layout.path(entrypointDefaultJar(layout)).toString());

        List<String> entrypoint = new ArrayList<>(DockerfileTest.DOCKERFILE.onlyRuntime("ENTRYPOINT").jsonArguments());
        entrypoint.set(0, layout.path(entrypoint.get(0)).toString());
        entrypoint.add("serve"); // as SageMaker runs the image
        ProcessBuilder builder = new ProcessBuilder(entrypoint)
                .directory(app.toFile())
                .redirectErrorStream(true);
        output = app.getParent().resolve("server.log");
        builder.redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
        server = builder.start();
        base = URI.create("http://127.0.0.1:" + port);
        awaitReady();
    }

    @AfterAll
    static void stopTheServer() throws Exception {
        if (server != null) {
            server.destroy();
            boolean stopped = server.waitFor(60, TimeUnit.SECONDS);
            if (!stopped) {
                server.destroyForcibly().waitFor();
            }
            assertThat(stopped).as("the server stops on SIGTERM (the entrypoint execs java)").isTrue();
        }
    }

    @Test
    void theRunnableJarRegistersTheProvidersOfEveryModule() throws Exception {
        // a shaded jar that does not merge META-INF/services keeps one module's file and silently
        // loses the other providers
        Path root = ProjectLayout.root();
        int registrations = 0;
        try (ZipFile jar = new ZipFile(root.resolve(DockerfileTest.SERVER_JAR).toFile())) {
            for (String module : ProjectLayout.publishedModules()) {
                Path services = root.resolve(module).resolve("src/main/resources/META-INF/services");
                if (!Files.isDirectory(services)) {
                    continue;
                }
                try (var files = Files.list(services)) {
                    for (Path file : (Iterable<Path>) files::iterator) {
                        ZipEntry merged = jar.getEntry("META-INF/services/" + file.getFileName());
                        assertThat(merged).as("%s in %s", file.getFileName(), DockerfileTest.SERVER_JAR).isNotNull();
                        String inJar = new String(jar.getInputStream(merged).readAllBytes(), StandardCharsets.UTF_8);
                        for (String provider : Files.readAllLines(file)) {
                            if (!provider.isBlank() && !provider.startsWith("#")) {
                                assertThat(inJar.lines()).as("providers of %s in the runnable jar", file.getFileName())
                                        .contains(provider.strip());
                                registrations++;
                            }
                        }
                    }
                }
            }
        }
        assertThat(registrations).as("provider registrations found in the modules").isGreaterThanOrEqualTo(2);
    }

    @Test
    void everyProbeOfTheDeploymentAnswers200() throws Exception {
        JsonNode container = KubernetesManifests.read().container();
        List<String> paths = new ArrayList<>();
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            paths.add(container.path(probe).path("httpGet").path("path").asText());
        }
        for (String path : paths) {
            assertThat(get(path).statusCode()).as("GET %s", path).isEqualTo(200);
        }
    }

    @Test
    void readsTheConfigMapFromWhereTheDeploymentMountsIt() throws Exception {
        // the startup log names the origin of every setting; [Limits] max_records is set only there
        assertThat(Files.readString(output)).containsPattern("max_records = 10000 .*project\\.properties");
    }

    @Test
    void answersSageMakersPingAndInvocations() throws Exception {
        assertThat(get("/ping").statusCode()).isEqualTo(200);
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/invocations"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"payload": [{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}],
                         "pipelineFilename": "iris/model.pmml", "implementation": "pmml"}"""))
                .timeout(Duration.ofSeconds(60))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = new ObjectMapper().readTree(response.body());
        assertThat(body.path("predictions")).hasSize(1);
        assertThat(body.path("classes")).hasSize(3);
    }

    @Test
    void theImagesHealthcheckSeesItHealthy() throws Exception {
        List<String> command = new ArrayList<>(DockerfileTest.DOCKERFILE.onlyRuntime("HEALTHCHECK").arguments()
                .replaceFirst("^.*?CMD\\s+", "").transform(Dockerfile::parseJson));
        command.set(0, layout.path(command.get(0)).toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PORT", Integer.toString(base.getPort()));
        Process check = builder.start();
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).isZero();
    }

    private static void awaitReady() throws Exception {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!server.isAlive()) {
                throw new AssertionError("the server exited with " + server.exitValue() + ":\n" + Files.readString(output));
            }
            try {
                if (get("/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not ready within " + READY_TIMEOUT + ":\n" + Files.readString(output));
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The runtime stage's ENV, e.g. {@code PORT=8080}. */
    private static Map<String, String> imageEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        for (Dockerfile.Instruction env : DockerfileTest.DOCKERFILE.runtime("ENV")) {
            Matcher matcher = ENV_ENTRY.matcher(env.arguments());
            while (matcher.find()) {
                environment.put(matcher.group(1), matcher.group(2).replaceAll("^\"|\"$", ""));
            }
        }
        return environment;
    }

    /** The jar path the entrypoint script uses when {@code PRONTO_JAR} is not set. */
    private static String entrypointDefaultJar(ImageLayout layout) throws IOException {
        Matcher matcher = DEFAULT_JAR.matcher(Files.readString(layout.path("/app/bin/entrypoint.sh")));
        assertThat(matcher.find()).as("entrypoint.sh names its default jar as ${PRONTO_JAR:-...}").isTrue();
        return matcher.group(1);
    }

    /** Container paths under /app moved into the stand-in folder. */
    private static String inApp(String text, Path app) {
        return text.replace("/app/", app + "/");
    }
}
