package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key given twice in one JSON object is refused as malformed JSON wherever it occurs in a
 * {@code POST /invocations} body, naming the key and where it is, over a real socket. The seed
 * request's parser finds duplicates itself (the record table already knows the keys seen); the
 * other protocols' requests keep Jackson's detection, checked here too.
 */
class DuplicateKeysTest {

    private static final String RECORD = "{\"sepal_length\": 5.1, \"sepal_width\": 3.5, \"petal_length\": 1.4, \"petal_width\": 0.2}";

    @TempDir
    static Path root;
    private static TestServer server;

    @BeforeAll
    static void start() {
        TestServer.copy(TestServer.IRIS, root, "iris/model.pmml");
        server = TestServer.overFolder(root, ServerSettings.defaults().withModels(Map.of("iris", "iris/model.pmml")));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void keyTwiceInTheFirstRecordIsMalformedJsonNamingTheKeyAndItsPlace() {
        String body = request(RECORD.replace("\"petal_width\"", "\"sepal_width\": 3.6, \"petal_width\""));

        TestServer.Response response = server.post("/invocations", body);

        TestServer.assertError(response, 400, "malformed_json", null, null);
        // at the second "sepal_width", counted from column 1
        int column = body.indexOf("\"sepal_width\"", body.indexOf("\"sepal_width\"") + 1) + 1;
        assertThat(response.error().get("message").asText()).isEqualTo("the request body is not valid JSON: "
                + "Duplicate field 'sepal_width' (line 1, column " + column + ")");
    }

    @Test
    void keyTwiceInALaterRecordIsRefusedAlthoughEarlierRecordsHadItOnce() {
        TestServer.Response response = server.post("/invocations", request(RECORD + ", " + RECORD + ", "
                + RECORD.replace("}", ", \"sepal_length\": 5.0}")));

        TestServer.assertError(response, 400, "malformed_json", null, null);
        assertThat(response.error().get("message").asText()).contains("Duplicate field 'sepal_length'", "line 1");
    }

    @Test
    void keysInAnotherOrderAndNullValuesAreNoDuplicates() {
        String reordered = "{\"petal_width\": 0.2, \"sepal_width\": 3.5, \"sepal_length\": null, \"petal_length\": 1.4}";

        TestServer.Response response = server.post("/invocations", request(RECORD + ", " + reordered + ", " + RECORD));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("predictions")).hasSize(3);
    }

    @Test
    void columnTwiceInAColumnOrientedPayloadIsRefused() {
        TestServer.Response response = server.post("/invocations", "{\"payload\": {\"sepal_length\": [5.1], "
                + "\"sepal_width\": [3.5], \"sepal_length\": [5.2]}, \"pipelineFilename\": \"iris/model.pmml\"}");

        TestServer.assertError(response, 400, "malformed_json", null, null);
        assertThat(response.error().get("message").asText()).contains("Duplicate field 'sepal_length'");
    }

    @Test
    void requestFieldOrArgumentTwiceIsRefused() {
        TestServer.Response payloadTwice = server.post("/invocations", "{\"payload\": [" + RECORD + "], "
                + "\"pipelineFilename\": \"iris/model.pmml\", \"payload\": [" + RECORD + "]}");
        TestServer.Response argumentTwice = server.post("/invocations", "{\"payload\": [" + RECORD + "], "
                + "\"pipelineFilename\": \"iris/model.pmml\", \"requestArguments\": {\"isLeafNumber\": \"false\", "
                + "\"isLeafNumber\": \"true\"}}");

        TestServer.assertError(payloadTwice, 400, "malformed_json", null, null);
        assertThat(payloadTwice.error().get("message").asText()).contains("Duplicate field 'payload'");
        TestServer.assertError(argumentTwice, 400, "malformed_json", null, null);
        assertThat(argumentTwice.error().get("message").asText()).contains("Duplicate field 'isLeafNumber'");
    }

    @Test
    void openInferenceRequestsKeepRefusingDuplicateKeys() {
        TestServer.Response response = server.post("/v2/models/iris/infer", "{\"inputs\": [{\"name\": \"sepal_length\", "
                + "\"name\": \"sepal_width\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [5.1]}]}");

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().get("error").asText()).contains("Duplicate field 'name'");
    }

    private static String request(String records) {
        return "{\"payload\": [" + records + "], \"pipelineFilename\": \"iris/model.pmml\", \"implementation\": \"x\"}";
    }
}
