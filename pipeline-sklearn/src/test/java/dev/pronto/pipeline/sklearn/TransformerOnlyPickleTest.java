package dev.pronto.pipeline.sklearn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.ModelSchema;
import dev.pronto.inference.OutputFieldSchema;
import dev.pronto.inference.Prediction;
import dev.pronto.inference.testing.InMemoryStorageProvider;

/**
 * A pickle of pre-processing steps only (the legacy Keras requests' {@code pipelineFilename}; here
 * the corpus's {@code Pipeline([("scaler", StandardScaler())])} of scikit-learn 1.2.1) is served, its
 * transformed values reported as output fields in column order.
 */
class TransformerOnlyPickleTest {

    private static final List<String> FIELDS = List.of("sepal_length", "sepal_width", "petal_length", "petal_width");

    private final InMemoryStorageProvider storage = new InMemoryStorageProvider()
            .put("preprocess.pkl", Fixtures.pickle("transformer-only-scaler-iris"));
    private final InferenceEngine engine = InferenceEngine.builder().discoverProviders(false).storageProvider(storage)
            .pipelineProvider(new SkLearnPipelineProvider()).build();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void reportsEveryTransformedColumnInOrder() {
        ModelSchema schema = engine.model("preprocess.pkl").schema();

        assertThat(schema.inputs()).extracting(input -> input.name()).containsExactlyElementsOf(FIELDS);
        assertThat(schema.outputs()).hasSize(4).allSatisfy(output ->
                assertThat(output.feature()).isEqualTo(TransformerOnlyModel.FEATURE));
        assertThat(schema.outputs()).extracting(OutputFieldSchema::name)
                .allSatisfy(name -> assertThat(name).startsWith("transformed("));
    }

    @Test
    void transformsEachColumnOnItsOwn() {
        Map<String, Object> base = Map.of("sepal_length", 5.0, "sepal_width", 3.0, "petal_length", 4.0, "petal_width", 1.0);
        Map<String, Object> longerSepal = Map.of("sepal_length", 6.0, "sepal_width", 3.0, "petal_length", 4.0,
                "petal_width", 1.0);

        List<Prediction> predictions = engine.predict("preprocess.pkl", List.of(base, longerSepal));

        List<Double> before = transformed(predictions.get(0));
        List<Double> after = transformed(predictions.get(1));
        // a StandardScaler: (x - mean) / scale, so only the first column moves, by 1 / scale (Iris: about 1.2)
        assertThat(after.get(0) - before.get(0)).isBetween(1.0, 1.5);
        for (int j = 1; j < 4; j++) {
            assertThat(after.get(j)).isCloseTo(before.get(j), within(0.0));
        }
    }

    private List<Double> transformed(Prediction prediction) {
        return engine.model("preprocess.pkl").schema().outputs().stream()
                .map(output -> ((Number) prediction.fields().get(output.name())).doubleValue()).toList();
    }
}
