package dev.pronto.pipeline.onnx;

import static dev.pronto.pipeline.onnx.OnnxConventionsTest.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import dev.pronto.inference.BatchPrediction;
import dev.pronto.inference.Column;
import dev.pronto.inference.Columns;
import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.Prediction;
import dev.pronto.inference.testing.InMemoryStorageProvider;
import dev.pronto.inference.testing.TestColumns;
import dev.pronto.pipeline.onnx.testing.OnnxCorpus;

/**
 * ONNX's own columnar path (inputs filled from columns, outputs read into one batch result) against its
 * record path: the same predictions on the corpus and the fixtures, for every column type, and the same
 * errors for bad and missing values.
 */
class OnnxColumnarTest {

    private static final List<OnnxCorpus.Case> CASES = OnnxCorpus.cases().stream().filter(c -> !c.keras()).toList();
    private static InferenceEngine engine;

    @BeforeAll
    static void startEngine() {
        InMemoryStorageProvider storage = new InMemoryStorageProvider();
        for (OnnxCorpus.Case c : CASES) {
            storage.put(c.name() + "/model.onnx", c.file("model.onnx"));
        }
        for (String name : List.of("mixed-types", "string-labels-zipmap", "zipmap-and-probability-tensor",
                "double-matrix-probabilities", "positional-regression", "fixed-batch-regression")) {
            storage.put(name + ".onnx", OnnxConventionsTest.fixture(name + ".onnx"));
        }
        engine = InferenceEngine.builder().discoverProviders(false).storageProvider(storage)
                .pipelineProvider(new OnnxPipelineProvider()).build();
    }

    @AfterAll
    static void closeEngine() {
        engine.close();
    }

    @TestFactory
    Stream<DynamicTest> everyCorpusCaseAsColumnsGivesTheRecordPathsPredictions() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            String location = c.name() + "/" + c.pipelineFilename();
            List<Map<String, Object>> records = c.inputs();
            List<Prediction> expected = engine.predict(location, records);

