package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pronto.storage.azure.testing.Azurite;
import dev.pronto.storage.azure.testing.SharedAzurite;

/**
 * The runnable jar as operators start it: with the seed's configuration files found through
 * {@code DEPLOY_ENV}, its log file named as the seed named it, and a graceful stop on SIGTERM.
 */
@ExtendWith(SharedAzurite.class)
class ServerProcessIT {

    private static final Path JAR = Path.of("target", "pronto-server.jar").toAbsolutePath();
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

    @TempDir
    Path dir;
    private Process process;
    private final List<String> output = new ArrayList<>();

    @AfterEach
    void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    @Test
    void seedConfigurationStartsTheServerAndSigtermStopsItGracefully() throws Exception {
        Path models = Path.of("..", "examples", "models").toAbsolutePath().normalize();
        Path logs = dir.resolve("logs");
        writeConfig("""
                [S3]
                S3_local_folder_path = %s
                [Azure]
                Azure_local_folder_path = /tmp/az/
                storage_account_name = account
                [NAS]
                NAS_local_folder_path = %s
                [Logs]
                logger_default_name = RTPE
                log_file_path = %s/
                log_file_prefix = rtpe
                log_time_rotator = midnight
                log_time_interval = 1
                log_level_file = INFO
                log_level_console = INFO
                logger_type = TimedRotatingFileHandler
                [Server]
                host = 127.0.0.1
                port = 0
                [Models]
                iris = iris/model.pmml
                iris_pickle = iris/iris.pickle
                """.formatted(dir.resolve("s3"), models, logs), """
                [AWS Credentials]
                access_key = AKIAPROCESSTEST
                secret_key = process-s3cr3t
                [Azure Credentials]
                account_key = process-azure-s3cr3t
                """);
        BlockingQueue<String> lines = start();

        int port = awaitPort(lines);
        awaitLine(lines, "Main: ready");
        HttpResponse<String> ping = send(port, HttpRequest.newBuilder(uri(port, "/ping")).GET());
        HttpResponse<String> answer = send(port, HttpRequest.newBuilder(uri(port, "/invocations"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(TestServer.SEED_EXAMPLE)));
        HttpResponse<String> model = send(port, HttpRequest.newBuilder(uri(port, "/models/iris")).GET());
        HttpResponse<String> converted = send(port, HttpRequest.newBuilder(uri(port, "/models/iris_pickle/pmml")).GET());

        assertThat(ping.statusCode()).isEqualTo(200);
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode body = ServerApp.MAPPER.readTree(answer.body());
        assertThat(body.get("classes").toString()).isEqualTo("[0,1,2]");
        assertThat(body.get("predictions_prob")).hasSize(2);
        assertThat(ServerApp.MAPPER.readTree(model.body()).get("name").asText()).isEqualTo("iris");
        assertThat(converted.statusCode()).isEqualTo(200);
        assertThat(converted.body()).contains("<PMML");
        // by default the converted document is kept inside the S3 file cache, for the next start
        try (var kept = Files.walk(dir.resolve("s3").resolve(".converted-pmml"))) {
            assertThat(kept.filter(file -> file.toString().endsWith(".pmml"))).hasSize(1);
        }

        process.destroy(); // SIGTERM
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(143);

        Path logFile = logs.resolve("rtpe-id-it-host_" + process.pid() + ".log");
        assertThat(logFile).exists();
        String log = Files.readString(logFile);
        assertThat(log).contains("model \"iris\" ready", "model \"iris_pickle\" ready", "pipeline formats [onnx, pmml, sklearn]",
                "POST /invocations 200", "stopping", "stopped", "[AWS Credentials] secret_key = ****");
        // the converter's warnings on every conversion stay out of the log
        assertThat(log).doesNotContain("sklearn2pmml", "verification data");
        assertThat(log).doesNotContain("process-s3cr3t", "AKIAPROCESSTEST", "process-azure-s3cr3t", "sepal_length");
    }

    /** The jar finds the Azure provider (merged service files) and maps the seed's Azure keys; the rest is in AzureServerIT. */
    @Test
    void seedAzureSectionAndCredentialsServeAModelFromAzurite(Azurite azurite) throws Exception {
        azurite.container("models").getBlobClient("iris/model.pmml").uploadFromFile(TestServer.IRIS.toString(), true);
        Path cache = dir.resolve("az-cache");
        writeConfig("""
                [Azure]
                Azure_local_folder_path = %s
                storage_account_name = %s
                [Server]
                host = 127.0.0.1
                port = 0
                [Engine]
                storage.azure.endpoint = %s
                storage.azure.containers = models
                [Models]
                iris = /az-models/iris/model.pmml
                """.formatted(cache, Azurite.ACCOUNT, azurite.endpoint()), """
                [Azure Credentials]
                account_key = %s
                """.formatted(Azurite.KEY));
        BlockingQueue<String> lines = start();

        int port = awaitPort(lines);
        awaitLine(lines, "Main: ready");
        HttpResponse<String> answer = send(port, HttpRequest.newBuilder(uri(port, "/invocations"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(TestServer.SEED_EXAMPLE
                        .replace("\"iris/model.pmml\"", "\"/az-models/iris/model.pmml\""))));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode body = ServerApp.MAPPER.readTree(answer.body());
        assertThat(body.get("predictions").toString()).isEqualTo("[0,2]");
        assertThat(body.get("classes").toString()).isEqualTo("[0,1,2]");
        assertThat(cache.resolve("az/models/iris/model.pmml")).hasSameBinaryContentAs(TestServer.IRIS);

        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        synchronized (output) {
            assertThat(String.join("\n", output)).contains("model \"iris\" ready").doesNotContain(Azurite.KEY);
        }
    }

    @Test
    void invalidConfigurationStopsStartupWithOneLineNamingFileSectionAndKey() throws Exception {
        writeConfig("[NAS]\nNAS_local_folder_path = /tmp\n[Limits]\nmax_recrods = 10\n", null);

        start();

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        Thread.sleep(100); // let the reader thread drain the pipe
        assertThat(output).hasSize(1);
        assertThat(output.get(0)).startsWith("pronto: invalid configuration: "
                + Path.of("configs", "it", "project.properties") + " [Limits] max_recrods: unknown key");
    }

    @Test
    void modelThatCannotBeLoadedAtStartupStopsTheServer() throws Exception {
        writeConfig("[NAS]\nNAS_local_folder_path = %s\n[Server]\nport = 0\nhost = 127.0.0.1\n[Models]\nmissing = iris/v9.pmml\n"
                .formatted(dir), null);

        start();

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(String.join("\n", output)).contains("[Models] missing: cannot load the model: model not found");
    }

    private void writeConfig(String project, String credentials) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("configs").resolve("it"));
        Files.writeString(folder.resolve("project.properties"), project);
        if (credentials != null) {
            Files.writeString(folder.resolve("credentials.properties"), credentials);
        }
    }

    private BlockingQueue<String> start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("DEPLOY_ENV", "it");
        builder.environment().put("HOSTNAME", "it-host");
        builder.environment().keySet().removeIf(name -> name.startsWith("PRONTO_") || name.equals("PORT") || name.equals("HOST"));
        process = builder.start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    synchronized (output) {
                        output.add(line);
                    }
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private int awaitPort(BlockingQueue<String> lines) throws InterruptedException {
        Matcher m = LISTENING.matcher(awaitLine(lines, "listening on"));
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private String awaitLine(BlockingQueue<String> lines, String text) throws InterruptedException {
        while (true) {
            String line = lines.poll(60, TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("the server never logged \"" + text + "\"; output: " + output);
            }
            if (line.contains(text)) {
                return line;
            }
        }
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpResponse<String> send(int port, HttpRequest.Builder request) throws Exception {
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
