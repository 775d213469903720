package dev.pronto.server;

import static dev.pronto.server.TestServer.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.pmml.PmmlPipelineProvider;
import dev.pronto.inference.testing.InMemoryStorageProvider;

/**
 * Probes, timeouts, storage outages, our own defects and graceful shutdown, over a real socket,
 * with the in-memory storage fake standing in for a slow or unreachable store.
 */
class LifecycleTest {

    private final InMemoryStorageProvider storage = new InMemoryStorageProvider();
    private InferenceEngine engine;
    private TestServer server;

    private TestServer start(ServerSettings settings) {
        try {
            storage.put("iris/model.pmml", Files.readAllBytes(TestServer.IRIS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        storage.put("defect/model.boom", new byte[] {1});
        engine = InferenceEngine.builder().discoverProviders(false).storageProvider(storage)
                .pipelineProvider(new PmmlPipelineProvider()).pipelineProvider(new FailingPipelineProvider("boom", () -> {
                    throw new IllegalStateException("defect reading /srv/secret/state");
                })).build();
        server = TestServer.start(engine, settings);
        return server;
    }

    @AfterEach
    void stop() {
        server.close();
        engine.close();
    }

    @Test
    void probesFollowTheServersPhase() {
        start(ServerSettings.defaults());
        server.state.stopping();
        assertThat(server.get("/ping").status()).isEqualTo(503);
        assertThat(server.get("/health/ready").json().get("status").asText()).isEqualTo("stopping");
        assertThat(server.get("/health/live").status()).isEqualTo(200);
    }

    @Test
    void probesSayReadyOnlyOnceReady() {
        ServerState state = new ServerState();
        start(ServerSettings.defaults());
        io.javalin.Javalin app = ServerApp.createApp(engine, state, AppOptions.defaults());
        app.start("127.0.0.1", 0);
        try {
            TestServer client = TestServer.attach(app);
            assertThat(client.get("/ping").status()).isEqualTo(503);
            assertThat(client.get("/health/ready").json().get("status").asText()).isEqualTo("starting");
            assertThat(client.get("/health/live").status()).isEqualTo(200);
            state.ready();
            assertThat(client.get("/ping").status()).isEqualTo(200);
            assertThat(client.get("/health/ready").json().get("status").asText()).isEqualTo("ready");
        } finally {
            app.stop();
        }
    }

    @Test
    void unreachableStorageWithoutACopyIs503() {
        start(ServerSettings.defaults());
        storage.setDown(true);

        TestServer.Response response = server.post("/invocations", TestServer.SEED_EXAMPLE);

        assertError(response, 503, "storage_unavailable", null, null);
        assertThat(response.header("Retry-After")).isNotNull();
        assertThat(response.body()).doesNotContain("connection refused");
        storage.setDown(false);
        assertThat(server.post("/invocations", TestServer.SEED_EXAMPLE).status()).isEqualTo(200);
    }

    @Test
    void readinessNamesModelsServingAPossiblyStaleCopy() {
        start(ServerSettings.defaults());
        assertThat(server.post("/invocations", TestServer.SEED_EXAMPLE).status()).isEqualTo(200);
        assertThat(server.get("/health/ready").json().has("staleModels")).isFalse();

        storage.setDown(true);
        engine.revalidate();

        TestServer.Response ready = server.get("/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("staleModels").get(0).get("location").asText()).isEqualTo("file:iris/model.pmml");
        assertThat(ready.json().get("staleModels").get(0).get("reason").asText()).contains("cannot be reached");
        assertThat(server.post("/invocations", TestServer.SEED_EXAMPLE).status()).isEqualTo(200);

        storage.setDown(false);
        engine.revalidate();
        assertThat(server.get("/health/ready").json().has("staleModels")).isFalse();
    }

    @Test
    void requestOverTheTimeoutIs503AndTheModelIsReadyForTheRetry() throws Exception {
        start(ServerSettings.defaults().withLimits(ServerSettings.DEFAULT_MAX_BODY_BYTES, 100, Duration.ofMillis(200)));
        storage.setOpenDelayMillis(1500);

        TestServer.Response response = server.post("/invocations", TestServer.SEED_EXAMPLE);
        assertError(response, 503, "timeout", null, null);
        assertThat(response.header("Retry-After")).isEqualTo("5");

        // the load went on in the background; once it is in memory the same request succeeds
        storage.setOpenDelayMillis(0);
        awaitLoaded();
        assertThat(server.post("/invocations", TestServer.SEED_EXAMPLE).status()).isEqualTo(200);
        assertThat(storage.opens()).isEqualTo(1);
    }

    @Test
    void concurrentFirstRequestsForAColdModelLoadItOnceAndAllSucceed() throws Exception {
        start(ServerSettings.defaults());
        // keeps the first load in progress while the other requests arrive, so they must wait for it
        storage.setOpenDelayMillis(500);
        int clients = 64;
        ExecutorService senders = Executors.newFixedThreadPool(clients);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<TestServer.Response>> responses = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                responses.add(senders.submit(() -> {
                    go.await();
                    return server.post("/invocations", TestServer.SEED_EXAMPLE);
                }));
            }
            go.countDown();
            for (Future<TestServer.Response> future : responses) {
                TestServer.Response response = future.get(60, TimeUnit.SECONDS);
                assertThat(response.status()).as(response.body()).isEqualTo(200);
                assertThat(response.json().get("predictions").toString()).isEqualTo("[0,2]");
            }
        } finally {
            senders.shutdownNow();
        }
        assertThat(storage.opens()).isEqualTo(1);
        assertThat(engine.models()).hasSize(1);
    }

    @Test
    void ourOwnDefectIs500WithoutDetails() {
        start(ServerSettings.defaults());

        TestServer.Response response = server.post("/invocations",
                TestServer.SEED_EXAMPLE.replace("iris/model.pmml", "defect/model.boom"));

        assertError(response, 500, "internal_error", null, 0);
        assertThat(response.body()).doesNotContain("IllegalStateException", "/srv/secret");
    }

    @Test
    void stoppingLetsRequestsInFlightFinish() throws Exception {
        start(ServerSettings.defaults());
        storage.setOpenDelayMillis(1000);
        CompletableFuture<TestServer.Response> inFlight =
                CompletableFuture.supplyAsync(() -> server.post("/invocations", TestServer.SEED_EXAMPLE));
        while (storage.opens() == 0) {
            Thread.sleep(10);
        }

        server.state.stopping();
        server.app.stop();

        TestServer.Response response = inFlight.get(30, TimeUnit.SECONDS);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("predictions").toString()).isEqualTo("[0,2]");
    }

    private void awaitLoaded() throws InterruptedException {
        for (int i = 0; i < 3000 && engine.models().isEmpty(); i++) {
            Thread.sleep(10);
        }
    }
}
