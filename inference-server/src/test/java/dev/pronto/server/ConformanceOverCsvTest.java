package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;


import dev.pronto.inference.ModelSchema;
import dev.pronto.inference.batch.RecordFormat;
import dev.pronto.inference.batch.RecordReader;
import dev.pronto.inference.testing.ConformanceCorpus;

/**
 * Every case of the conformance corpus through {@code POST /invocations} with CSV and JSON Lines
 * bodies and answers: the case's own {@code input.csv} sent as it is, answered in CSV with every
 * result field; the same rows as JSON Lines, answered in JSON Lines with the default columns (the
 * target, then {@code probability(<class>)}). Every expected column the answer has is compared at
 * the case's tolerance, as {@link CorpusOverHttp} does for JSON.
 */
class ConformanceOverCsvTest {

    /** A schema without inputs: the answers are read back as text and compared as the corpus compares. */
    private static final ModelSchema TEXT = new ModelSchema("regression", List.of(), List.of(), List.of());

    @RegisterExtension
    static final ServedBy CORPUS = CorpusOverHttp.SERVED;

    @TestFactory
    Stream<DynamicTest> csvInCsvOutWithEveryResultField(TestServer server) {
        return CorpusOverHttp.CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            String location = CorpusOverHttp.location(c);
            TestServer.Response response = post(server, "/invocations?outputFields=true&pipelineFilename=" + encode(location),
                    inputCsv(c), "text/csv", "text/csv");
            assertThat(response.status()).as("%s: %s", c.name(), response.body()).isEqualTo(200);
            assertThat(response.header("Content-Type")).startsWith("text/csv");
            List<String> mismatches = compare(c, rows(RecordFormat.CSV, response.body()), true);
            assertThat(mismatches).as(c.name()).isEmpty();
        }));
    }

    @TestFactory
    Stream<DynamicTest> jsonLinesInJsonLinesOutWithTheDefaultColumns(TestServer server) {
        return CorpusOverHttp.CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            String location = CorpusOverHttp.location(c);
            ModelSchema schema = CorpusOverHttp.schema(server, location);
            StringBuilder body = new StringBuilder();
            for (Map<String, Object> record : CorpusOverHttp.records(c, schema)) {
                body.append(ServerApp.MAPPER.writeValueAsString(record)).append('\n');
            }
            TestServer.Response response = server.send(HttpRequest.newBuilder(server.base.resolve("/invocations"))
                    .header(RecordRequests.TARGET_MODEL_HEADER, location)
                    .header("Content-Type", "application/jsonlines").header("Accept", "application/jsonlines")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
            assertThat(response.status()).as("%s: %s", c.name(), response.body()).isEqualTo(200);
            List<Map<String, Object>> rows = rows(RecordFormat.JSONL, response.body());
            assertThat(rows).hasSize(c.expected().size());
            String target = schema.primaryTarget().map(t -> t.name()).filter(n -> !n.isEmpty()).orElse("prediction");
            assertThat(rows.get(0)).containsKey(target);
            if (target.equals("prediction")) {
                // a clustering model names no target: its prediction is the cluster's id, which the corpus may list by
                // another name (knime's "cluster_2" for id 3); the CSV test compares its output fields instead
                assertThat(rows).allMatch(row -> row.get("prediction") != null);
                return;
            }
            assertThat(compare(c, rows, false)).as(c.name()).isEmpty();
        }));
    }

    private static TestServer.Response post(TestServer server, String path, String body, String contentType, String accept) {
        return server.send(HttpRequest.newBuilder(server.base.resolve(path)).header("Content-Type", contentType)
                .header("Accept", accept).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    static String inputCsv(ConformanceCorpus.Case c) throws IOException {
        try (InputStream in = ConformanceCorpus.class.getResourceAsStream(c.folder() + "input.csv")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** The answer's rows, cells as the reader gives them: text from CSV, JSON types from JSON Lines. */
    static List<Map<String, Object>> rows(RecordFormat format, String body) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (RecordReader in = RecordReader.open(format, new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), TEXT, true)) {
            for (Map<String, Object> row = in.next(); row != null; row = in.next()) {
                rows.add(row);
            }
        }
        return rows;
    }

    /**
     * Compares the expected cells with the answer's; with {@code every}, every expected column must be
     * in the answer, otherwise only the target and probability columns are (the default columns).
     */
    static List<String> compare(ConformanceCorpus.Case c, List<Map<String, Object>> rows, boolean every) {
        List<Map<String, Object>> expected = c.expected();
        List<String> mismatches = new ArrayList<>();
        if (rows.size() != expected.size()) {
            return List.of(expected.size() + " expected rows, " + rows.size() + " in the answer");
        }
        int compared = 0;
        for (int row = 0; row < expected.size() && mismatches.size() < 10; row++) {
            for (Map.Entry<String, Object> cell : expected.get(row).entrySet()) {
                String column = cell.getKey();
                if (!rows.get(row).containsKey(column)) {
                    if (every) {
                        mismatches.add("row " + row + ": the answer has no column " + column);
                    }
                    continue;
                }
                compared++;
                String mismatch = c.mismatch(column, (String) cell.getValue(), typed(rows.get(row).get(column)));
                if (mismatch != null) {
                    mismatches.add("row " + row + ": " + mismatch);
                }
            }
        }
        if (compared == 0) {
            mismatches.add("no expected column is in the answer");
        }
        return mismatches;
    }

    /** A CSV cell as the corpus compares it: a number when it reads as one. */
    private static Object typed(Object cell) {
        if (!(cell instanceof String text)) {
            return cell;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return text.equals("true") || text.equals("false") ? Boolean.valueOf(text) : text;
        }
    }
}
