package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pronto.inference.ModelInfo;
import dev.pronto.inference.Prediction;
import dev.pronto.inference.testing.ConformanceCorpus;

/**
 * scikit-learn pickles served by the server, through a real socket: every {@code sklearn-*} case of
 * the conformance corpus from its original pickle, the seed's request against its iris pickle,
 * pickles that cannot be converted or try to run code, and the download of the converted PMML.
 */
class SkLearnOverHttpTest {

    private static final List<ConformanceCorpus.Case> CASES = ConformanceCorpus.cases().stream()
            .filter(c -> c.name().startsWith("sklearn-"))
            .toList();
    /** The seed's iris pickle is the module's {@code mapper-model-iris} fixture, with what scikit-learn predicted. */
    private static final ConformanceCorpus.Case IRIS = fixture("mapper-model-iris");
    private static final Path SEED_IRIS_PICKLE = Path.of("..", "examples", "models", "iris", "iris.pickle");

    @TempDir
    static Path root;
    /** Where the exploit pickles would create files if anything in them ran. */
    private static Path markers;
    private static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        markers = Files.createDirectories(root.resolve("markers"));
        for (ConformanceCorpus.Case c : CASES) {
            TestServer.write(c.pickle(), root, c.name() + "/model.pkl");
        }
        TestServer.copy(SEED_IRIS_PICKLE, root, "iris/iris.pickle");
        TestServer.copy(SEED_IRIS_PICKLE, root, "seed/iris.pickle");
        TestServer.copy(SEED_IRIS_PICKLE, root, "configured/iris.pickle");
        TestServer.copy(TestServer.IRIS, root, "iris/model.pmml");
        TestServer.write(fixture("error-unsupported-transformer").pickle(), root, "errors/unsupported-transformer.pkl");
        // the classic exploits, as Python's pickle protocol 0 writes them: os.system("touch <marker>"),
        // directly and through getattr(__import__("os"), "system")
        TestServer.write(("cposix\nsystem\n(S'touch " + markers.resolve("system-ran") + "'\ntR.")
                .getBytes(StandardCharsets.US_ASCII), root, "errors/system.pkl");
        TestServer.write(("c__builtin__\ngetattr\n(c__builtin__\n__import__\n(S'os'\ntRS'system'\ntR(S'touch "
                + markers.resolve("import-ran") + "'\ntR.").getBytes(StandardCharsets.US_ASCII), root, "errors/import.pkl");
        // conversions take seconds each on a busy machine: a generous timeout keeps the test about
        // answers, not speed
        ServerSettings settings = new ServerSettings(ServerSettings.DEFAULT_MAX_BODY_BYTES, ServerSettings.DEFAULT_MAX_RECORDS,
                Duration.ofMinutes(5), Map.of("iris_pickle", "configured/iris.pickle", "iris_pmml", "iris/model.pmml"));
        server = TestServer.overFolder(root, settings, Map.of("pipeline.sklearn.warmup-evaluations", "10"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void corpusHasTwentyEightScikitLearnCases() {
        assertThat(CASES).hasSize(28);
    }

    @TestFactory
    Stream<DynamicTest> everyPickleMatchesScikitLearnOverHttp() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            String location = c.name() + "/model.pkl";
            CorpusOverHttp.checkInvocations(server, c, location);

            TestServer.Response model = server.get("/models/" + location);
            assertThat(model.status()).as(model.body()).isEqualTo(200);
            assertThat(model.json().get("format").asText()).isEqualTo("sklearn");
        }));
    }

    @Test
    void seedRequestAgainstTheIrisPickleAnswersLikeScikitLearn() throws IOException {
        String request = TestServer.SEED_EXAMPLE.replace("\"iris/model.pmml\"", "\"seed/iris.pickle\"");
        assertThat(request).contains("\"seed/iris.pickle\"", "\"implementation\": \"Logistic Regression\"");

        TestServer.Response response = server.post("/invocations", request);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("classes").toString()).isEqualTo("[\"setosa\",\"versicolor\",\"virginica\"]");
        assertThat(body.get("predictions")).hasSize(2);
        assertThat(body.get("predictions_prob")).hasSize(2);
        // the first record is the first Iris row, whose scikit-learn answer the fixture recorded
        Map<String, Object> expected = IRIS.expected().get(0);
        assertThat(IRIS.mismatch("y", (String) expected.get("y"), body.get("predictions").get(0).asText())).isNull();
        for (int i = 0; i < 3; i++) {
            String column = "probability(" + body.get("classes").get(i).asText() + ")";
            assertThat(IRIS.mismatch(column, (String) expected.get(column), body.get("predictions_prob").get(0).get(i).asDouble()))
                    .isNull();
        }
    }

    @Test
    void everyIrisRowFromTheSeedPickleMatchesScikitLearnOverHttp() throws IOException {
        assertThat(IRIS.inputs()).hasSize(150);

        CorpusOverHttp.checkInvocations(server, IRIS, "iris/iris.pickle");
    }

    @Test
    void unsupportedTransformerIsInvalidModelNamingTheClass() {
        TestServer.Response response = invoke("errors/unsupported-transformer.pkl");

        TestServer.assertError(response, 422, "invalid_model", null, null);
        assertThat(response.error().get("message").asText())
                .startsWith("model \"file:errors/unsupported-transformer.pkl\" cannot be loaded as a scikit-learn pickle: ")
                .contains("sklearn.kernel_approximation.Nystroem");
    }

    @Test
    void picklesThatTryToRunCodeAreInvalidModelsAndRunNothing() throws IOException {
        TestServer.Response system = invoke("errors/system.pkl");
        TestServer.Response imported = invoke("errors/import.pkl");

        TestServer.assertError(system, 422, "invalid_model", null, null);
        assertThat(system.error().get("message").asText()).contains("\"posix.system\"", "nothing in the pickle was run");
        TestServer.assertError(imported, 422, "invalid_model", null, null);
        assertThat(imported.error().get("message").asText()).contains("__import__");
        try (Stream<Path> ran = Files.list(markers)) {
            assertThat(ran).isEmpty();
        }
    }

    @Test
    void convertedPmmlOfAConfiguredPickleDownloadsAndScoresLikeThePickle() throws Exception {
        TestServer.Response download = server.get("/models/iris_pickle/pmml");

        assertThat(download.status()).as(download.body()).isEqualTo(200);
        assertThat(download.header("Content-Type")).startsWith("application/xml");
        assertThat(download.header("Content-Disposition")).isEqualTo("inline; filename=\"iris.pmml\"");
        Document document = parseXml(download.body());
        assertThat(document.getDocumentElement().getLocalName()).isEqualTo("PMML");
        assertThat(document.getElementsByTagNameNS("*", "DataField").getLength()).isEqualTo(5);

        // the document is what the server scores: loaded as a .pmml file it answers as the pickle does
        TestServer.write(download.body().getBytes(StandardCharsets.UTF_8), root, "downloaded/iris.pmml");
        List<Prediction> fromPmml = server.ownEngine.predict("downloaded/iris.pmml", IRIS.inputs());
        assertThat(IRIS.mismatches(fromPmml, 10)).isEmpty();
        assertThat(server.ownEngine.model("downloaded/iris.pmml").format()).isEqualTo("pmml");
    }

    @Test
    void convertedPmmlByLocationIsServedOnlyForLoadedPickles() {
        String location = "iris/iris.pickle";
        server.ownEngine.model(location);

        TestServer.Response byLocation = server.get("/models/" + location + "/pmml");
        TestServer.Response byCanonicalLocation = server.get("/models/file:" + location + "/pmml");

        assertThat(byLocation.status()).as(byLocation.body()).isEqualTo(200);
        assertThat(byLocation.body()).startsWith("<?xml").contains("<PMML");
        assertThat(byCanonicalLocation.body()).isEqualTo(byLocation.body());
    }

    @Test
    void pmmlModelHasNoConvertedDocument() {
        TestServer.Response configured = server.get("/models/iris_pmml/pmml");
        server.ownEngine.model("iris/model.pmml");
        TestServer.Response byLocation = server.get("/models/iris/model.pmml/pmml");

        TestServer.assertError(configured, 404, "no_converted_pmml", null, null);
        assertThat(configured.error().get("message").asText())
                .isEqualTo("model \"file:iris/model.pmml\" (format pmml) was not converted to PMML: "
                        + "the stored file is the document it evaluates");
        TestServer.assertError(byLocation, 404, "no_converted_pmml", null, null);
    }

    @Test
    void downloadNeverLoadsAModelByLocation() {
        TestServer.write(fixture("bare-logistic-iris").pickle(), root, "unloaded/model.pkl");

        TestServer.Response download = server.get("/models/unloaded/model.pkl/pmml");

        TestServer.assertError(download, 404, "model_not_found", null, null);
        assertThat(server.ownEngine.models()).extracting(ModelInfo::location).map(Object::toString)
                .doesNotContain("file:unloaded/model.pkl");
    }

    private static TestServer.Response invoke(String location) {
        return server.post("/invocations", """
                {"payload": [{"sepal_length": 5.1}], "pipelineFilename": "%s", "implementation": "Logistic Regression"}"""
                .formatted(location));
    }

    private static ConformanceCorpus.Case fixture(String name) {
        // the fixtures' expected outputs are scikit-learn's own, in double precision as the corpus
        return new ConformanceCorpus.Case(name, "", 1e-9, 1e-9, "/sklearn/" + name + "/");
    }

    private static Document parseXml(String text) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        try (InputStream in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))) {
            return factory.newDocumentBuilder().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
