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

/**
 * Every case of the conformance corpus through the public API: every row, every expected column,
 * at the case's tolerance. One dynamic test per case.
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

        List<Prediction> predictions = engine.predict(c.name() + "/model.pmml", "Any Label", inputs);

        assertThat(predictions).hasSameSizeAs(expected);
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        for (int row = 0; row < expected.size(); row++) {
            Map<String, Object> fields = predictions.get(row).fields();
            for (Map.Entry<String, Object> cell : expected.get(row).entrySet()) {
                assertThat(fields).as("result fields of %s", c.name()).containsKey(cell.getKey());
                String mismatch = c.mismatch(cell.getKey(), (String) cell.getValue(), fields.get(cell.getKey()));
                compared++;
                if (mismatch != null && mismatches.size() < 10) {
                    mismatches.add("row " + row + ": " + mismatch);
                }
            }
        }
        assertThat(mismatches).as("%s: mismatches", c.name()).isEmpty();
        assertThat(compared).isEqualTo(expected.size() * expected.get(0).size());
    }
}
