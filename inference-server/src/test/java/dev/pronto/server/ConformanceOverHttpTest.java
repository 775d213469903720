package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pronto.inference.InputFieldSchema;
import dev.pronto.inference.ModelSchema;
import dev.pronto.inference.testing.ConformanceCorpus;

/**
 * Every case of the conformance corpus through {@code POST /invocations} on a running server: all
 * rows of a case in one request, numbers sent as JSON numbers, every expected column compared at the
 * case's tolerance. The seed's fields are checked too: {@code predictions} against the target
 * column and {@code predictions_prob} against the {@code probability(<class>)} columns.
 */
class ConformanceOverHttpTest {

    private static final List<ConformanceCorpus.Case> CASES = ConformanceCorpus.cases();
    private static final Set<String> NUMERIC = Set.of("double", "float", "integer");
    private static final Pattern PROBABILITY = Pattern.compile("probability\\((.*)\\)");

    @TempDir
    static Path root;
    private static TestServer server;

    @BeforeAll
    static void start() {
        for (ConformanceCorpus.Case c : CASES) {
            TestServer.write(c.model(), root, c.name() + "/model.pmml");
        }
        server = TestServer.overFolder(root, ServerSettings.defaults());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void corpusHasAllFortyEightCases() {
        assertThat(CASES).hasSize(48);
    }

    @TestFactory
    Stream<DynamicTest> everyCaseMatchesTheTrainingLibraryOverHttp() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private static void check(ConformanceCorpus.Case c) throws IOException {
        checkOverHttp(server, c, c.name() + "/model.pmml");
    }

    /**
     * Sends all rows of a case to the model at {@code location} in one request and compares every
     * expected column, and the seed's {@code predictions} and {@code predictions_prob}, at the case's
     * tolerance. The schema, for sending numbers as numbers, comes from the server's own engine.
     */
    static void checkOverHttp(TestServer server, ConformanceCorpus.Case c, String location) throws IOException {
        ModelSchema schema = server.ownEngine.model(location).schema();
        Map<String, String> types = new HashMap<>();
        for (InputFieldSchema input : schema.inputs()) {
            types.put(input.name(), input.dataType());
        }
        List<Map<String, Object>> records = new ArrayList<>();
        for (Map<String, Object> row : c.inputs()) {
            records.add(typed(row, types));
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("payload", records);
        request.put("pipelineFilename", location);
        request.put("implementation", "Any Label");
        request.put("requestArguments", Map.of("outputFields", "true"));

        TestServer.Response response = server.post("/invocations", ServerApp.MAPPER.writeValueAsString(request));

        assertThat(response.status()).as("%s: %s", c.name(), response.body()).isEqualTo(200);
        JsonNode body = response.json();
        List<Map<String, Object>> expected = c.expected();
        JsonNode fields = body.get("responseArguments").get("fields");
        assertThat(fields).hasSize(expected.size());
        assertThat(body.get("predictions")).hasSize(expected.size());
        String target = schema.primaryTarget().map(t -> t.name()).orElse("");
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        for (int row = 0; row < expected.size(); row++) {
            for (Map.Entry<String, Object> cell : expected.get(row).entrySet()) {
                String column = cell.getKey();
                String want = (String) cell.getValue();
                assertThat(fields.get(row).has(column)).as("%s: result field %s", c.name(), column).isTrue();
                compared++;
                note(mismatches, row, c.mismatch(column, want, value(fields.get(row).get(column))));
                if (column.equals(target)) {
                    note(mismatches, row, c.mismatch("predictions", want, value(body.get("predictions").get(row))));
                }
                JsonNode probability = probability(body, row, column);
                if (probability != null) {
                    note(mismatches, row, c.mismatch("predictions_prob for " + column, want, value(probability)));
                }
            }
        }
        assertThat(mismatches).as("%s: mismatches", c.name()).isEmpty();
        assertThat(compared).isEqualTo(expected.size() * expected.get(0).size());
    }

    /** The {@code predictions_prob} cell of a {@code probability(<class>)} column, if the response has one. */
    private static JsonNode probability(JsonNode body, int row, String column) {
        Matcher m = PROBABILITY.matcher(column);
        if (!m.matches() || !body.has("classes")) {
            return null;
        }
        JsonNode classes = body.get("classes");
        for (int i = 0; i < classes.size(); i++) {
            if (classes.get(i).asText().equals(m.group(1))) {
                return body.get("predictions_prob").get(row).get(i);
            }
        }
        throw new AssertionError("column " + column + " names no class of " + classes);
    }

    private static void note(List<String> mismatches, int row, String mismatch) {
        if (mismatch != null && mismatches.size() < 10) {
            mismatches.add("row " + row + ": " + mismatch);
        }
    }

    static Object value(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return node.isIntegralNumber() ? (Object) node.asLong() : (Object) node.asDouble();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        try {
            return node.isTextual() ? node.asText() : ServerApp.MAPPER.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A corpus row as a client would send it: cells of numeric fields as JSON numbers, others as
     * strings, missing values as null. With no types known, every cell that reads as a number is one.
     */
    static Map<String, Object> typed(Map<String, Object> row, Map<String, String> types) {
        Map<String, Object> record = new LinkedHashMap<>();
        row.forEach((name, cell) -> {
            String type = types.get(name);
            boolean numeric = types.isEmpty() ? isNumber((String) cell) : type != null && NUMERIC.contains(type);
            record.put(name, cell == null || !numeric ? cell : number((String) cell));
        });
        return record;
    }

    private static boolean isNumber(String cell) {
        if (cell == null) {
            return false;
        }
        try {
            Double.parseDouble(cell);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Object number(String cell) {
        try {
            return Long.parseLong(cell);
        } catch (NumberFormatException e) {
            return Double.parseDouble(cell);
        }
    }
}
