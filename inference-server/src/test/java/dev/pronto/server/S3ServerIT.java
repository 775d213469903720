package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pronto.inference.InferenceEngine;
import dev.pronto.storage.s3.testing.S3ProxyServer;

/**
 * The server configured with the seed's {@code [S3]} section and {@code [AWS Credentials]}, serving
 * a model uploaded with an ordinary S3 client to a real S3 server (S3Proxy on 127.0.0.1, signatures
 * checked), and serving it on while that S3 server is stopped.
 */
class S3ServerIT {

    private static final String LOCATION = "/s3-" + S3ProxyServer.BUCKET + "/iris/model.pmml";
    private static final String REQUEST = TestServer.SEED_EXAMPLE.replace("\"iris/model.pmml\"", "\"" + LOCATION + "\"");

    @TempDir
    Path dir;

    private S3ProxyServer s3;
    private InferenceEngine engine;
    private TestServer server;

    @BeforeEach
    void startS3() throws Exception {
        s3 = new S3ProxyServer(Files.createDirectories(dir.resolve("s3")));
        s3.put("iris/model.pmml", Files.readAllBytes(TestServer.IRIS));
    }

    @AfterEach
    void stopAll() throws Exception {
        if (server != null) {
            server.close();
        }
        if (engine != null) {
            engine.close();
        }
        s3.close();
    }

    /** Starts the server from seed-format files, as {@code Main} does. */
    private void startServer(String secretKey) throws Exception {
        Path project = Files.writeString(dir.resolve("project.properties"), """
                [S3]
                S3_local_folder_path = %s
                default_bucket_name = models

                [Engine]
                storage.s3.buckets = %s
                storage.s3.endpoint = %s
                storage.s3.path-style = true
                storage.s3.region = us-east-1
                storage.s3.revalidate-interval = 0
                storage.s3.max-attempts = 2

                [Cache]
                revalidate_interval = 100ms
                """.formatted(dir.resolve("cache"), S3ProxyServer.BUCKET, s3.endpoint()));
        Path credentials = Files.writeString(dir.resolve("credentials.properties"), """
                [AWS Credentials]
                access_key = %s
                secret_key = %s
                """.formatted(S3ProxyServer.ACCESS_KEY, secretKey));
        ServerConfig config = ServerConfig.load(List.of("--config", project.toString(), "--credentials",
                credentials.toString()), Map.of(), InstalledStorage.named("nas", "s3"));
        engine = InferenceEngine.create(config.engineConfig());
        server = TestServer.start(engine, config.settings());
    }

    @Test
    void servesAModelFromS3AndKeepsServingItWhileS3IsStopped() throws Exception {
        startServer(S3ProxyServer.SECRET_KEY);
        TestServer.Response first = server.post("/invocations", REQUEST);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().get("predictions")).hasSize(2);

        s3.stop();
        server.assertKeepsServingStale(engine, REQUEST, first);
    }

    /** A location the allow-list refuses is the client's mistake: no warning for the operator. */
    @Test
    void bucketNotConfiguredIs403() throws Exception {
        startServer(S3ProxyServer.SECRET_KEY);
        var log = FailureIsolationTest.capture("dev.pronto.server.HttpErrors");
        try {
            TestServer.assertError(server.post("/invocations", REQUEST.replace("/s3-models/", "/s3-other/")),
                    403, "access_denied", "pipelineFilename", null);
            assertThat(log.list).isEmpty();
        } finally {
            FailureIsolationTest.release(log, "dev.pronto.server.HttpErrors");
        }
    }

    @Test
    void missingObjectIs404() throws Exception {
        startServer(S3ProxyServer.SECRET_KEY);

        TestServer.assertError(server.post("/invocations", REQUEST.replace("iris/model.pmml", "nope/model.pmml")),
                404, "model_not_found", null, null);
    }

    @Test
    void stoppedS3WithoutACachedCopyIs503() throws Exception {
        startServer(S3ProxyServer.SECRET_KEY);
        s3.stop();

        TestServer.assertError(server.post("/invocations", REQUEST), 503, "storage_unavailable", null, null);
    }

    @Test
    void wrongSecretIs403WithoutTheSecret() throws Exception {
        startServer("not-the-secret");

        var log = FailureIsolationTest.capture("dev.pronto.server.HttpErrors");
        try {
            TestServer.Response response = server.post("/invocations", REQUEST);
            TestServer.assertError(response, 403, "access_denied", "pipelineFilename", null);
            assertThat(response.body()).contains("S3 refused access").doesNotContain("not-the-secret")
                    .doesNotContain(S3ProxyServer.ACCESS_KEY);
            // issue 13 finding 10: the store refusing the credentials is for the operator to fix
            assertThat(log.list).anySatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
                assertThat(event.getFormattedMessage()).contains(response.header("X-Request-Id"), "S3 refused access");
            });
        } finally {
            FailureIsolationTest.release(log, "dev.pronto.server.HttpErrors");
        }
    }
}
