package dev.pronto.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.pronto.inference.pmml.PmmlPipelineProvider;
import dev.pronto.inference.spi.Storage;
import dev.pronto.inference.spi.StorageProvider;
import dev.pronto.inference.testing.ConformanceCorpus;
import dev.pronto.inference.testing.InMemoryStorageProvider;

class InferenceEngineTest {

    static final byte[] IRIS = read(Path.of("../examples/models/iris/model.pmml"));
    static final byte[] IRIS_TREE = caseModel("sklearn-DecisionTreeIris");
    static final byte[] IRIS_FOREST = caseModel("sklearn-RandomForestIris");
    static final Map<String, Object> SETOSA = record(5.1, 3.5, 1.4, 0.2);
    static final Map<String, Object> ODD = record(2.1, 5.5, 6.4, 0.2);

    private final InMemoryStorageProvider storage = new InMemoryStorageProvider(Set.of("file", "s3"));
    private InferenceEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private InferenceEngine engine(Map<String, String> config) {
        engine = InferenceEngine.builder().discoverProviders(false).storageProvider(storage)
                .pipelineProvider(new PmmlPipelineProvider()).config(config).build();
        return engine;
    }

    @Test
    void predictsTheSeedExampleWithProbabilitiesInClassOrder() {
        storage.put("iris/model.pmml", IRIS);
        engine(Map.of());

        List<Prediction> predictions = engine.predict("iris/model.pmml", List.of(SETOSA, ODD));

        assertThat(predictions).hasSize(2);
        Prediction first = predictions.get(0);
        assertThat(first.value()).isEqualTo(0);
        assertThat(first.probabilities().keySet()).containsExactly(0, 1, 2);
        assertThat(first.probabilities().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0,
                org.assertj.core.data.Offset.offset(1e-12));
        assertThat(first.probabilities().get(0)).isGreaterThan(0.9);
        assertThat(first.fields()).containsKeys("species", "probability(0)", "probability(1)", "probability(2)");
        assertThat(predictions.get(1).value()).isIn(0, 1, 2);
    }

    @Test
    void offersNoConvertedDocumentForAModelThatIsPmmlItself() {
        storage.put("iris/model.pmml", IRIS);

        assertThat(engine(Map.of()).convertedPmml("iris/model.pmml")).isEmpty();
    }

    @Test
    void describesTheModelSchema() {
        storage.put("iris/model.pmml", IRIS);
        engine(Map.of());

        ModelInfo info = engine.model("iris/model.pmml");

        assertThat(info.format()).isEqualTo("pmml");
        assertThat(info.sizeBytes()).isEqualTo(IRIS.length);
        assertThat(info.sha256()).hasSize(64);
        assertThat(info.schema().function()).isEqualTo("classification");
        assertThat(info.schema().inputs()).extracting(InputFieldSchema::name)
                .containsExactly("sepal_length", "sepal_width", "petal_length", "petal_width");
        assertThat(info.schema().inputs().get(0).dataType()).isEqualTo("double");
        assertThat(info.schema().inputs().get(0).opType()).isEqualTo("continuous");
        assertThat(info.schema().classes()).containsExactly(0, 1, 2);
        assertThat(info.schema().targets().get(0).name()).isEqualTo("species");
        assertThat(info.schema().outputs()).extracting(OutputFieldSchema::feature).contains("probability");
    }

    @Test
    void reportsDecisionTreeLeafAndOneLeafPerTreeOfAForest() {
        storage.put("tree.pmml", IRIS_TREE).put("forest.pmml", IRIS_FOREST);
        engine(Map.of());
        Map<String, Object> row = new LinkedHashMap<>(Map.of("Sepal.Length", "5.1", "Sepal.Width", "3.5",
                "Petal.Length", "1.4", "Petal.Width", "0.2"));

        Prediction tree = engine.predict("tree.pmml", row);
        Prediction forest = engine.predict("forest.pmml", row);

        assertThat(tree.entityIds()).hasSize(1);
        assertThat(forest.entityIds()).hasSizeGreaterThan(1);
    }

