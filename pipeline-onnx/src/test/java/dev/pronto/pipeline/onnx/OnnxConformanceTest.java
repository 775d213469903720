package dev.pronto.pipeline.onnx;

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

import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.Prediction;
import dev.pronto.inference.testing.InMemoryStorageProvider;
import dev.pronto.pipeline.onnx.testing.OnnxCorpus;

/**
 * Every ONNX-only case of the conformance corpus through the public API, all rows in one batch and
 * row by row, at the case's tolerance (the keras case needs the server's request, see the server's tests).
 */
class OnnxConformanceTest {

    private static final List<OnnxCorpus.Case> CASES = OnnxCorpus.cases().stream().filter(c -> !c.keras()).toList();
    private static InferenceEngine engine;

    @BeforeAll
    static void startEngine() {
        InMemoryStorageProvider storage = new InMemoryStorageProvider();
        for (OnnxCorpus.Case c : OnnxCorpus.cases()) {
            storage.put(c.name() + "/model.onnx", c.file("model.onnx"));
        }
        engine = InferenceEngine.builder().discoverProviders(false).storageProvider(storage)
                .pipelineProvider(new OnnxPipelineProvider()).build();
    }

    @AfterAll
    static void closeEngine() {
        engine.close();
    }

    @Test
    void corpusHasFourOnnxCasesAndOneKerasCase() {
        assertThat(CASES).hasSize(4);
        assertThat(OnnxCorpus.cases()).filteredOn(OnnxCorpus.Case::keras).hasSize(1);
    }

    @TestFactory
    Stream<DynamicTest> everyCaseMatchesTheTrainingFrameworkInOneBatch() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            List<Prediction> predictions = engine.predict(c.name() + "/" + c.pipelineFilename(), c.inputs());
            assertThat(c.mismatches(values(predictions), probabilities(predictions))).as(c.name()).isEmpty();
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyCaseMatchesTheTrainingFrameworkRowByRow() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            List<Prediction> predictions = new ArrayList<>();
            for (Map<String, Object> row : c.inputs()) {
                predictions.add(engine.predict(c.name() + "/" + c.pipelineFilename(), row));
            }
            assertThat(c.mismatches(values(predictions), probabilities(predictions))).as(c.name()).isEmpty();
        }));
    }

    static List<Object> values(List<Prediction> predictions) {
        return predictions.stream().map(Prediction::value).toList();
    }

    static List<List<Double>> probabilities(List<Prediction> predictions) {
        return predictions.stream().map(p -> List.copyOf(p.probabilities().values())).toList();
    }
}
