package dev.pronto.server;

import static dev.pronto.server.ServerProcess.send;
import static dev.pronto.server.ServerProcess.uri;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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

    @TempDir
    Path dir;
    private ServerProcess server;

    @AfterEach
    void kill() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void seedConfigurationStartsTheServerAndSigtermStopsItGracefully() throws Exception {
        Path models = Path.of("..", "examples", "models").toAbsolutePath().normalize();
        Path logs = dir.resolve("logs");
        ServerProcess.writeConfig(dir, """
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
        server = ServerProcess.start(dir, List.of());

        int port = server.awaitPort();
        server.awaitLine("Main: ready");
        HttpResponse<String> ping = send(HttpRequest.newBuilder(uri(port, "/ping")).GET());
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri(port, "/invocations"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(TestServer.SEED_EXAMPLE)));
        HttpResponse<String> model = send(HttpRequest.newBuilder(uri(port, "/models/iris")).GET());
        HttpResponse<String> converted = send(HttpRequest.newBuilder(uri(port, "/models/iris_pickle/pmml")).GET());

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

        assertThat(server.stop()).isEqualTo(143); // SIGTERM

        Path logFile = logs.resolve("rtpe-id-it-host_" + server.process.pid() + ".log");
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
        ServerProcess.writeConfig(dir, """
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
        server = ServerProcess.start(dir, List.of());

        int port = server.awaitPort();
        server.awaitLine("Main: ready");
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri(port, "/invocations"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(TestServer.SEED_EXAMPLE
                        .replace("\"iris/model.pmml\"", "\"/az-models/iris/model.pmml\""))));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode body = ServerApp.MAPPER.readTree(answer.body());
        assertThat(body.get("predictions").toString()).isEqualTo("[0,2]");
        assertThat(body.get("classes").toString()).isEqualTo("[0,1,2]");
        assertThat(cache.resolve("az/models/iris/model.pmml")).hasSameBinaryContentAs(TestServer.IRIS);

        server.stop();
        assertThat(String.join("\n", server.output())).contains("model \"iris\" ready").doesNotContain(Azurite.KEY);
    }

    @Test
    void invalidConfigurationStopsStartupWithOneLineNamingFileSectionAndKey() throws Exception {
        ServerProcess.writeConfig(dir, "[NAS]\nNAS_local_folder_path = /tmp\n[Limits]\nmax_recrods = 10\n", null);

        server = ServerProcess.start(dir, List.of());

        assertThat(server.awaitExit()).isEqualTo(2);
        assertThat(server.output()).hasSize(1);
        assertThat(server.output().get(0)).startsWith("pronto: invalid configuration: "
                + Path.of("configs", "it", "project.properties") + " [Limits] max_recrods: unknown key");
    }

    @Test
    void modelThatCannotBeLoadedAtStartupStopsTheServer() throws Exception {
        ServerProcess.writeConfig(dir, "[NAS]\nNAS_local_folder_path = %s\n[Server]\nport = 0\nhost = 127.0.0.1\n[Models]\nmissing = iris/v9.pmml\n"
                .formatted(dir), null);

        server = ServerProcess.start(dir, List.of());

        assertThat(server.awaitExit()).isEqualTo(1);
        assertThat(String.join("\n", server.output())).contains("[Models] missing: cannot load the model: model not found");
    }
}
