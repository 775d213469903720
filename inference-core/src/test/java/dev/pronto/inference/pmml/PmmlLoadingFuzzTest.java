package dev.pronto.inference.pmml;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.spi.ModelSource;
import dev.pronto.inference.spi.Pipeline;

/**
 * Fuzzes model loading: any bytes given to the PMML loader either load into a pipeline or are
 * refused as {@link ErrorCategory#INVALID_MODEL}, never with another exception or error, which the
 * server would answer 500. Seeds are small models of several kinds, in
 * {@code PmmlLoadingFuzzTestInputs/} beside this class's resources.
 *
 * <p>A plain build runs the seeds only (regression mode, about a second). A long run, instrumenting
 * jpmml and our code, is {@code bench/fuzz.sh model} (documented in {@code docs/security.md}).
 */
class PmmlLoadingFuzzTest {

    private static final ModelLocation LOCATION = ModelLocation.parse("fuzz/model.pmml");
    /** No warm-up: it scores made-up records and would only slow each input down. */
    private static final PmmlPipelineLoader LOADER = new PmmlPipelineLoader(0, true);

    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "4h")
    void anyBytesLoadOrAreRefusedAsAnInvalidModel(byte[] pmml) {
        try (Pipeline pipeline = LOADER.load(new ModelSource(LOCATION, pmml, "0".repeat(64)))) {
            assertThat(pipeline.schema()).isNotNull();
        } catch (InferenceException e) {
            assertThat(e.category()).as(e.getMessage()).isEqualTo(ErrorCategory.INVALID_MODEL);
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
