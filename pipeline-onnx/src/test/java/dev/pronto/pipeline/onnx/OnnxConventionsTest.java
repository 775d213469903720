package dev.pronto.pipeline.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.ModelFormat;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.InputFieldSchema;
import dev.pronto.inference.ModelSchema;
import dev.pronto.inference.Prediction;
import dev.pronto.inference.testing.InMemoryStorageProvider;
import dev.pronto.pipeline.onnx.testing.OnnxCorpus;

/**
 * The input and output conventions on the hand-built fixtures of {@code src/test/python/make_fixtures.py};
 * the expected values are the formulas written there.
 */
class OnnxConventionsTest {

    private static InferenceEngine engine;

    @BeforeAll
    static void startEngine() {
        InMemoryStorageProvider storage = new InMemoryStorageProvider();
        for (String name : List.of("mixed-types", "string-labels-zipmap", "zipmap-and-probability-tensor",
                "double-matrix-probabilities",
                "positional-regression", "fixed-batch-regression", "external-data", "unsupported-shape", "two-outputs")) {
            storage.put(name + ".onnx", fixture(name + ".onnx"));
        }
        storage.put("corrupt.onnx", "this is not a protobuf message".getBytes());
        storage.put("empty.onnx", new byte[0]);
        storage.put("sklearn-style.onnx", OnnxCorpus.bytes(OnnxCorpus.ROOT + "onnx-IrisSklearnStyle/model.onnx"));
        engine = InferenceEngine.builder().discoverProviders(false).storageProvider(storage)
                .pipelineProvider(new OnnxPipelineProvider()).build();
    }

    @AfterAll
    static void closeEngine() {
        engine.close();
    }

    static byte[] fixture(String file) {
        return OnnxCorpus.bytes("/onnx/fixtures/" + file);
    }

    @Test
    void convertsEveryInputTypeFromJsonValuesAndText() {
        Map<String, Object> numbers = record(1.5, 2.0, 3, "green", true);
        Map<String, Object> texts = record("1.5", "2", "3", "red", "false");
        Map<String, Object> unknownColor = record(0, -1.25, 3.0, 7, false);

        List<Prediction> predictions = engine.predict("mixed-types.onnx", List.of(numbers, texts, unknownColor));

        assertThat(predictions.get(0).value()).isEqualTo(1.5 + 2 * 2.0 + 3 * 3 + 20 + 100);
        assertThat(predictions.get(1).value()).isEqualTo(1.5 + 2 * 2.0 + 3 * 3 + 10);
        assertThat(predictions.get(2).value()).isEqualTo(0 - 2 * 1.25 + 3 * 3);
        assertThat(predictions.get(0).fields()).containsEntry("score", predictions.get(0).value());
    }

    @Test
    void batchesOfChangingSizesReuseNoStaleValues() {
        // kept input and output tensors are rewritten per run; string inputs are made per run
        Map<String, Object> green = record(1.5, 2.0, 3, "green", true);
        Map<String, Object> red = record(0, 1, 1, "red", false);
        double greenScore = 1.5 + 2 * 2.0 + 3 * 3 + 20 + 100;
        double redScore = 2 + 3 + 10;

        for (int round = 0; round < 3; round++) {
            assertThat(engine.predict("mixed-types.onnx", List.of(green, red, green)))
                    .extracting(Prediction::value).containsExactly(greenScore, redScore, greenScore);
            assertThat(engine.predict("mixed-types.onnx", red).value()).isEqualTo(redScore);
            assertThat(engine.predict("mixed-types.onnx", List.of(red, green, red)))
                    .extracting(Prediction::value).containsExactly(redScore, greenScore, redScore);
        }
    }

