package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 finding 6 (and 10's model blamed on the record) over real sockets: messages are about the
 * request or the model, and never name a Java or library class, feature flag or limit accessor.
 */
class MessagesTest {

    /** A Java type or member as libraries print them: {@code JsonReadFeature.ALLOW_...}, {@code java.io.EOFException}. */
    private static final Pattern JAVA_NAME = Pattern.compile("`|\\w+(Exception|Error)\\b|\\b[A-Z][a-z]+[A-Z]\\w*\\.[A-Za-z_]+"
            + "|\\b[a-z]+(\\.[a-z]+)+\\.[A-Z]\\w*");

    @TempDir
    static Path root;
    private static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        TestServer.copy(TestServer.IRIS, root, "iris/model.pmml");
        TestServer.write("<!doctype html><html><head><title>Not found</title></head><body><h1>404</h1></body></html>"
                .replace("<!doctype html>", "").getBytes(StandardCharsets.UTF_8), root, "html/model.pmml");
        byte[] pickle = Files.readAllBytes(Path.of("..", "examples", "models", "iris", "iris.pickle"));
        TestServer.write(Arrays.copyOf(pickle, pickle.length / 3), root, "truncated/model.pkl");
        TestServer.write(FailureIsolationTest.nestedTree(1).clone(), root, "tree/model.pmml");
        TestServer.write(new String(FailureIsolationTest.nestedTree(2), StandardCharsets.UTF_8)
                .replace("<True/></Node></Node>", "<SimplePredicate field=\"z\" operator=\"greaterThan\" value=\"1\"/>"
                        + "</Node></Node>").getBytes(StandardCharsets.UTF_8), root, "undefined/model.pmml");
        server = TestServer.overFolder(root, ServerSettings.defaults());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void nanTokenNamesNoParserFeature() {
        TestServer.Response response = server.post("/invocations", TestServer.SEED_EXAMPLE.replace("3.5", "NaN"));

        TestServer.assertError(response, 400, "malformed_json", null, null);
        assertThat(response.error().get("message").asText()).contains("NaN").doesNotContainPattern(JAVA_NAME);
    }

    @Test
    void overlongNumberNamesNoParserLimit() {
        TestServer.Response response = server.post("/invocations", TestServer.SEED_EXAMPLE.replace("3.5", "1".repeat(1500)));

        TestServer.assertError(response, 400, "malformed_json", null, null);
        assertThat(response.error().get("message").asText()).doesNotContainPattern(JAVA_NAME);
    }

    @Test
    void htmlPageNamedPmmlGetsAShortMessage() {
        TestServer.Response response = server.post("/invocations", TestServer.SEED_EXAMPLE.replace("iris/model.pmml",
                "html/model.pmml"));

        TestServer.assertError(response, 422, "invalid_model", null, null);
        assertThat(response.error().get("message").asText()).hasSizeLessThan(500).doesNotContainPattern(JAVA_NAME);
    }

    @Test
    void truncatedPickleNamesNoExceptionClass() {
        TestServer.Response response = server.post("/invocations", TestServer.SEED_EXAMPLE.replace("iris/model.pmml",
                "truncated/model.pkl"));

        TestServer.assertError(response, 422, "invalid_model", null, null);
        assertThat(response.error().get("message").asText()).doesNotContainPattern(JAVA_NAME);
    }

    /** Finding 10: a model that refers to a field it never defines was blamed on the record. */
    @Test
    void undefinedFieldInTheModelIsBlamedOnTheModel() {
        TestServer.Response response = server.post("/invocations", FailureIsolationTest.request("undefined/model.pmml"));

        // the record that met the undefined field is named, but the code says the model must be fixed
        TestServer.assertError(response, 422, "invalid_model", null, 0);
        assertThat(response.error().get("message").asText()).contains("\"z\"");
    }
}