    @Test
    void predictIfLoadedNeverLoadsAndThenScoresLikePredict() {
        storage.put("iris/model.pmml", IRIS);
        engine(Map.of());

        assertThat(engine.predictIfLoaded("iris/model.pmml", List.of(SETOSA))).isEmpty();
        assertThat(storage.opens()).isZero();
        assertThat(engine.models()).isEmpty();

        List<Prediction> loaded = engine.predict("iris/model.pmml", List.of(SETOSA, ODD));
        assertThat(engine.predictIfLoaded("iris/model.pmml", List.of(SETOSA, ODD)))
                .hasValue(loaded);
        assertThat(storage.opens()).isEqualTo(1);
    }

    @Test
    void aHandleScoresWithTheVersionWhoseFactsItGaveAfterANewerOneIsSwappedIn() {
        storage.put("iris/model.pmml", IRIS);
        engine(Map.of("cache.revalidate-interval", "0"));
        assertThat(engine.handleIfLoaded("iris/model.pmml")).isEmpty();
        assertThat(storage.opens()).isZero();

        ModelHandle first = engine.handle("iris/model.pmml");
        List<Prediction> before = first.predict(List.of(SETOSA, ODD));
        // the same inputs, another intercept: other probabilities
        storage.put("iris/model.pmml", new String(IRIS, StandardCharsets.UTF_8)
                .replace("intercept=\"9.848362436018206\"", "intercept=\"8.0\"").getBytes(StandardCharsets.UTF_8));
        engine.revalidate();
        ModelHandle second = engine.handleIfLoaded("iris/model.pmml").orElseThrow();

        assertThat(second.info().sha256()).isNotEqualTo(first.info().sha256());
        assertThat(first.info()).isNotEqualTo(second.info());
        assertThat(first.predict(List.of(SETOSA, ODD))).isEqualTo(before);
        assertThat(second.predict(List.of(SETOSA, ODD))).isEqualTo(engine.predict("iris/model.pmml", List.of(SETOSA, ODD)))
                .isNotEqualTo(before);
        assertThat(second.predict(SETOSA)).isEqualTo(engine.predict("iris/model.pmml", SETOSA));
    }

    @Test
    void predictIfLoadedReportsBadRecordsAndLocationsLikePredict() {
        storage.put("iris/model.pmml", IRIS);
        engine(Map.of());
        engine.predict("iris/model.pmml", List.of(SETOSA));
        Map<String, Object> bad = new LinkedHashMap<>(SETOSA);
        bad.put("petal_width", "abc");

        assertThatThrownBy(() -> engine.predictIfLoaded("iris/model.pmml", List.of(SETOSA, bad)))
                .hasMessageContaining("input field \"petal_width\"")
                .satisfies(e -> assertThat(((InferenceException) e).record()).hasValue(1));
        assertThatThrownBy(() -> engine.predictIfLoaded("gcs://bucket/model.pmml", List.of(SETOSA)))
                .hasMessageContaining("no storage serves the scheme \"gcs\"");
    }

    @Test
    void batchErrorNamesTheRecordTheFieldAndTheValue() {
        storage.put("iris/model.pmml", IRIS);
        engine(Map.of());
        Map<String, Object> bad = new LinkedHashMap<>(SETOSA);
        bad.put("petal_width", "abc");

        assertThatThrownBy(() -> engine.predict("iris/model.pmml", List.of(SETOSA, bad)))
                .isInstanceOf(InferenceException.class)
                .hasMessageContaining("input field \"petal_width\"")
                .hasMessageContaining("\"abc\"")
                .satisfies(e -> {
                    InferenceException failure = (InferenceException) e;
                    assertThat(failure.category()).isEqualTo(ErrorCategory.INVALID_RECORD);
                    assertThat(failure.record()).hasValue(1);
                    assertThat(failure.field()).contains("petal_width");
                });
    }