    @Test
    void schemaComesFromTheModel() {
        ModelSchema schema = engine.model("mixed-types.onnx").schema();

        assertThat(schema.function()).isEqualTo("regression");
        assertThat(schema.inputs()).extracting(InputFieldSchema::name, InputFieldSchema::dataType)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("x_float", "float"),
                        org.assertj.core.groups.Tuple.tuple("x_double", "double"),
                        org.assertj.core.groups.Tuple.tuple("count", "integer"),
                        org.assertj.core.groups.Tuple.tuple("color", "string"),
                        org.assertj.core.groups.Tuple.tuple("flag", "boolean"));
        assertThat(schema.primaryTarget().orElseThrow().name()).isEqualTo("score");
    }

    @Test
    void zipMapOutputGivesStringLabelsAndProbabilitiesInClassOrder() {
        List<Prediction> predictions = engine.predict("string-labels-zipmap.onnx", ModelFormat.of("onnx"),
                List.of(Map.of("a", 1, "b", 2), Map.of("a", 3, "b", 0)));

        double[] first = softmax(1 - 2, 2, 0.5);
        assertThat(predictions.get(0).value()).isEqualTo("cat");
        assertThat(predictions.get(0).probabilities().keySet()).containsExactly("bird", "cat", "dog");
        assertThat(predictions.get(0).probabilities().get("bird")).isCloseTo(first[0], within(1e-6));
        assertThat(predictions.get(0).probabilities().get("dog")).isCloseTo(first[2], within(1e-6));
        assertThat(predictions.get(1).value()).isEqualTo("bird");
        assertThat(engine.model("string-labels-zipmap.onnx").schema().classes()).containsExactly("bird", "cat", "dog");
    }

    @Test
    void aProbabilityTensorBesideItsZipMapGivesTheSamePredictionsAsTheZipMap() {
        List<Map<String, Integer>> records = List.of(Map.of("a", 1, "b", 2), Map.of("a", 3, "b", 0), Map.of("a", 0, "b", 1));

        List<Prediction> fromTensor = engine.predict("zipmap-and-probability-tensor.onnx", records);
        List<Prediction> fromMaps = engine.predict("string-labels-zipmap.onnx", records);

        assertThat(fromTensor).isEqualTo(fromMaps);
        assertThat(fromTensor.get(1).value()).isEqualTo("bird");
        assertThat(fromTensor.get(1).probabilities().get("bird")).isCloseTo(softmax(3, 0, 0.5)[0], within(1e-6));
        assertThat(fromTensor.get(1).fields()).containsOnlyKeys("label", "probability(bird)", "probability(cat)",
                "probability(dog)");
        assertThat(engine.model("zipmap-and-probability-tensor.onnx").schema())
                .isEqualTo(engine.model("string-labels-zipmap.onnx").schema());
    }

    @Test
    void probabilityTensorWithDeclaredClassesTakesTheArgMax() {
        Prediction prediction = engine.predict("double-matrix-probabilities.onnx", Map.of("u", 1, "v", 2, "w", 0.5));

        double[] expected = softmax(3, 0.5);
        assertThat(prediction.value()).isEqualTo("no");
        assertThat(prediction.probabilities().get("no")).isCloseTo(expected[0], within(1e-12));
        assertThat(prediction.probabilities().get("yes")).isCloseTo(expected[1], within(1e-12));
        assertThat(prediction.fields()).containsKeys("probabilities", "probability(no)", "probability(yes)");
    }

    @Test
    void sklearnStyleClassesComeFromTheGraphAsIntegers() {
        ModelSchema schema = engine.model("sklearn-style.onnx").schema();

        assertThat(schema.classes()).containsExactly(0, 1, 2);
        assertThat(schema.primaryTarget().orElseThrow().dataType()).isEqualTo("integer");
    }

    @Test
    void twoDimensionalInputWithoutFeatureNamesTakesPositionalFields() {
        assertThat(engine.model("positional-regression.onnx").schema().inputs())
                .extracting(InputFieldSchema::name).containsExactly("x[0]", "x[1]");

        Prediction prediction = engine.predict("positional-regression.onnx", Map.of("x[0]", 2, "x[1]", 1));

        assertThat((Double) prediction.value()).isCloseTo(2 * 2 - 1 + 0.5, within(1e-6));
        assertThatThrownBy(() -> engine.predict("positional-regression.onnx", Map.of("sepal_length", 2)))
                .isInstanceOf(InferenceException.class)
                .hasMessageContaining("input field \"x[0]\" is missing")
                .hasMessageContaining("no metadata property pronto.features");
    }

    @Test
    void modelWithAFixedBatchOfOneScoresBatchesRunByRun() {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            records.add(Map.of("x[0]", i, "x[1]", 1));
        }

        List<Prediction> predictions = engine.predict("fixed-batch-regression.onnx", records);

        for (int i = 0; i < 5; i++) {
            assertThat((Double) predictions.get(i).value()).isCloseTo(2.0 * i - 1 + 0.5, within(1e-6));
        }
    }

    @Test
    void invalidValuesAreRefusedNamingFieldAndRecord() {
        Map<String, Object> wrongInteger = record(1, 1, 2.5, "red", true);
        Map<String, Object> wrongNumber = record("abc", 1, 2, "red", true);
        Map<String, Object> wrongFlag = record(1, 1, 2, "red", "yes");
        Map<String, Object> nullString = record(1, 1, 2, null, true);
        Map<String, Object> missing = new HashMap<>(record(1, 1, 2, "red", true));
        missing.remove("count");

        assertRefused(List.of(record(1, 1, 1, "red", true), wrongInteger), "count", 1, "expected an integer, got \"2.5\"");
        assertRefused(List.of(wrongNumber), "x_float", 0, "expected a number, got \"abc\"");
        assertRefused(List.of(wrongFlag), "flag", 0, "expected true or false, got \"yes\"");
        assertRefused(List.of(nullString), "color", 0, "expected a string, got null");
        assertRefused(List.of(missing), "count", 0, "input field \"count\" is missing");
    }

    @Test
    void nullIsAMissingValueForFloatInputs() {
        Prediction prediction = engine.predict("mixed-types.onnx", record(null, 1, 1, "red", false));

        assertThat((Double) prediction.value()).isNaN();
    }

    @Test
    void modelsOutsideTheConventionsAreRefusedWithTheReason() {
        assertInvalidModel("unsupported-shape.onnx", "input \"image\" has shape [-1, 2, 2]");
        assertInvalidModel("two-outputs.onnx", "fit none of the conventions");
        assertInvalidModel("external-data.onnx", "keeps its weights in external data files");
        assertInvalidModel("corrupt.onnx", "is not an ONNX model that ONNX Runtime");
        assertInvalidModel("empty.onnx", "is not an ONNX model that ONNX Runtime");
        // the engine keeps serving afterwards: a refused model does not hurt the runtime
        assertThat(engine.predict("positional-regression.onnx", Map.of("x[0]", 1, "x[1]", 1)).value()).isNotNull();
    }

    private static void assertInvalidModel(String location, String message) {
        assertThatThrownBy(() -> engine.model(location))
                .isInstanceOfSatisfying(InferenceException.class,
                        e -> assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_MODEL))
                .hasMessageContaining(location + "\"")
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("ai.onnxruntime", "Exception"));
    }

    private static void assertRefused(List<Map<String, Object>> records, String field, int index, String message) {
        assertThatThrownBy(() -> engine.predict("mixed-types.onnx", records))
                .isInstanceOfSatisfying(InferenceException.class, e -> {
                    assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_RECORD);
                    assertThat(e.field()).contains(field);
                    assertThat(e.record()).hasValue(index);
                })
                .hasMessageContaining(message);
    }

    /** A record for the mixed-types fixture, in its field order. */
    static Map<String, Object> record(Object xFloat, Object xDouble, Object count, Object color, Object flag) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("x_float", xFloat);
        record.put("x_double", xDouble);
        record.put("count", count);
        record.put("color", color);
        record.put("flag", flag);
        return record;
    }

    private static double[] softmax(double... scores) {
        double total = 0;
        double[] result = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            result[i] = Math.exp(scores[i]);
            total += result[i];
        }
        for (int i = 0; i < scores.length; i++) {
            result[i] /= total;
        }
        return result;
    }
}
