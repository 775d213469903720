package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.pronto.inference.InferenceEngine;
import dev.pronto.storage.azure.testing.Azurite;
import dev.pronto.storage.azure.testing.SharedAzurite;

/**
 * The server configured with the seed's {@code [Azure]} section and {@code [Azure Credentials]},
 * serving a model uploaded with the Azure SDK to a real Azure Blob Storage (Azurite on 127.0.0.1,
 * shared keys checked), and serving it on while Azurite is stopped.
 */
@ExtendWith(SharedAzurite.class)
class AzureServerIT {

    private static final String CONTAINER = "models";
    private static final String LOCATION = "/az-" + CONTAINER + "/iris/model.pmml";
    private static final String REQUEST = TestServer.SEED_EXAMPLE.replace("\"iris/model.pmml\"", "\"" + LOCATION + "\"");

    @TempDir
    Path dir;

    private InferenceEngine engine;
    private TestServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    /** Uploads the example model and starts the server from seed-format files, as {@code Main} does. */
    private void startServer(Azurite azurite, String accountKey) throws Exception {
        azurite.container(CONTAINER).getBlobClient("iris/model.pmml").uploadFromFile(TestServer.IRIS.toString(), true);
        Path project = Files.writeString(dir.resolve("project.properties"), """
                [Azure]
                Azure_local_folder_path = %s
                storage_account_name = %s

                [Engine]
                storage.azure.containers = %s
                storage.azure.endpoint = %s
                storage.azure.revalidate-interval = 0
                storage.azure.max-tries = 2
                storage.azure.retry-delay = 100ms

                [Cache]
                revalidate_interval = 100ms
                """.formatted(dir.resolve("cache"), Azurite.ACCOUNT, CONTAINER, azurite.endpoint()));
        Path credentials = Files.writeString(dir.resolve("credentials.properties"), """
                [Azure Credentials]
                account_key = %s
                """.formatted(accountKey));
        ServerConfig config = ServerConfig.load(List.of("--config", project.toString(), "--credentials",
                credentials.toString()), Map.of(), InstalledStorage.named("nas", "azure"));
        engine = InferenceEngine.create(config.engineConfig());
        server = TestServer.start(engine, config.settings());
    }

    @Test
    void servesAModelFromAzureAndKeepsServingItWhileAzuriteIsStopped() throws Exception {
        try (Azurite own = Azurite.start()) {
            startServer(own, Azurite.KEY);
            TestServer.Response first = server.post("/invocations", REQUEST);
            assertThat(first.status()).as(first.body()).isEqualTo(200);
            assertThat(first.json().get("predictions").toString()).isEqualTo("[0,2]");
            assertThat(dir.resolve("cache/az/models/iris/model.pmml")).hasSameBinaryContentAs(TestServer.IRIS);

            own.stop();
            server.assertKeepsServingStale(engine, REQUEST, first);
            // a blob never fetched has no local copy to fall back on
            TestServer.assertError(server.post("/invocations", REQUEST.replace("iris/model.pmml", "other/model.pmml")),
                    503, "storage_unavailable", null, null);
        }
    }

    @Test
    void containerNotConfiguredIs403(Azurite azurite) throws Exception {
        startServer(azurite, Azurite.KEY);

        TestServer.assertError(server.post("/invocations", REQUEST.replace("/az-models/", "/az-other/")),
                403, "access_denied", "pipelineFilename", null);
    }

    @Test
    void missingBlobIs404(Azurite azurite) throws Exception {
        startServer(azurite, Azurite.KEY);

        TestServer.assertError(server.post("/invocations", REQUEST.replace("iris/model.pmml", "nope/model.pmml")),
                404, "model_not_found", null, null);
    }

    @Test
    void wrongKeyIs403WithoutTheKey(Azurite azurite) throws Exception {
        String wrongKey = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODk=";
        startServer(azurite, wrongKey);

        TestServer.Response response = server.post("/invocations", REQUEST);
        TestServer.assertError(response, 403, "access_denied", "pipelineFilename", null);
        assertThat(response.body()).contains("Azure Blob Storage refused the configured credentials")
                .doesNotContain(wrongKey).doesNotContain(Azurite.KEY).doesNotContainIgnoringCase("signature");
    }
}