    @Test
    void nullRecordIsAnInvalidRequestAtItsIndex() {
        storage.put("iris/model.pmml", IRIS);
        engine(Map.of());
        List<Map<String, Object>> records = new ArrayList<>();
        records.add(SETOSA);
        records.add(null);

        assertThatThrownBy(() -> engine.predict("iris/model.pmml", records))
                .satisfies(e -> assertThat(((InferenceException) e).record()).hasValue(1))
                .hasMessageContaining("record is null");
    }

    @Test
    void aNamedFormatChoosesThePipelineWhateverTheExtension() {
        storage.put("iris/model.bin", IRIS);
        engine(Map.of());

        assertThat(engine.predict("iris/model.bin", ModelFormat.of("PMML"), List.of(SETOSA)).get(0).value()).isEqualTo(0);
        assertThat(engine.model("iris/model.bin", ModelFormat.PMML).format()).isEqualTo("pmml");
        assertThatThrownBy(() -> engine.predict("iris/model.bin", List.of(SETOSA)))
                .hasMessageContaining("cannot tell the format")
                .hasMessageContaining("[pmml]");
        assertThatThrownBy(() -> engine.predict("iris/model.bin", ModelFormat.of("onnx"), List.of(SETOSA)))
                .isInstanceOfSatisfying(InferenceException.class,
                        e -> assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_REQUEST))
                .hasMessage("no pipeline of format \"onnx\" is installed; installed: [pmml]");
    }

    @Test
    void unknownSchemeListsTheAvailableOnes() {
        engine(Map.of());

        assertThatThrownBy(() -> engine.predict("az://container/m.pmml", SETOSA))
                .isInstanceOf(InferenceException.class)
                .hasMessageContaining("no storage serves the scheme \"az\"")
                .hasMessageContaining("[file, s3]");
    }

    @Test
    void missingForbiddenAndUnreachableModelsHaveTheirCategories() {
        engine(Map.of());

        assertThatThrownBy(() -> engine.predict("missing.pmml", SETOSA))
                .satisfies(e -> assertThat(((InferenceException) e).category()).isEqualTo(ErrorCategory.NOT_FOUND))
                .hasMessage("model not found: \"file:missing.pmml\"");
        assertThatThrownBy(() -> engine.predict("/s3-forbidden/m.pmml", SETOSA))
                .satisfies(e -> assertThat(((InferenceException) e).category()).isEqualTo(ErrorCategory.ACCESS_DENIED))
                .hasMessageContaining("not allowed");
        storage.put("iris/model.pmml", IRIS);
        storage.setDown(true);
        assertThatThrownBy(() -> engine.predict("iris/model.pmml", SETOSA))
                .satisfies(e -> assertThat(((InferenceException) e).category()).isEqualTo(ErrorCategory.UNAVAILABLE))
                .hasMessageNotContaining("simulated");
    }

    @Test
    void concurrentFirstRequestsCauseOneReadAndOneParse() throws Exception {
        storage.put("iris/model.pmml", IRIS);
        storage.setOpenDelayMillis(300);
        engine(Map.of());
        int threads = 48;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<ModelInfo>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    engine.predict("iris/model.pmml", SETOSA);
                    return engine.model("iris/model.pmml");
                }));
            }
            start.countDown();
            ModelInfo first = results.get(0).get();
            for (Future<ModelInfo> result : results) {
                assertThat(result.get()).isSameAs(first); // one load: every thread sees the same loaded version
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(storage.opens()).isEqualTo(1);
        assertThat(storage.stats()).isEqualTo(1);
    }

    @Test
    void failedLoadReachesEveryWaiterAndIsNotCached() throws Exception {
        storage.put("iris/model.pmml", "not xml at all".getBytes(StandardCharsets.UTF_8));
        storage.setOpenDelayMillis(200);
        engine(Map.of());
        int threads = 16;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<ErrorCategory>> results = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit((Callable<ErrorCategory>) () -> {
                    start.await();
                    try {
                        engine.predict("iris/model.pmml", SETOSA);
                        return null;
                    } catch (InferenceException e) {
                        return e.category();
                    }
                }));
            }
            start.countDown();
            for (Future<ErrorCategory> result : results) {
                assertThat(result.get()).isEqualTo(ErrorCategory.INVALID_MODEL);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(storage.opens()).isEqualTo(1);

        storage.setOpenDelayMillis(0);
        storage.put("iris/model.pmml", IRIS);
        assertThat(engine.predict("iris/model.pmml", SETOSA).value()).isEqualTo(0);
        assertThat(storage.opens()).isEqualTo(2);
    }

    @Test
    void evictsTheLeastRecentlyUsedModelBeyondTheLimit() {
        storage.put("a.pmml", IRIS).put("b.pmml", IRIS).put("c.pmml", IRIS);
        engine(Map.of("cache.max-models", "2"));

        engine.predict("a.pmml", SETOSA);
        engine.predict("b.pmml", SETOSA);
        engine.predict("a.pmml", SETOSA);
        engine.predict("c.pmml", SETOSA);

        assertThat(engine.models()).extracting(info -> info.location().path()).containsExactly("c.pmml", "a.pmml");
        engine.predict("b.pmml", SETOSA); // loads again
        assertThat(storage.opens()).isEqualTo(4);
    }

    @Test
    void changedModelIsLoadedBesideTheOldAndSwappedIn() {
        storage.put("m.pmml", IRIS);
        engine(Map.of("cache.revalidate-interval", "0"));
        Map<String, Object> row = Map.of("sepal_length", "5.1", "sepal_width", "3.5", "petal_length", "1.4",
                "petal_width", "0.2", "Sepal.Length", "5.1", "Sepal.Width", "3.5", "Petal.Length", "1.4",
                "Petal.Width", "0.2");
        assertThat(engine.predict("m.pmml", row).value()).isEqualTo(0);
        String oldSha = engine.model("m.pmml").sha256();

        storage.put("m.pmml", IRIS_TREE);
        engine.revalidate();

        assertThat(engine.predict("m.pmml", row).value()).isEqualTo("setosa");
        assertThat(engine.model("m.pmml").sha256()).isNotEqualTo(oldSha);
        assertThat(engine.status(engine.models().get(0)).problem()).isEmpty();
    }

    @Test
    void sameBytesUnderANewVersionKeepThePipeline() {
        storage.put("m.pmml", IRIS);
        engine(Map.of("cache.revalidate-interval", "0"));
        ModelInfo before = engine.model("m.pmml");

        storage.put("m.pmml", IRIS); // re-uploaded, new version token, same content
        engine.revalidate();

        ModelInfo after = engine.model("m.pmml");
        assertThat(after.version()).isNotEqualTo(before.version());
        assertThat(after.loadedAt()).isEqualTo(before.loadedAt());
    }

    @Test
    void brokenNewVersionLeavesTheOldOneServingAndSaysWhy() {
        storage.put("m.pmml", IRIS);
        engine(Map.of("cache.revalidate-interval", "0"));
        engine.predict("m.pmml", SETOSA);

        storage.put("m.pmml", "<PMML>broken".getBytes(StandardCharsets.UTF_8));
        engine.revalidate();

        assertThat(engine.predict("m.pmml", SETOSA).value()).isEqualTo(0);
        assertThat(engine.status(engine.models().get(0)).problem()).hasValueSatisfying(
                reason -> assertThat(reason).contains("cannot be loaded"));

        storage.setDown(true);
        engine.revalidate();
        assertThat(engine.predict("m.pmml", SETOSA).value()).isEqualTo(0);
        assertThat(engine.status(engine.models().get(0)).problem()).hasValueSatisfying(
                reason -> assertThat(reason).contains("cannot be reached"));
    }

    @Test
    void revalidatesInTheBackgroundAfterTheInterval() throws Exception {
        storage.put("m.pmml", IRIS);
        engine(Map.of("cache.revalidate-interval", "20ms"));
        String oldSha = engine.model("m.pmml").sha256();
        storage.put("m.pmml", IRIS_TREE);

        long deadline = System.nanoTime() + 10_000_000_000L;
        while (engine.model("m.pmml").sha256().equals(oldSha) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        assertThat(engine.model("m.pmml").sha256()).isNotEqualTo(oldSha);
    }

    @Test
    void unknownConfigurationKeysAreNamed() {
        assertThatThrownBy(() -> engine(Map.of("cache.max-modles", "3")))
                .isInstanceOf(InferenceException.class)
                .hasMessageContaining("cache.max-modles")
                .satisfies(e -> assertThat(((InferenceException) e).category()).isEqualTo(ErrorCategory.CONFIGURATION));
        assertThatThrownBy(() -> engine(Map.of("storage.gcs.bucket", "x")))
                .hasMessageContaining("no storage provider named \"gcs\"");
        assertThatThrownBy(() -> engine(Map.of("pipeline.pmml.warmup", "1")))
                .hasMessageContaining("pipeline.pmml.warmup");
        assertThatThrownBy(() -> engine(Map.of("cache.max-models", "zero")))
                .hasMessageContaining("cache.max-models: expected a whole number");
    }

    @Test
    void modelIfLoadedNeverLoads() {
        storage.put("iris/model.pmml", IRIS);
        engine(Map.of());

        assertThat(engine.modelIfLoaded("iris/model.pmml")).isEmpty();
        ModelInfo loaded = engine.model("iris/model.pmml");

        assertThat(engine.modelIfLoaded("iris/model.pmml")).containsSame(loaded);
        assertThat(engine.modelIfLoaded("iris/model.pmml", ModelFormat.PMML)).containsSame(loaded);
    }

    @Test
    void configurationErrorsCarryTheFullKeyAsTheirField() {
        Map<String, String> wrongByKey = Map.of(
                "cache.max-modles", "3",
                "cache.max-models", "zero",
                "cache.max-weight", "-1",
                "cache.revalidate-interval", "soon",
                "model.max-bytes", "0",
                "storage.gcs.bucket", "x",
                "pipeline.pmml.warmup", "1");
        wrongByKey.forEach((key, value) -> assertThatThrownBy(() -> engine(Map.of(key, value)))
                .isInstanceOfSatisfying(InferenceException.class, e -> {
                    assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
                    assertThat(e.field()).as("field of the error about %s", key).contains(key);
                }));
    }

    @Test
    void twoProvidersForOneSchemeFailNamingBothClasses() {
        StorageProvider other = new OtherFileProvider();

        assertThatThrownBy(() -> InferenceEngine.builder().discoverProviders(false)
                .storageProvider(storage).storageProvider(other).build())
                .isInstanceOf(InferenceException.class)
                .hasMessageContaining(InMemoryStorageProvider.class.getName())
                .hasMessageContaining(OtherFileProvider.class.getName())
                .hasMessageContaining("\"file\"");
    }

    @Test
    void discoversThePmmlPipelineWithServiceLoader() {
        engine = InferenceEngine.builder().storageProvider(storage).build();

        assertThat(engine.formats()).contains("pmml");
    }

    static final class OtherFileProvider implements StorageProvider {
        @Override
        public String name() {
            return "other";
        }

        @Override
        public Set<String> schemes() {
            return Set.of("file");
        }

        @Override
        public Storage create(Map<String, String> properties) {
            throw new AssertionError("never created");
        }
    }

    static Map<String, Object> record(double sepalLength, double sepalWidth, double petalLength, double petalWidth) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("sepal_length", sepalLength);
        record.put("sepal_width", sepalWidth);
        record.put("petal_length", petalLength);
        record.put("petal_width", petalWidth);
        return record;
    }

    static byte[] caseModel(String name) {
        return ConformanceCorpus.cases().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().model();
    }

    static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
