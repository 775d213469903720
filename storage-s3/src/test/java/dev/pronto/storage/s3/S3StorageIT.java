package dev.pronto.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelInfo;
import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.Prediction;
import dev.pronto.inference.internal.StorageFactory;
import dev.pronto.inference.spi.Storage;
import dev.pronto.inference.testing.ConformanceCorpus;
import dev.pronto.storage.s3.testing.S3ProxyServer;

/**
 * The S3 storage under the engine, against a real S3 server (S3Proxy on 127.0.0.1, signatures
 * checked). Requests are counted with an SDK interceptor on the storage's own client.
 */
class S3StorageIT {

    private static final String KEY = "iris/model.pmml";
    private static final String SEED_LOCATION = "/s3-" + S3ProxyServer.BUCKET + "/" + KEY;
    private static final String URI_LOCATION = "s3://" + S3ProxyServer.BUCKET + "/" + KEY;
    private static final ConformanceCorpus.Case TREE = corpusCase("sklearn-DecisionTreeIris");
    private static final ConformanceCorpus.Case LOGISTIC = corpusCase("sklearn-MultinomialLogisticRegressionIris");

    @TempDir
    Path s3Folder;
    @TempDir
    Path cacheFolder;

    private S3ProxyServer s3;
    private final RequestCounter requests = new RequestCounter();
    private final List<InferenceEngine> engines = new ArrayList<>();

    @BeforeEach
    void startS3() throws Exception {
        s3 = new S3ProxyServer(s3Folder);
        s3.put(KEY, TREE.model());
    }

    @AfterEach
    void stopEverything() throws Exception {
        engines.forEach(InferenceEngine::close);
        s3.close();
    }

