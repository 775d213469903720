package dev.pronto.pipeline.sklearn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.Prediction;
import dev.pronto.inference.testing.ConformanceCorpus;
import dev.pronto.inference.testing.InMemoryStorageProvider;

/**
 * Every {@code sklearn-*} case of the conformance corpus served from its original pickle
 * ({@code model.pkl}) instead of the PMML converted beforehand: every row and every expected column
 * at the case's tolerance, through the public engine and ServiceLoader discovery.
 */
class PickleConformanceTest {

    private static final List<ConformanceCorpus.Case> CASES = ConformanceCorpus.cases().stream()
            .filter(c -> c.name().startsWith("sklearn-"))
            .toList();
    private static InferenceEngine engine;

    @BeforeAll
    static void startEngine() {
        InMemoryStorageProvider storage = new InMemoryStorageProvider();
        for (ConformanceCorpus.Case c : CASES) {
            storage.put(c.name() + "/model.pkl", c.pickle());
        }
        // providers discovered as an application would find them; only the storage is a test fake
        engine = InferenceEngine.builder()
                .storageProvider(storage)
                .config(Map.of("cache.max-models", "100", "pipeline.sklearn.warmup-evaluations", "10"))
                .build();
    }

    @AfterAll
    static void closeEngine() {
        engine.close();
    }

    @Test
    void corpusHasTwentyEightScikitLearnCases() {
        assertThat(CASES).hasSize(28);
    }

    @Test
    void discoveredFormatsIncludeScikitLearn() {
        assertThat(engine.formats()).contains("sklearn", "pmml");
    }

    @TestFactory
    Stream<DynamicTest> everyPickleMatchesScikitLearn() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private static void check(ConformanceCorpus.Case c) {
        List<Map<String, Object>> inputs = c.inputs();
        assertThat(inputs).as("input rows").hasSameSizeAs(c.expected()).isNotEmpty();

        // the file extension alone chooses the format, as for the seed's "Logistic Regression" label
        List<Prediction> predictions = engine.predict(c.name() + "/model.pkl", inputs);

        assertThat(engine.model(c.name() + "/model.pkl").format()).isEqualTo("sklearn");
        assertThat(c.mismatches(predictions, 10)).as("%s: mismatches", c.name()).isEmpty();
    }
}
