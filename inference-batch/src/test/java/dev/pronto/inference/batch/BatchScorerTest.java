package dev.pronto.inference.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.Prediction;

class BatchScorerTest {

    /** A model that answers "a" with probability x / 1000 and refuses x = 13 as a real model refuses a bad value. */
    private static final Function<List<Map<String, Object>>, List<Prediction>> MODEL = records -> {
        List<Prediction> out = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            double x = (Double) records.get(i).get("x");
            if (x == 13) {
                throw new InferenceException(ErrorCategory.INVALID_RECORD, "record " + i + ": field \"x\": 13 is unlucky",
                        "x", i, null);
            }
            out.add(RecordIoTest.prediction("a", x / 1000));
        }
        return out;
    };

    private static String input(int rows) {
        StringBuilder csv = new StringBuilder("id,x,n,colour\n");
        for (int i = 0; i < rows; i++) {
            csv.append(i).append(',').append(i % 997 == 13 ? 14 : i % 997).append(",1,red\n");
        }
        return csv.toString();
    }

    private static String run(BatchScorer scorer, String csv, BatchScorer.Result[] result) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PredictionWriter out = PredictionWriter.open(RecordFormat.CSV, bytes,
                PredictionColumns.of(RecordIoTest.SCHEMA, "id", false))) {
            result[0] = scorer.score(MODEL, RecordFormat.CSV, RecordIoTest.utf8(csv), RecordIoTest.SCHEMA, true, out, done -> { });
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void moreThreadsWriteTheSameRowsInInputOrder() throws IOException {
        BatchScorer.Result[] result = new BatchScorer.Result[1];
        String one = run(new BatchScorer(1, 7, false), input(5000), result);
        String four = run(new BatchScorer(4, 7, false), input(5000), result);

        assertThat(four).isEqualTo(one);
        assertThat(result[0].records()).isEqualTo(5000);
        assertThat(one.lines().skip(1).map(line -> line.split(",")[0]).toList())
                .isEqualTo(java.util.stream.IntStream.range(0, 5000).mapToObj(String::valueOf).toList());
    }

    @Test
    void badRowsStopWithTheirLineOrAreSkippedAndCounted() throws IOException {
        String csv = "id,x,n,colour\n0,1,1,a\n1,oops,1,a\n2,13,1,a\n3,4,1,a\n";
        BatchScorer.Result[] result = new BatchScorer.Result[1];

        assertThatThrownBy(() -> run(new BatchScorer(2, 10, false), csv, result))
                .hasMessage("line 3, column \"x\": expected a number, got \"oops\"");
        assertThatThrownBy(() -> run(new BatchScorer(2, 10, false), "id,x,n,colour\n0,1,1,a\n2,13,1,a\n", result))
                .hasMessage("line 3, column \"x\": record 1: field \"x\": 13 is unlucky");

        String out = run(new BatchScorer(2, 10, true), csv, result);
        assertThat(out.lines().map(line -> line.split(",")[0])).containsExactly("id", "0", "3");
        assertThat(result[0].records()).isEqualTo(2);
        assertThat(result[0].skipped()).isEqualTo(2);
        assertThat(result[0].problems()).containsExactly("line 3, column \"x\": expected a number, got \"oops\"",
                "line 4, column \"x\": record 0: field \"x\": 13 is unlucky");
    }

    /** Rows whose quoted cells hold line breaks, with bad rows among them, cut into chunks of 3 rows. */
    private static final String QUOTED = "id,x,n,colour\n"
            + "\"a\nb\",1,1,red\n"           // lines 2-3
            + "c,2,1,\"dark\r\nblue\"\r\n"  // lines 4-5
            + "\n"                               // line 6, blank
            + "d,oops,1,red\n"                  // line 7: not a number
            + "\"e\"\"\n\",13,1,red\n"     // lines 8-9: refused by the model
            + "f,3,1,\"x\ny\nz\"\n"         // lines 10-12
            + "g,4,1\n"                         // line 13: a cell short
            + "h,5,1,red\n";                    // line 14

    @Test
    void quotedLineBreaksKeepLineNumbersRightAcrossChunksAndThreads() throws IOException {
        BatchScorer.Result[] result = new BatchScorer.Result[1];
        String one = run(new BatchScorer(1, 3, true), QUOTED, result);
        BatchScorer.Result single = result[0];
        String two = run(new BatchScorer(2, 3, true), QUOTED, result);

        assertThat(two).isEqualTo(one);
        assertThat(result[0]).isEqualTo(single);
        assertThat(two).isEqualTo("id,label,probability(a),probability(b)\n" + row("\"a\nb\"", 1) + row("c", 2) + row("f", 3)
                + row("h", 5));
        assertThat(result[0].skipped()).isEqualTo(3);
        assertThat(result[0].problems()).containsExactly("line 7, column \"x\": expected a number, got \"oops\"",
                "line 8, column \"x\": record 0: field \"x\": 13 is unlucky", "line 13: 3 cells, but the header names 4 columns");

        for (int threads = 1; threads <= 2; threads++) {
            BatchScorer failing = new BatchScorer(threads, 3, false);
            assertThatThrownBy(() -> run(failing, QUOTED, result)).isInstanceOfSatisfying(BadRecordException.class,
                    e -> assertThat(e.line()).isEqualTo(7)).hasMessage("line 7, column \"x\": expected a number, got \"oops\"");
            assertThatThrownBy(() -> run(failing, QUOTED.replace("oops", "5"), result))
                    .hasMessage("line 8, column \"x\": record 0: field \"x\": 13 is unlucky");
        }
    }

    private static String row(String id, double x) {
        return id + ",a," + x / 1000 + "," + (1 - x / 1000) + "\n";
    }

    @Test
    void anUnclosedQuoteStopsEvenWhenSkipping() {
        BatchScorer.Result[] result = new BatchScorer.Result[1];
        assertThatThrownBy(() -> run(new BatchScorer(2, 2, true), "id,x,n,colour\n0,1,1,a\n1,2,1,a\n2,3,1,\"open\n3,4,1,a\n",
                result)).isInstanceOfSatisfying(BadRecordException.class, e -> assertThat(e.skippable()).isFalse())
                .hasMessage("line 4: a quoted cell opened on this line is never closed (unbalanced quotes)");
    }
}
