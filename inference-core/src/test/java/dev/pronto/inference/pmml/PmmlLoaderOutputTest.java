package dev.pronto.inference.pmml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.spi.ModelSource;

/**
 * A refused model is reported by its exception only. The server's console is its log channel (JSON
 * lines when so configured), so a line printed by a library for each bad file would be noise that
 * breaks log parsers; the fuzz run found JAXB's default handler printing one per refused document.
 */
class PmmlLoaderOutputTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private PrintStream out;
    private PrintStream err;

    @BeforeEach
    void capture() {
        out = System.out;
        err = System.err;
        PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
    }

    @AfterEach
    void restore() {
        System.setOut(out);
        System.setErr(err);
    }

    @Test
    void refusesTwoSplicedModelsWithAReasonAndWithoutPrintingAnything() throws IOException {
        // a PMML 4.2 model spliced by the fuzzer into a PMML 4.4 one: jpmml says nothing, not even a message
        byte[] pmml = resource("PmmlLoadingFuzzTestInputs/stopped-run-spliced-documents.pmml");

        assertThatThrownBy(() -> load(pmml))
                .isInstanceOf(InferenceException.class)
                .hasMessage("model \"file:fuzz/model.pmml\" cannot be loaded: it is not a model jpmml-evaluator can run: "
                        + "its elements are in more than one PMML namespace (a document has one PMML version)")
                .satisfies(e -> assertThat(((InferenceException) e).category()).isEqualTo(ErrorCategory.INVALID_MODEL));
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void refusesAnUnexpectedElementWithoutPrintingAnything() {
        byte[] pmml = """
                <PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header><Segmentation/></Header></PMML>
                """.getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> load(pmml)).isInstanceOf(InferenceException.class).hasMessageContaining("cannot be loaded");
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    private static void load(byte[] pmml) {
        new PmmlPipelineLoader(0, true).load(new ModelSource(ModelLocation.parse("fuzz/model.pmml"), pmml, "0".repeat(64))).close();
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = PmmlLoaderOutputTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }
}
