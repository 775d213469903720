package dev.pronto.server;

import static dev.pronto.server.TestServer.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /invocations} with CSV and JSON Lines: naming the model, negotiation, limits and bad rows over a real socket. */
class RecordInvocationsTest {

    private static final String HEADER = "sepal_length,sepal_width,petal_length,petal_width\n";
    private static final String ROWS = "5.1,3.5,1.4,0.2\n6.3,3.3,6.0,2.5\n";

    @TempDir
    static Path root;
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.iris(root,
                ServerSettings.defaults().withLimits(ServerSettings.DEFAULT_MAX_BODY_BYTES, 3, Duration.ofSeconds(30)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TestServer.Response post(String query, String body, String contentType, String accept, String model) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.base.resolve("/invocations" + query))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        if (accept != null) {
            request.header("Accept", accept);
        }
        if (model != null) {
            request.header(RecordRequests.TARGET_MODEL_HEADER, model);
        }
        return server.send(request);
    }

    @Test
    void csvAnswersCsvByDefaultAndJsonWhenAsked() {
        TestServer.Response csv = post("?pipelineFilename=iris", HEADER + ROWS, "text/csv", null, null);
        TestServer.Response json = post("?pipelineFilename=iris", HEADER + ROWS, "text/csv", "application/json", null);

        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.body().lines()).hasSize(3).first().isEqualTo("species,probability(0),probability(1),probability(2)");
        assertThat(csv.body().lines().skip(1).map(line -> line.split(",")[0])).containsExactly("0", "2");
        assertThat(json.status()).isEqualTo(200);
        assertThat(json.json().get("predictions").toString()).isEqualTo("[0,2]");
        assertThat(json.json().get("classes").toString()).isEqualTo("[0,1,2]");
    }

    @Test
    void sageMakerHeaderNamesTheModelAndHeaderAbsentUsesTheInputOrder() {
        TestServer.Response response = post("?header=absent&idColumn=sepal_length", ROWS, "text/csv",
                "application/jsonlines", "iris/model.pmml");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/jsonlines");
        assertThat(response.body().lines()).hasSize(2).first().asString()
                .startsWith("{\"sepal_length\":5.1,\"species\":0,\"probability(0)\":0.98");
    }

    @Test
    void jsonLinesAnswerTheSameAsCsv() {
        String jsonLines = "{\"sepal_length\":5.1,\"sepal_width\":3.5,\"petal_length\":1.4,\"petal_width\":0.2}\n\n"
                + "{\"sepal_length\":6.3,\"sepal_width\":3.3,\"petal_length\":6.0,\"petal_width\":2.5}\n";
        TestServer.Response fromLines = post("?pipelineFilename=iris", jsonLines, "application/jsonlines", "text/csv", null);
        TestServer.Response fromCsv = post("?pipelineFilename=iris", HEADER + ROWS, "text/csv", "text/csv", null);

        assertThat(fromLines.status()).isEqualTo(200);
        assertThat(fromLines.body()).isEqualTo(fromCsv.body());
    }

    @Test
    void malformedRowsNameLineAndColumn() {
        assertError(post("?pipelineFilename=iris", HEADER + "5.1,abc,1.4,0.2\n", "text/csv", null, null), 422,
                "invalid_record", "sepal_width", 0);
        assertThat(post("?pipelineFilename=iris", HEADER + ROWS + "5.1,3.5,1.4\n", "text/csv", null, null).error()
                .get("message").asText()).isEqualTo("line 4: 3 cells, but the header names 4 columns");
        TestServer.Response unbalanced = post("?pipelineFilename=iris", HEADER + "5.1,\"3.5,1.4,0.2\n", "text/csv", null, null);
        assertError(unbalanced, 400, "invalid_request", null, 0);
        assertThat(unbalanced.error().get("message").asText())
                .isEqualTo("line 2: a quoted cell opened on this line is never closed (unbalanced quotes)");
        assertThat(post("?pipelineFilename=iris", HEADER + "5.1,3.5,1.4,0.2\n", "text/csv", null, null).status()).isEqualTo(200);
        assertThat(post("?pipelineFilename=iris", "{\"sepal_length\": }\n", "application/jsonlines", null, null)
                .error().get("message").asText()).startsWith("line 1: not valid JSON: ");
    }

    @Test
    void modelNameLimitsAndNegotiationAreChecked() {
        assertError(post("", HEADER + ROWS, "text/csv", null, null), 400, "missing_field", "pipelineFilename", null);
        assertError(post("?pipelineFilename=iris", HEADER + ROWS + ROWS, "text/csv", null, null), 413, "too_many_records",
                null, null);
        assertError(post("?pipelineFilename=iris", HEADER + ROWS, "text/csv", "text/html", null), 406, "not_acceptable",
                null, null);
        assertError(post("?pipelineFilename=iris", HEADER, "text/csv", null, null), 400, "invalid_request", null, null);
        assertError(post("?pipelineFilename=iris&header=maybe", HEADER + ROWS, "text/csv", null, null), 400,
                "invalid_value", "header", null);
        assertError(post("?pipelineFilename=nowhere/model.pmml", HEADER + ROWS, "text/csv", null, null), 404,
                "model_not_found", null, null);
    }

    @Test
    void acceptIsReadByQuality() {
        assertThat(RecordRequests.answerFormat("text/csv;q=0.5, application/json", dev.pronto.inference.batch.RecordFormat.CSV))
                .isEmpty();
        assertThat(RecordRequests.answerFormat("*/*", dev.pronto.inference.batch.RecordFormat.JSONL))
                .contains(dev.pronto.inference.batch.RecordFormat.JSONL);
    }
}
