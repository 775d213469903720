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

import com.fasterxml.jackson.databind.JsonNode;

import dev.pronto.inference.ModelSchema;
import dev.pronto.inference.testing.ConformanceCorpus;

/**
 * What the conformance tests over HTTP share, whatever the protocol: a server over the whole corpus,
 * a case's rows typed as a client would send them, and the comparison of every expected cell with the
 * answer's, at the case's tolerance. Each protocol's test only builds its request and says where a
 * cell is in its answer ({@link Cells}).
 */
final class CorpusOverHttp {

    static final List<ConformanceCorpus.Case> CASES = ConformanceCorpus.cases();
    /** One server over the whole corpus for every class of the run that registers it: the 48 models load once. */
    static final ServedBy SERVED = ServedBy.shared("conformance corpus", CorpusOverHttp::serve);
    private static final Set<String> NUMERIC = Set.of("double", "float", "integer");
    private static final Pattern PROBABILITY = Pattern.compile("probability\\((.*)\\)");

    private CorpusOverHttp() {
    }

    /** Every case's model at {@code root/<case>/model.pmml}, each also named by its case, served with an engine of its own. */
    static TestServer serve(Path root) {
        Map<String, String> names = new LinkedHashMap<>();
        for (ConformanceCorpus.Case c : CASES) {
            TestServer.write(c.model(), root, location(c));
            names.put(c.name(), location(c));
        }
        return TestServer.overFolder(root, ServerSettings.defaults().withModels(names));
    }

    /** Where {@link #serve} put the case's model. */
    static String location(ConformanceCorpus.Case c) {
        return c.name() + "/model.pmml";
    }

    /** The schema of the model at {@code location}, from the server's own engine. */
    static ModelSchema schema(TestServer server, String location) {
        return server.ownEngine.model(location).schema();
    }

    /** The case's rows as a client sends them to that model: numbers where its schema says numeric. */
    static List<Map<String, Object>> records(ConformanceCorpus.Case c, ModelSchema schema) {
        Map<String, String> types = new HashMap<>();
        schema.inputs().forEach(input -> types.put(input.name(), input.dataType()));
        List<Map<String, Object>> records = new ArrayList<>();
        c.inputs().forEach(row -> records.add(typed(row, types)));
        return records;
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

    /**
     * Sends all rows of a case to the model at {@code location} through {@code POST /invocations} in
     * one request and compares every expected column, and the seed's {@code predictions} (the target
     * column) and {@code predictions_prob} (the {@code probability(<class>)} columns).
     */
    static void checkInvocations(TestServer server, ConformanceCorpus.Case c, String location) throws IOException {
        ModelSchema schema = schema(server, location);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("payload", records(c, schema));
        request.put("pipelineFilename", location);
        request.put("implementation", "Any Label");
        request.put("requestArguments", Map.of("outputFields", "true"));

        TestServer.Response response = server.post("/invocations", ServerApp.MAPPER.writeValueAsString(request));

        assertThat(response.status()).as("%s: %s", c.name(), response.body()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("responseArguments").get("fields")).hasSize(c.expected().size());
        assertThat(body.get("predictions")).hasSize(c.expected().size());
        String target = schema.primaryTarget().map(t -> t.name()).orElse("");
        compare(c, (row, column) -> body.get("responseArguments").get("fields").get(row).get(column),
                (row, column) -> column.equals(target) ? body.get("predictions").get(row) : null,
                (row, column) -> probability(body.get("classes"), body.get("predictions_prob"), row, column));
    }

    /** A cell of an answer: row and column to the JSON value, or null if the answer has none. */
    interface Cells {
        JsonNode get(int row, String column);
    }

    /**
     * Compares every expected cell with {@code primary}, which must have it, and with each of
     * {@code others} where that has it (a second view of the same value).
     */
    static void compare(ConformanceCorpus.Case c, Cells primary, Cells... others) {
        List<Map<String, Object>> expected = c.expected();
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        for (int row = 0; row < expected.size(); row++) {
            for (Map.Entry<String, Object> cell : expected.get(row).entrySet()) {
                String column = cell.getKey();
                String want = (String) cell.getValue();
                JsonNode actual = primary.get(row, column);
                assertThat(actual).as("%s: row %d column %s", c.name(), row, column).isNotNull();
                compared++;
                note(mismatches, row, c.mismatch(column, want, value(actual)));
                for (Cells view : others) {
                    JsonNode other = view.get(row, column);
                    if (other != null) {
                        note(mismatches, row, c.mismatch(column + " (second view)", want, value(other)));
                    }
                }
            }
        }
        assertThat(mismatches).as("%s: mismatches", c.name()).isEmpty();
        assertThat(compared).isEqualTo(expected.size() * expected.get(0).size());
    }

    /**
     * The cell of a {@code probability(<class>)} column in rows of probabilities in the order of
     * {@code classes}, or null if the column is not one or there are no classes.
     *
     * @param probabilities one array per row, or one flat array of rows one after the other
     */
    static JsonNode probability(JsonNode classes, JsonNode probabilities, int row, String column) {
        Matcher m = PROBABILITY.matcher(column);
        if (!m.matches() || classes == null || probabilities == null) {
            return null;
        }
        for (int i = 0; i < classes.size(); i++) {
            if (classes.get(i).asText().equals(m.group(1))) {
                return probabilities.get(0).isArray() ? probabilities.get(row).get(i)
                        : probabilities.get(row * classes.size() + i);
            }
        }
        throw new AssertionError("column " + column + " names no class of " + classes);
    }

    private static void note(List<String> mismatches, int row, String mismatch) {
        if (mismatch != null && mismatches.size() < 10) {
            mismatches.add("row " + row + ": " + mismatch);
        }
    }

    /** A JSON value as the corpus compares it: numbers, booleans and text as Java values, anything else as JSON text. */
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
