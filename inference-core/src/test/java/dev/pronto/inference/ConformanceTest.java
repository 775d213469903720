package dev.pronto.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import dev.pronto.inference.testing.ConformanceCorpus;
import dev.pronto.inference.testing.InMemoryStorageProvider;
import dev.pronto.inference.testing.TestColumns;

/**
 * Every case of the conformance corpus through the public API: every row, every expected column,
 * at the case's tolerance; and the same rows as {@link Columns}, which must give the same predictions.
 * One dynamic test per case.
 */
class ConformanceTest {

    private static final List<ConformanceCorpus.Case> CASES = ConformanceCorpus.cases();
    private static InferenceEngine engine;

    @BeforeAll
    static void startEngine() {
        InMemoryStorageProvider storage = new InMemoryStorageProvider();
        for (ConformanceCorpus.Case c : CASES) {
            storage.put(c.name() + "/model.pmml", c.model());
        }
        engine = InferenceEngine.builder()
                .discoverProviders(false)
                .storageProvider(storage)
                .pipelineProvider(new dev.pronto.inference.pmml.PmmlPipelineProvider())
                .config(Map.of("cache.max-models", "100"))
                .build();
    }

    @AfterAll
    static void closeEngine() {
        engine.close();
    }

    @Test
    void corpusHasAllFortyEightCases() {
        assertThat(CASES).hasSize(48);
    }

    @TestFactory
    Stream<DynamicTest> everyCaseMatchesTheTrainingLibrary() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private static void check(ConformanceCorpus.Case c) {
        List<Map<String, Object>> inputs = c.inputs();
        List<Map<String, Object>> expected = c.expected();
        assertThat(inputs).as("input rows").hasSameSizeAs(expected).isNotEmpty();

        List<Prediction> predictions = engine.predict(c.name() + "/model.pmml", inputs);

        assertThat(c.mismatches(predictions, 10)).as("%s: mismatches", c.name()).isEmpty();
        // the same records as columns, through the engine's adapter to the record path (PMML has no columnar path)
        BatchPrediction columns = engine.predict(c.name() + "/model.pmml", TestColumns.objects(inputs));
        assertThat(columns.predictions()).as("%s: columns", c.name()).isEqualTo(predictions);
        for (int row = 0; row < columns.size(); row++) {
            assertThat(columns.value(row)).isEqualTo(predictions.get(row).value());
            List<Double> probabilities = new ArrayList<>();
            for (int column = 0; column < columns.classes().size(); column++) {
                probabilities.add(columns.probability(row, column));
            }
            assertThat(probabilities).isEqualTo(List.copyOf(predictions.get(row).probabilities().values()));
        }
    }
}
