package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelHandle;
import dev.pronto.inference.Prediction;
import dev.pronto.inference.batch.PredictionColumns;
import dev.pronto.inference.batch.PredictionWriter;
import dev.pronto.inference.batch.RecordFormat;
import dev.pronto.inference.batch.RecordReader;
import dev.pronto.inference.toolkit.BoundedInputStream;

/**
 * Fuzzes the path a CSV or JSON Lines body takes on {@code POST /invocations} (the JSON body has
 * {@link InvocationFuzzTest}): bytes → {@link RecordReader} typed by the iris model's schema under a
 * size and record limit → {@link RecordCheck} → scoring → the answer written by
 * {@link PredictionWriter} or as JSON. Each step succeeds or fails as a client's mistake (an
 * {@link ApiException} below 500, or an {@link InferenceException} of a client category, which is
 * what a bad row's {@code BadRecordException} is); anything else, which the server would answer 500,
 * is a finding. The first byte picks the request's shape: CSV or JSON Lines, header row or not, the
 * answer's format, an id column or not; the rest is the body.
 *
 * <p>A plain build runs the seeds in {@code RecordBodyFuzzTestInputs/} only (regression mode);
 * {@code bench/fuzz.sh records} runs it long (docs/security.md).
 */
class RecordBodyFuzzTest {

    /** Small limits, so that the fuzzer reaches them with inputs of a few kilobytes. */
    private static final int MAX_BYTES = 64 * 1024;
    private static final int MAX_RECORDS = 100;
    private static final RecordCheck CHECK = new RecordCheck(ProtectionSettings.defaults().unknownKeys());
    private static FuzzIrisEngine iris;
    private static ModelHandle model;

    @BeforeAll
    static void start() throws IOException {
        iris = new FuzzIrisEngine();
        model = iris.engine().handle(FuzzIrisEngine.MODEL);
    }

    @AfterAll
    static void stop() throws IOException {
        iris.close();
    }

    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "4h")
    void anyRecordBodyIsScoredOrRefusedAsAClientError(byte[] input) {
        if (input.length == 0) {
            return;
        }
        try {
            scoreAndWrite(input[0], Arrays.copyOfRange(input, 1, input.length));
        } catch (ApiException e) {
            assertThat(e.status()).as(e.getMessage()).isBetween(400, 499);
            assertThat(e.getMessage()).isNotBlank();
        } catch (InferenceException e) {
            assertThat(e.category()).as(e.getMessage()).isNotIn(ErrorCategory.INTERNAL, ErrorCategory.CONFIGURATION);
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    /** What {@code POST /invocations} does with a CSV or JSON Lines body, up to the bytes of the answer. */
    private static void scoreAndWrite(byte shape, byte[] body) {
        RecordFormat format = (shape & 1) == 0 ? RecordFormat.CSV : RecordFormat.JSONL;
        boolean header = (shape & 2) == 0;
        boolean answerAsJson = (shape & 4) != 0;
        String idColumn = (shape & 8) == 0 ? null : "sepal_length";
        List<Map<String, Object>> records = new ArrayList<>();
        try (RecordReader in = RecordReader.open(format, new BoundedInputStream(new ByteArrayInputStream(body), MAX_BYTES),
                model.info().schema(), header)) {
            for (Map<String, Object> record = in.next(); record != null; record = in.next()) {
                if (records.size() >= MAX_RECORDS) {
                    return; // the server's 413
                }
                records.add(record);
            }
        } catch (BoundedInputStream.LimitExceededException e) {
            return; // the server's 413
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (records.isEmpty()) {
            return; // the server's 400 for a body without records
        }
        CHECK.check(records, model.info().schema());
        List<Prediction> predictions = model.predict(records);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (answerAsJson) {
                InvocationResponse.write(out, ServerApp.MAPPER, predictions, false, false);
            } else {
                PredictionColumns columns = PredictionColumns.of(model.info().schema(), idColumn, false);
                try (PredictionWriter writer = PredictionWriter.open(format, out, columns)) {
                    for (int i = 0; i < predictions.size(); i++) {
                        writer.write(idColumn == null ? null : records.get(i).get(idColumn), predictions.get(i));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(out.size()).isPositive();
    }
}