            for (Columns columns : List.of(TestColumns.doubles(records), TestColumns.objects(records))) {
                BatchPrediction result = engine.predict(location, columns);

                assertThat(result.predictions()).isEqualTo(expected);
                List<Object> values = new ArrayList<>();
                List<List<Double>> probabilities = new ArrayList<>();
                for (int row = 0; row < result.size(); row++) {
                    values.add(result.value(row));
                    List<Double> rowProbabilities = new ArrayList<>();
                    for (int column = 0; column < result.classes().size(); column++) {
                        rowProbabilities.add(result.probability(row, column));
                    }
                    probabilities.add(rowProbabilities);
                }
                assertThat(c.mismatches(values, probabilities)).as(c.name()).isEmpty();
                assertThat(result.classes()).isEqualTo(List.copyOf(expected.get(0).probabilities().keySet()));
            }
        }));
    }

    @Test
    void everyColumnTypeFillsEveryInputTypeAsItsBoxedValueWould() {
        Columns columns = Columns.of(Column.ofFloats("x_float", 1.5f, 0f, 0.1f), Column.ofDoubles("x_double", 2, -1.25, 0.3),
                Column.ofLongs("count", 3, 3, Long.MAX_VALUE), Column.ofStrings("color", "green", "red", "blue"),
                Column.ofBooleans("flag", true, false, true));
        // longs into float and double inputs, doubles into an int64 input, text into numbers and flags
        Columns converted = Columns.of(Column.ofLongs("x_float", 16_777_217L, 2, 3), Column.ofLongs("x_double", 1, 2, 3),
                Column.ofDoubles("count", 3, 4, 5), Column.ofObjects("color", 7, "red", 2.0),
                Column.ofStrings("flag", "true", "false", " TRUE "));

        for (Columns batch : List.of(columns, converted)) {
            assertThat(engine.predict("mixed-types.onnx", batch).predictions())
                    .isEqualTo(engine.predict("mixed-types.onnx", batch.records()));
        }
        assertThat(engine.predict("mixed-types.onnx", columns).value(0)).isEqualTo(1.5 + 2 * 2.0 + 3 * 3 + 20 + 100);
    }

    @Test
    void everyOutputConventionAndAFixedBatchOfOneGiveTheRecordPathsPredictions() {
        List<Map<String, Object>> letters = List.of(Map.of("a", 1, "b", 2), Map.of("a", 3, "b", 0), Map.of("a", 0, "b", 1));
        List<Map<String, Object>> uvw = List.of(Map.of("u", 1, "v", 2, "w", 0.5), Map.of("u", -1, "v", 0, "w", 3));
        List<Map<String, Object>> positional = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            positional.add(Map.of("x[0]", i, "x[1]", 1));
        }
        Map<String, List<Map<String, Object>>> cases = new LinkedHashMap<>();
        cases.put("string-labels-zipmap.onnx", letters);
        cases.put("zipmap-and-probability-tensor.onnx", letters);
        cases.put("double-matrix-probabilities.onnx", uvw);
        cases.put("positional-regression.onnx", positional);
        cases.put("fixed-batch-regression.onnx", positional);

        cases.forEach((location, records) -> {
            BatchPrediction result = engine.predict(location, TestColumns.doubles(records));
            List<Prediction> expected = engine.predict(location, records);

            assertThat(result.predictions()).as(location).isEqualTo(expected);
            for (int row = 0; row < records.size(); row++) {
                assertThat(result.value(row)).as(location).isEqualTo(expected.get(row).value());
            }
        });
    }

    @Test
    void badAndMissingValuesGiveTheRecordPathsErrors() {
        List<Map<String, Object>> good = List.of(record(1, 1, 1, "red", true), record(2.5, 0, 4, "green", false));
        assertSameFailure(List.of(good.get(0), record(1, 1, 2.5, "red", true)), "count", 1);
        assertSameFailure(List.of(good.get(0), good.get(1), record("abc", 1, 2, "red", true)), "x_float", 2);
        assertSameFailure(List.of(record(1, 1, 2, "red", "yes")), "flag", 0);
        assertSameFailure(List.of(good.get(0), record(1, 1, 2, null, true)), "color", 1);
        assertSameFailure(List.of(record(1, 1, null, "red", true)), "count", 0);
        // two bad values: the first the record path meets is the one reported
        assertSameFailure(List.of(good.get(0), record(1, 1, 2.5, "red", true), record(1, 1, 2, null, true)), "count", 1);
        List<Map<String, Object>> missing = new ArrayList<>();
        for (Map<String, Object> record : good) {
            Map<String, Object> without = new HashMap<>(record);
            without.remove("count");
            missing.add(without);
        }
        assertSameFailure(missing, "count", 0);

        // a column the fast path could read, beside a column that fails: the same error as the records'
        Columns mixed = Columns.of(Column.ofFloats("x_float", 1, 2), Column.ofDoubles("x_double", 1, 2),
                Column.ofObjects("count", 1, "many"), Column.ofStrings("color", "red", "red"),
                Column.ofBooleans("flag", true, true));
        assertThat(failure(() -> engine.predict("mixed-types.onnx", mixed)))
                .hasMessage(failure(() -> engine.predict("mixed-types.onnx", mixed.records())).getMessage())
                .hasMessageContaining("input field \"count\": expected an integer, got \"many\"");
    }

    @Test
    void nullInAnObjectColumnIsAMissingValueForFloatInputs() {
        List<Map<String, Object>> records = List.of(record(null, 1, 1, "red", false));

        BatchPrediction result = engine.predict("mixed-types.onnx", TestColumns.objects(records));

        assertThat((Double) result.value(0)).isNaN();
        assertThat(result.predictions()).isEqualTo(engine.predict("mixed-types.onnx", records));
    }

    @Test
    void anEmptyBatchGivesAnEmptyResult() {
        Columns empty = Columns.of(Column.ofDoubles("x[0]"), Column.ofDoubles("x[1]"));

        BatchPrediction result = engine.predict("positional-regression.onnx", empty);

        assertThat(result.size()).isZero();
        assertThat(result.predictions()).isEmpty();
    }

    private static void assertSameFailure(List<Map<String, Object>> records, String field, int index) {
        InferenceException byRecords = failure(() -> engine.predict("mixed-types.onnx", records));
        InferenceException byColumns = failure(() -> engine.predict("mixed-types.onnx", TestColumns.objects(records)));

        assertThat(byColumns).hasMessage(byRecords.getMessage());
        assertThat(byColumns.category()).isEqualTo(ErrorCategory.INVALID_RECORD).isEqualTo(byRecords.category());
        assertThat(byColumns.field()).contains(field).isEqualTo(byRecords.field());
        assertThat(byColumns.record()).hasValue(index).isEqualTo(byRecords.record());
    }

    private static InferenceException failure(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        InferenceException failure = catchThrowableOfType(InferenceException.class, call);
        assertThat(failure).as("an InferenceException").isNotNull();
        return failure;
    }
}
