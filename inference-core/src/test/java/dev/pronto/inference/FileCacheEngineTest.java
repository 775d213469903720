package dev.pronto.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pronto.inference.testing.ConformanceCorpus;
import dev.pronto.inference.testing.InMemoryStorageProvider;

/**
 * The engine applies the local file cache itself when a storage's configuration sets {@code local-folder}:
 * how a stale copy reaches the model's info.
 */
class FileCacheEngineTest {

    private static final String MODEL = "/s3-bucket/iris/model.pmml";
    private static final Map<String, Object> RECORD = Map.of(
            "Sepal.Length", 6.0, "Sepal.Width", 2.7, "Petal.Length", 5.0, "Petal.Width", 1.6);

    @TempDir
    Path folder;

    private final InMemoryStorageProvider store = new InMemoryStorageProvider(Set.of("s3"));
    private InferenceEngine engine;

    private InferenceEngine engine() {
        return InferenceEngine.builder().discoverProviders(false)
                .storageProvider(store)
                .pipelineProvider(new dev.pronto.inference.pmml.PmmlPipelineProvider())
                .config(Map.of("storage.memory.local-folder", folder.toString(),
                        "storage.memory.revalidate-interval", "0", "cache.revalidate-interval", "0"))
                .build();
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private static byte[] model(String name) {
        return ConformanceCorpus.cases().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().model();
    }

    @Test
    void unreachableStoreKeepsServingAndTheModelInfoSaysTheCopyMayBeStale() {
        store.put(MODEL, model("sklearn-DecisionTreeIris"));
        engine = engine();
        Prediction before = engine.predict(MODEL, RECORD);

        store.setDown(true);
        engine.revalidate();

        assertThat(engine.predict(MODEL, RECORD)).isEqualTo(before);
        assertThat(engine.models()).singleElement().satisfies(info ->
                assertThat(engine.status(info).problem()).get().asString().contains("could not be reached"));

        store.setDown(false);
        engine.revalidate();
        assertThat(engine.models()).singleElement().satisfies(info ->
                assertThat(engine.status(info).problem()).isEmpty());
    }

    @Test
    void replacedObjectGivesNewPredictionsAfterRevalidation() {
        store.put(MODEL, model("sklearn-DecisionTreeIris"));
        engine = engine();
        Prediction tree = engine.predict(MODEL, RECORD);

        store.put(MODEL, model("sklearn-MultinomialLogisticRegressionIris"));
        engine.revalidate();

        Prediction logistic = engine.predict(MODEL, RECORD);
        assertThat(logistic.probabilities()).isNotEqualTo(tree.probabilities());
        assertThat(engine.models()).singleElement().satisfies(info -> assertThat(info.version()).isEqualTo("v2"));
    }

    @Test
    void restartWithAWarmCacheServesWhileTheStoreIsDownAndSaysSo() {
        store.put(MODEL, model("sklearn-DecisionTreeIris"));
        engine = engine();
        Prediction before = engine.predict(MODEL, RECORD);
        engine.close();
        store.setDown(true);

        engine = engine();

        assertThat(engine.predict(MODEL, RECORD)).isEqualTo(before);
        assertThat(engine.status(engine.model(MODEL)).problem()).isPresent();
        assertThat(engine.predict(MODEL, ModelFormat.of("pmml"), List.of(RECORD, RECORD))).hasSize(2);
    }
}
