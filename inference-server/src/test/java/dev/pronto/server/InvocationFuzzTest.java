package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelFormat;
import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.Prediction;

/**
 * Fuzzes the path a request body takes: bytes → {@link InvocationParser} → records scored by the
 * iris model → the response written. Each step either succeeds or fails as a client's mistake
 * ({@link ApiException} below 500, or an {@link InferenceException} of a category the server answers
 * with 4xx or 503); anything else, which the server would answer 500, is a finding. The same steps
 * as {@code POST /invocations}, without the socket, so that millions of inputs fit in a run.
 *
 * <p>A plain build runs the seeds in {@code InvocationFuzzTestInputs/} only (regression mode). The
 * long run is documented in {@code docs/security.md}.
 */
class InvocationFuzzTest {

    private static final String MODEL = FuzzIrisEngine.MODEL;
    /** Small limits, so that the fuzzer reaches them with inputs of a few kilobytes. */
    private static final InvocationParser PARSER = new InvocationParser(ServerApp.MAPPER,
            ServerSettings.defaults().withLimits(64 * 1024, 100, Duration.ofSeconds(30)));
    private static FuzzIrisEngine iris;
    private static InferenceEngine engine;
    private static FormatLabels formats;

    @BeforeAll
    static void start() throws IOException {
        iris = new FuzzIrisEngine();
        engine = iris.engine();
        formats = new FormatLabels(engine.formats());
    }

    @AfterAll
    static void stop() throws IOException {
        iris.close();
    }

    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "4h")
    void anyBodyIsScoredOrRefusedAsAClientError(byte[] body) {
        try {
            scoreAndWrite(body);
        } catch (ApiException e) {
            assertThat(e.status()).as(e.getMessage()).isBetween(400, 499);
            assertThat(e.getMessage()).isNotBlank();
        } catch (InferenceException e) {
            requireClientCategory(e);
        }
    }

    /** What {@code POST /invocations} does with a body, up to the bytes of the answer. */
    private static void scoreAndWrite(byte[] body) {
        Invocation request = PARSER.parse(new ByteArrayInputStream(body), body.length);
        checkLocation(request.pipelineFilename());
        // the parsed records against a model that is loaded, whatever location the body named
        Optional<ModelFormat> format = formats.formatNamedBy(request.implementation());
        List<Prediction> predictions = format.isEmpty() ? engine.predict(MODEL, request.records())
                : engine.predict(MODEL, format.get(), request.records());
        if (request.leafNumbers()) {
            InvocationResponse.requireLeafNumbers(predictions, MODEL);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            InvocationResponse.write(out, ServerApp.MAPPER, predictions, request.leafNumbers(), request.outputFields());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(out.size()).isPositive();
    }

    private static void checkLocation(String location) {
        try {
            ModelLocation.parse(location);
        } catch (InferenceException e) {
            requireClientCategory(e);
        }
    }

    private static void requireClientCategory(InferenceException e) {
        assertThat(e.category()).as(e.getMessage()).isNotIn(ErrorCategory.INTERNAL, ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).isNotBlank();
    }
}
