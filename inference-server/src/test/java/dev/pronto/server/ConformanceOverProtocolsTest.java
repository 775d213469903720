package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pronto.inference.InputFieldSchema;
import dev.pronto.inference.ModelSchema;
import dev.pronto.inference.testing.ConformanceCorpus;

/**
 * Every case of the conformance corpus through the Open Inference Protocol
 * ({@code POST /v2/models/{name}/infer}, one tensor per field) and through KServe V1
 * ({@code POST /v1/models/{name}:predict}, instances as objects and as arrays in input order), every
 * expected column compared at the case's tolerance, as {@link ConformanceOverHttpTest} does for
 * {@code /invocations}. Every V2 response is validated against the specification's schema.
 */
class ConformanceOverProtocolsTest {

    private static final List<ConformanceCorpus.Case> CASES = ConformanceCorpus.cases();
    private static final Pattern PROBABILITY = Pattern.compile("probability\\((.*)\\)");

    @TempDir
    static Path root;
    private static TestServer server;

    @BeforeAll
    static void start() {
        Map<String, String> names = new LinkedHashMap<>();
        for (ConformanceCorpus.Case c : CASES) {
            TestServer.write(c.model(), root, c.name() + "/model.pmml");
            names.put(c.name(), c.name() + "/model.pmml");
        }
        server = TestServer.overFolder(root, ServerSettings.defaults().withModels(names));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @TestFactory
    Stream<DynamicTest> everyCaseMatchesTheTrainingLibraryOverV2() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> checkV2(c)));
    }

    @TestFactory
    Stream<DynamicTest> everyCaseMatchesTheTrainingLibraryOverV1() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            checkV1(c, false);
            checkV1(c, true);
        }));
    }

    private static ModelSchema schema(ConformanceCorpus.Case c) {
        return server.ownEngine.model(c.name() + "/model.pmml").schema();
    }

    private static List<Map<String, Object>> records(ConformanceCorpus.Case c, ModelSchema schema) {
        Map<String, String> types = new HashMap<>();
        schema.inputs().forEach(input -> types.put(input.name(), input.dataType()));
        List<Map<String, Object>> records = new ArrayList<>();
        c.inputs().forEach(row -> records.add(ConformanceOverHttpTest.typed(row, types)));
        return records;
    }

    private static void checkV2(ConformanceCorpus.Case c) throws IOException {
        ModelSchema schema = schema(c);
        List<Map<String, Object>> records = records(c, schema);
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (InputFieldSchema input : schema.inputs()) {
            List<Object> column = new ArrayList<>();
            boolean numeric = false;
            for (Map<String, Object> record : records) {
                Object value = record.get(input.name());
                numeric |= value instanceof Number;
                column.add(value);
            }
            Map<String, Object> tensor = new LinkedHashMap<>();
            tensor.put("name", input.name());
            tensor.put("shape", List.of(records.size()));
            tensor.put("datatype", numeric ? "FP64" : "BYTES");
            tensor.put("data", column);
            inputs.add(tensor);
        }

        TestServer.Response response = server.post("/v2/models/" + c.name() + "/infer",
                ServerApp.MAPPER.writeValueAsString(Map.of("inputs", inputs)));

        assertThat(response.status()).as("%s: %s", c.name(), response.body()).isEqualTo(200);
        JsonNode body = response.json();
        OpenInferenceSpec.assertValidWithMissingValues("inference_response", body);
        Map<String, JsonNode> outputs = new HashMap<>();
        body.get("outputs").forEach(output -> outputs.put(output.get("name").asText(), output));
        String target = schema.primaryTarget().map(t -> t.name()).filter(n -> !n.isEmpty()).orElse("predicted");
        compare(c, (row, column) -> {
            JsonNode output = outputs.get(column);
            if (output == null && column.equals(target)) {
                output = outputs.get("predicted");
            }
            return output == null ? null : output.get("data").get(row);
        }, (row, column) -> {
            JsonNode probabilities = outputs.get("probabilities");
            Matcher m = PROBABILITY.matcher(column);
            if (probabilities == null || !m.matches()) {
                return null;
            }
            JsonNode classes = probabilities.get("parameters").get("classes");
            for (int i = 0; i < classes.size(); i++) {
                if (classes.get(i).asText().equals(m.group(1))) {
                    return probabilities.get("data").get(row * classes.size() + i);
                }
            }
            return null;
        });
    }

    private static void checkV1(ConformanceCorpus.Case c, boolean arrays) throws IOException {
        ModelSchema schema = schema(c);
        List<Object> instances = new ArrayList<>();
        for (Map<String, Object> record : records(c, schema)) {
            if (arrays) {
                List<Object> values = new ArrayList<>();
                schema.inputs().forEach(input -> values.add(record.get(input.name())));
                instances.add(values);
            } else {
                instances.add(record);
            }
        }

        TestServer.Response response = server.post("/v1/models/" + c.name() + ":predict", ServerApp.MAPPER
                .writeValueAsString(Map.of("instances", instances, "parameters", Map.of("output_fields", true))));

        assertThat(response.status()).as("%s: %s", c.name(), response.body()).isEqualTo(200);
        JsonNode body = response.json();
        String target = schema.primaryTarget().map(t -> t.name()).orElse("");
        compare(c, (row, column) -> body.get("outputs").get(row).get(column),
                (row, column) -> column.equals(target) ? body.get("predictions").get(row) : null);
    }

    /** A cell of the response: row and column to the JSON value, or null if the response has none. */
    private interface Cells {
        JsonNode get(int row, String column);
    }

    /** Compares every expected cell with {@code primary}, and also with {@code secondary} where that has one. */
    private static void compare(ConformanceCorpus.Case c, Cells primary, Cells secondary) {
        List<Map<String, Object>> expected = c.expected();
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        for (int row = 0; row < expected.size(); row++) {
            for (Map.Entry<String, Object> cell : expected.get(row).entrySet()) {
                String column = cell.getKey();
                JsonNode actual = primary.get(row, column);
                assertThat(actual).as("%s: row %d column %s", c.name(), row, column).isNotNull();
                compared++;
                note(mismatches, row, c.mismatch(column, (String) cell.getValue(), ConformanceOverHttpTest.value(actual)));
                JsonNode other = secondary.get(row, column);
                if (other != null) {
                    note(mismatches, row, c.mismatch(column + " (second view)", (String) cell.getValue(),
                            ConformanceOverHttpTest.value(other)));
                }
            }
        }
        assertThat(mismatches).as("%s: mismatches", c.name()).isEmpty();
        assertThat(compared).isEqualTo(expected.size() * expected.get(0).size());
    }

    private static void note(List<String> mismatches, int row, String mismatch) {
        if (mismatch != null && mismatches.size() < 10) {
            mismatches.add("row " + row + ": " + mismatch);
        }
    }
}
