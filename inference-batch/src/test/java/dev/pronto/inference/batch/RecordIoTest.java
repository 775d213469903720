package dev.pronto.inference.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InputFieldSchema;
import dev.pronto.inference.ModelSchema;
import dev.pronto.inference.OutputFieldSchema;
import dev.pronto.inference.Prediction;
import dev.pronto.inference.TargetFieldSchema;

class RecordIoTest {

    static final ModelSchema SCHEMA = new ModelSchema("classification",
            List.of(input("x", "double"), input("n", "integer"), input("colour", "string")),
            List.of(new TargetFieldSchema("label", "string", "categorical", List.of("a", "b"))),
            List.of(new OutputFieldSchema("probability(a)", "double", "continuous", "probability"),
                    new OutputFieldSchema("probability(b)", "double", "continuous", "probability")));

    private static InputFieldSchema input(String name, String type) {
        return new InputFieldSchema(name, type, "continuous", List.of(), List.of());
    }

    static InputStream utf8(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Map<String, Object>> readAll(RecordFormat format, String text, boolean header) throws IOException {
        List<Map<String, Object>> records = new ArrayList<>();
        try (RecordReader in = RecordReader.open(format, utf8(text), SCHEMA, header)) {
            for (Map<String, Object> record = in.next(); record != null; record = in.next()) {
                records.add(record);
            }
        }
        return records;
    }

    @Test
    void csvCellsAreTypedByTheModelSchema() throws IOException {
        List<Map<String, Object>> records = readAll(RecordFormat.CSV,
                "colour,x,n,id\r\nred,1.5,3,7\n\n\"blue, light\",2,NA,\"say \"\"hi\"\"\nthere\"\n", true);

        assertThat(records).hasSize(2);
        assertThat(records.get(0)).containsEntry("x", 1.5).containsEntry("n", 3).containsEntry("colour", "red")
                .containsEntry("id", "7");
        assertThat(records.get(1)).containsEntry("x", 2.0).containsEntry("n", null)
                .containsEntry("colour", "blue, light").containsEntry("id", "say \"hi\"\nthere");
    }

    @Test
    void csvWithoutHeaderTakesTheModelsInputOrder() throws IOException {
        assertThat(readAll(RecordFormat.CSV, "1,2,green\n", false))
                .containsExactly(Map.of("x", 1.0, "n", 2, "colour", "green"));
    }

    @Test
    void badNumberNamesLineAndColumn() {
        assertThatThrownBy(() -> readAll(RecordFormat.CSV, "x,n,colour\n1,2,a\n\"multi\nline\",3,b\n", true))
                .isInstanceOfSatisfying(BadRecordException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_RECORD);
                    assertThat(e.skippable()).isTrue();
                })
                .hasMessage("line 3, column \"x\": expected a number, got \"multi\nline\"");
    }

    @Test
    void wrongCellCountAndUnbalancedQuotesNameTheirLine() {
        assertThatThrownBy(() -> readAll(RecordFormat.CSV, "x,n,colour\n1,2,a\n\n1,2\n", true))
                .hasMessage("line 4: 2 cells, but the header names 3 columns");
        assertThatThrownBy(() -> readAll(RecordFormat.CSV, "x,n,colour\n1,2,a\n1,2,\"open\n1,2,a\n", true))
                .isInstanceOfSatisfying(BadRecordException.class, e -> assertThat(e.skippable()).isFalse())
                .hasMessage("line 3: a quoted cell opened on this line is never closed (unbalanced quotes)");
    }

    @Test
    void skippableRowsLetReadingGoOn() throws IOException {
        try (RecordReader in = RecordReader.open(RecordFormat.CSV, utf8("x,n,colour\nz,1,a\n2,1,b\n"), SCHEMA, true)) {
            assertThatThrownBy(in::next).isInstanceOf(BadRecordException.class);
            assertThat(in.next()).containsEntry("x", 2.0);
            assertThat(in.line()).isEqualTo(3);
            assertThat(in.next()).isNull();
        }
    }

    @Test
    void jsonLinesKeepJsonTypesAndNameBadLines() throws IOException {
        assertThat(readAll(RecordFormat.JSONL, "{\"x\": 1.5, \"n\": 2, \"colour\": null}\n\n{\"x\": 3}\n", true))
                .containsExactly(new LinkedHashMap<>(Map.of("x", 1.5, "n", 2)) {{ put("colour", null); }}, Map.of("x", 3));
        assertThatThrownBy(() -> readAll(RecordFormat.JSONL, "{\"x\": 1}\n[1]\n", true))
                .hasMessage("line 2: expected a JSON object of field values, not an array");
        assertThatThrownBy(() -> readAll(RecordFormat.JSONL, "{\"x\": 1}\n{\"x\": {}}\n", true))
                .hasMessage("line 2, column \"x\": expected a number, string, boolean or null, not an object");
        assertThatThrownBy(() -> readAll(RecordFormat.JSONL, "{\"x\": 1,}\n", true))
                .hasMessageStartingWith("line 1: not valid JSON: ");
    }

    static Prediction prediction(String label, double a) {
        Map<Object, Double> probabilities = new LinkedHashMap<>();
        probabilities.put("a", a);
        probabilities.put("b", 1 - a);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("label", label);
        fields.put("probability(a)", a);
        fields.put("probability(b)", 1 - a);
        return new Prediction(label, probabilities, fields, List.of());
    }

    private static String write(RecordFormat format, PredictionColumns columns, Object id, Prediction... predictions)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PredictionWriter out = PredictionWriter.open(format, bytes, columns)) {
            for (Prediction prediction : predictions) {
                out.write(id, prediction);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void csvAnswerHasTargetThenOneProbabilityColumnPerClass() throws IOException {
        assertThat(write(RecordFormat.CSV, PredictionColumns.of(SCHEMA, "id", false), "r,1", prediction("a", 0.75)))
                .isEqualTo("id,label,probability(a),probability(b)\n\"r,1\",a,0.75,0.25\n");
        assertThat(write(RecordFormat.CSV, PredictionColumns.of(SCHEMA, null, false),
                null, new Prediction(null, Map.of(), Map.of(), List.of())))
                .isEqualTo("label,probability(a),probability(b)\n,,\n");
    }

    @Test
    void jsonLinesAnswerHasTheSameKeys() throws IOException {
        assertThat(write(RecordFormat.JSONL, PredictionColumns.of(SCHEMA, "id", false), 7, prediction("b", 0.5),
                prediction("a", 1.0)))
                .isEqualTo("{\"id\":7,\"label\":\"b\",\"probability(a)\":0.5,\"probability(b)\":0.5}\n"
                        + "{\"id\":7,\"label\":\"a\",\"probability(a)\":1.0,\"probability(b)\":0.0}\n");
    }

    @Test
    void allFieldsAreTheTargetsAndOutputs() {
        assertThat(PredictionColumns.of(SCHEMA, null, true).header())
                .containsExactly("label", "probability(a)", "probability(b)");
    }

    @Test
    void mediaTypesAndFileNamesNameFormats() {
        assertThat(RecordFormat.ofMediaType("text/csv; charset=utf-8")).contains(RecordFormat.CSV);
        assertThat(RecordFormat.ofMediaType("application/x-ndjson")).contains(RecordFormat.JSONL);
        assertThat(RecordFormat.ofMediaType("application/json")).isEmpty();
        assertThat(RecordFormat.ofFileName("in.JSONL")).contains(RecordFormat.JSONL);
    }
}
