package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 findings 4 and 10 over real sockets: values that would score silently wrong are refused,
 * naming the field and the record.
 */
class InputStrictnessTest {

    private static final String RECORD = "{\"sepal_length\": 5.1, \"sepal_width\": 3.5, \"petal_length\": 1.4, \"petal_width\": 0.2}";

    @TempDir
    static Path root;
    private static TestServer server;

    @BeforeAll
    static void start() {
        TestServer.copy(TestServer.IRIS, root, "iris/model.pmml");
        server = TestServer.overFolder(root, ServerSettings.defaults());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Finding 4: {@code 1e400}, {@code -1e400} and {@code "Infinity"} scored as class 0 with "NaN" probabilities. */
    @Test
    void numbersNoDoubleCanHoldAre422NamingFieldAndRecord() {
        for (String value : new String[] {"1e400", "-1e400", "\"Infinity\"", "\"-Infinity\"", "\"1e999\"", "\" +1E400\"", "\".5e999\""}) {
            TestServer.Response response = server.post("/invocations", request(RECORD + ", "
                    + RECORD.replace("3.5", value)));

            TestServer.assertError(response, 422, "invalid_record", "sepal_width", 1);
            assertThat(response.error().get("message").asText()).contains("not a finite number");
        }
    }

    /** Finding 10: JSON {@code true} was taken as the number 1. */
    @Test
    void booleanForANumericInputIs422() {
        TestServer.Response response = server.post("/invocations", request(RECORD.replace("1.4", "true")));

        TestServer.assertError(response, 422, "invalid_record", "petal_length", 0);
        assertThat(response.error().get("message").asText()).contains("expected a number", "boolean");
    }

    /** The request's key table says that some record holds a boolean; the records then say which, by index. */
    @Test
    void booleanInALaterRecordIsFoundWhereverItIs() {
        TestServer.Response rows = server.post("/invocations", request(RECORD + ", " + RECORD + ", "
                + RECORD.replace("0.2", "false")));
        TestServer.Response columns = server.post("/invocations", "{\"payload\": {\"sepal_length\": [5.1, 5.2], "
                + "\"sepal_width\": [3.5, 3.4], \"petal_length\": [1.4, true], \"petal_width\": [0.2, 0.3]}, "
                + "\"pipelineFilename\": \"iris/model.pmml\"}");

        TestServer.assertError(rows, 422, "invalid_record", "petal_width", 2);
        TestServer.assertError(columns, 422, "invalid_record", "petal_length", 1);
    }

    /** A boolean for an input that is not numeric, and strings and nulls for numeric ones, are the model's to judge. */
    @Test
    void recordsWithNullsAndNumbersAsStringsPassTheCheck() {
        TestServer.Response response = server.post("/invocations", request(RECORD + ", "
                + RECORD.replace("5.1", "null").replace("3.5", "\"3.5\"")));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    /** Finding 10: a misspelt key was ignored, and the record scored as if the input were missing. */
    @Test
    void misspeltKeyIs400NamingTheClosestInput() {
        TestServer.Response response = server.post("/invocations", request(RECORD + ", "
                + RECORD.replace("sepal_length", "sepal_lenght")));

        TestServer.assertError(response, 400, "unknown_field", "sepal_lenght", 1);
        assertThat(response.error().get("message").asText()).contains("did you mean \"sepal_length\"?");
    }

    /** Whole table rows, with columns the model does not read beside all its inputs, keep working by default. */
    @Test
    void extraColumnsBesideEveryInputAreAcceptedByDefault() {
        TestServer.Response response = server.post("/invocations", request(RECORD.replace("}", ", \"species\": \"setosa\"}")));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @Test
    void unknownKeysAreRefusedOrIgnoredAsConfigured() {
        String extra = request(RECORD.replace("}", ", \"species\": \"setosa\"}"));
        try (TestServer strict = TestServer.overFolder(root, AppOptions.defaults().withProtection(
                ProtectionSettings.defaults().withUnknownKeys(ProtectionSettings.UnknownKeys.REFUSE)), Map.of());
                TestServer lenient = TestServer.overFolder(root, AppOptions.defaults().withProtection(
                        ProtectionSettings.defaults().withUnknownKeys(ProtectionSettings.UnknownKeys.IGNORE)), Map.of())) {
            TestServer.assertError(strict.post("/invocations", extra), 400, "unknown_field", "species", 0);
            // a key only a later record has is found in that record
            TestServer.assertError(strict.post("/invocations", request(RECORD + ", " + RECORD + ", "
                    + RECORD.replace("}", ", \"species\": \"setosa\"}"))), 400, "unknown_field", "species", 2);
            assertThat(lenient.post("/invocations", request(RECORD.replace("sepal_length", "sepal_lenght"))).status())
                    .isEqualTo(200);
        }
    }

    /** Finding 10: {@code isLeafNumber: ""} was taken as false; the documentation says "true" or "false". */
    @Test
    void emptyIsLeafNumberIs400() {
        TestServer.Response response = server.post("/invocations", TestServer.SEED_EXAMPLE.replace("}\n",
                "}\n").replace("\"implementation\": \"Logistic Regression\"",
                "\"implementation\": \"Logistic Regression\", \"requestArguments\": {\"isLeafNumber\": \"\"}"));

        TestServer.assertError(response, 400, "invalid_value", "requestArguments.isLeafNumber", null);
    }

    private static String request(String records) {
        return "{\"payload\": [" + records + "], \"pipelineFilename\": \"iris/model.pmml\", \"implementation\": \"x\"}";
    }
}