    private static ConformanceCorpus.Case corpusCase(String name) {
        return ConformanceCorpus.cases().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    /** An engine reading S3 through the file cache, with extra engine keys; {@code storage.s3.} keys without prefix. */
    private InferenceEngine engine(Map<String, String> s3Keys, Map<String, String> engineKeys) {
        InferenceEngine.Builder builder = InferenceEngine.builder().storageProvider(new S3StorageProvider(List.of(requests)));
        s3.storageConfig().forEach((key, value) -> builder.config("storage.s3." + key, value));
        builder.config("storage.s3.local-folder", cacheFolder.toString());
        s3Keys.forEach((key, value) -> builder.config("storage.s3." + key, value));
        builder.config(engineKeys);
        InferenceEngine engine = builder.build();
        engines.add(engine);
        return engine;
    }

    private static Map<String, Object> record(ConformanceCorpus.Case model, int row) {
        Map<String, Object> record = new java.util.LinkedHashMap<>(model.inputs().get(row));
        record.remove("Species"); // the label column of the input file is not a model input
        return record;
    }

    private static void assertMatchesCorpus(ConformanceCorpus.Case model, int row, Prediction prediction) {
        String expected = (String) model.expected().get(row).get("Species");
        assertThat(model.mismatch("Species", expected, prediction.value())).isNull();
    }

    @Test
    void loadsAndPredictsInBothLocationForms() {
        InferenceEngine engine = engine(Map.of(), Map.of());

        for (int row = 0; row < 10; row++) {
            assertMatchesCorpus(TREE, row, engine.predict(SEED_LOCATION, record(TREE, row)));
            assertMatchesCorpus(TREE, row, engine.predict(URI_LOCATION, record(TREE, row)));
        }
        ModelInfo info = engine.model(SEED_LOCATION);
        assertThat(info.location().toString()).isEqualTo(URI_LOCATION);
        assertThat(engine.status(info).problem()).isEmpty();
        assertThat(cacheFolder.resolve("s3/" + S3ProxyServer.BUCKET + "/" + KEY)).hasBinaryContent(TREE.model());
    }

    @Test
    void providerIsFoundThroughServiceLoader() {
        Map<String, String> config = new java.util.LinkedHashMap<>();
        s3.storageConfig().forEach((key, value) -> config.put("storage.s3." + key, value));
        try (InferenceEngine engine = InferenceEngine.create(config)) {
            assertThat(engine.schemes()).contains("s3");
            assertMatchesCorpus(TREE, 0, engine.predict(SEED_LOCATION, record(TREE, 0)));
        }
    }

    @Test
    void cacheHitMakesNoRequest() {
        // the engine asks the storage on every use; the file cache answers without S3 for an hour
        InferenceEngine engine = engine(Map.of("revalidate-interval", "1h"), Map.of("cache.revalidate-interval", "1ms"));
        engine.predict(SEED_LOCATION, record(TREE, 0));
        assertThat(requests.sent()).containsExactly("HeadObject", "GetObject");
        requests.reset();

        for (int row = 0; row < 20; row++) {
            assertMatchesCorpus(TREE, row, engine.predict(SEED_LOCATION, record(TREE, row)));
        }
        engine.revalidate();

        assertThat(requests.sent()).isEmpty();
    }

    @Test
    void restartWithAWarmCacheChecksTheVersionButDoesNotDownloadAgain() {
        engine(Map.of(), Map.of()).predict(SEED_LOCATION, record(TREE, 0));
        engines.remove(0).close();
        requests.reset();

        InferenceEngine restarted = engine(Map.of(), Map.of());
        assertMatchesCorpus(TREE, 1, restarted.predict(SEED_LOCATION, record(TREE, 1)));

        assertThat(requests.sent()).containsExactly("HeadObject");
    }

    @Test
    void replacedObjectGivesNewPredictionsAfterRevalidation() {
        InferenceEngine engine = engine(Map.of("revalidate-interval", "0"), Map.of("cache.revalidate-interval", "0"));
        Prediction before = engine.predict(SEED_LOCATION, record(TREE, 0));
        String treeVersion = engine.model(SEED_LOCATION).version();

        s3.put(KEY, LOGISTIC.model());
        engine.revalidate();

        Prediction after = engine.predict(SEED_LOCATION, record(LOGISTIC, 0));
        assertThat(after.probabilities()).isNotEqualTo(before.probabilities());
        for (int row = 0; row < 10; row++) {
            assertMatchesCorpus(LOGISTIC, row, engine.predict(SEED_LOCATION, record(LOGISTIC, row)));
        }
        ModelInfo info = engine.model(SEED_LOCATION);
        assertThat(info.version()).isNotEqualTo(treeVersion);
        assertThat(cacheFolder.resolve("s3/" + S3ProxyServer.BUCKET + "/" + KEY)).hasBinaryContent(LOGISTIC.model());
    }

    @Test
    void stoppedS3LeavesTheCachedModelServingWithZeroFailedRequests() throws Exception {
        // check S3 on every use of the model, so the outage is noticed while requests are served
        InferenceEngine engine = engine(Map.of("revalidate-interval", "0"), Map.of("cache.revalidate-interval", "1ms"));
        engine.predict(SEED_LOCATION, record(TREE, 0));

        s3.stop();
        int failed = 0;
        for (int i = 0; i < 200; i++) {
            try {
                assertMatchesCorpus(TREE, i % 50, engine.predict(SEED_LOCATION, record(TREE, i % 50)));
            } catch (InferenceException e) {
                failed++;
            }
            if (i % 50 == 0) {
                engine.revalidate();
            }
        }

        assertThat(failed).isZero();
        assertThat(engine.models()).singleElement().satisfies(info -> assertThat(engine.status(info).problem()).get()
                .asString().contains("could not be reached").doesNotContain(cacheFolder.toString()));
    }

    @Test
    void restartWithAWarmCacheServesWhileS3IsDown() throws Exception {
        Prediction before = engine(Map.of(), Map.of()).predict(SEED_LOCATION, record(TREE, 0));
        engines.remove(0).close();
        s3.stop();
        requests.reset();

        InferenceEngine restarted = engine(Map.of(), Map.of());

        assertThat(restarted.predict(SEED_LOCATION, record(TREE, 0))).isEqualTo(before);
        assertThat(restarted.status(restarted.model(SEED_LOCATION)).problem()).get().asString()
                .contains("may be out of date");
        assertThat(requests.count("GetObject")).isZero();
    }

    @Test
    void stoppedS3WithoutACachedCopyIsUnavailable() throws Exception {
        InferenceEngine engine = engine(Map.of(), Map.of());
        s3.stop();

        assertThatThrownBy(() -> engine.predict(SEED_LOCATION, record(TREE, 0)))
                .isInstanceOfSatisfying(InferenceException.class,
                        e -> assertThat(e.category()).isEqualTo(ErrorCategory.UNAVAILABLE));
    }

    @Test
    void wrongCredentialsAreAClearAccessDeniedWithoutSecrets() {
        InferenceEngine engine = engine(Map.of("secret-access-key", "not-the-secret-key"), Map.of());

        assertThatThrownBy(() -> engine.predict(SEED_LOCATION, record(TREE, 0)))
                .isInstanceOfSatisfying(InferenceException.class, e -> {
                    assertThat(e.category()).isEqualTo(ErrorCategory.ACCESS_DENIED);
                    assertThat(e.getMessage()).contains("S3 refused access to bucket \"models\"")
                            .doesNotContain("not-the-secret-key").doesNotContain(S3ProxyServer.ACCESS_KEY)
                            .doesNotContain("Signature=").doesNotContain(cacheFolder.toString());
                });
        assertThat(requests.sent()).isNotEmpty();
    }

    @Test
    void wrongCredentialsOnGetObjectAreAccessDeniedToo() throws Exception {
        Map<String, String> config = s3.storageConfig();
        config.put("secret-access-key", "not-the-secret-key");
        try (Storage storage = new S3StorageProvider().create(config)) {
            assertThatThrownBy(() -> storage.open(ModelLocation.parse(SEED_LOCATION)).close())
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("SignatureDoesNotMatch")
                    .hasMessageNotContaining("not-the-secret-key");
        }
    }

    @Test
    void bucketNotAllowedIsRefusedWithNoRequestSent() {
        s3.client().createBucket(b -> b.bucket("secrets"));
        s3.client().putObject(b -> b.bucket("secrets").key(KEY),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(TREE.model()));
        InferenceEngine engine = engine(Map.of(), Map.of());

        assertThatThrownBy(() -> engine.predict("/s3-secrets/" + KEY, record(TREE, 0)))
                .isInstanceOfSatisfying(InferenceException.class, e -> {
                    assertThat(e.category()).isEqualTo(ErrorCategory.ACCESS_DENIED);
                    assertThat(e.getMessage()).contains("bucket \"secrets\" is not one of the buckets");
                });
        assertThat(requests.sent()).isEmpty();
        assertThat(cacheFolder.resolve("s3/secrets")).doesNotExist();
    }

    @Test
    void missingObjectIsNotFound() {
        InferenceEngine engine = engine(Map.of(), Map.of());

        assertThatThrownBy(() -> engine.predict("/s3-models/no/such/model.pmml", record(TREE, 0)))
                .isInstanceOfSatisfying(InferenceException.class,
                        e -> assertThat(e.category()).isEqualTo(ErrorCategory.NOT_FOUND));
    }

    @Test
    void concurrentFirstRequestsThroughTheEngineCauseOneDownload() throws Exception {
        InferenceEngine engine = engine(Map.of(), Map.of());

        List<Prediction> predictions = concurrently(8, () -> engine.predict(SEED_LOCATION, record(TREE, 0)));

        assertThat(predictions).allSatisfy(p -> assertMatchesCorpus(TREE, 0, p));
        assertThat(requests.count("GetObject")).isEqualTo(1);
    }

    @Test
    void concurrentFirstOpensOfTheCachedStorageCauseOneDownload() throws Exception {
        Map<String, String> config = s3.storageConfig();
        config.put("local-folder", cacheFolder.toString());
        try (Storage storage = StorageFactory.create(new S3StorageProvider(List.of(requests)), config)) {
            ModelLocation location = ModelLocation.parse(SEED_LOCATION);

            List<byte[]> contents = concurrently(8, () -> {
                try (InputStream in = storage.open(location)) {
                    return in.readAllBytes();
                }
            });

            assertThat(contents).allSatisfy(content -> assertThat(content).isEqualTo(TREE.model()));
            assertThat(requests.count("GetObject")).isEqualTo(1);
        }
    }

    private static <T> List<T> concurrently(int threads, Callable<T> task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
