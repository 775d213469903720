package dev.pronto.inference.batch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.Prediction;

/**
 * The whole work of one chunk, done on one thread: parse its rows, score them in one call, and format
 * the answer rows into bytes that the writer only copies out. Bad rows stop the chunk with their line,
 * or are skipped and described.
 *
 * <p>Immutable and thread-safe when the scorer is: one instance serves every worker thread.
 */
final class ChunkWorker {

    /** A chunk's answer rows, formatted, with what was skipped (problems by line, at most {@link BatchScorer#PROBLEMS_KEPT}). */
    record Done(byte[] rows, int written, int skipped, List<String> problems) {
    }

    /** A problem with the line it is on, to put a chunk's reading and scoring problems in line order. */
    private record Problem(long line, String message) {
    }

    private final Function<List<Map<String, Object>>, List<Prediction>> scorer;
    private final RecordFormat format;
    private final CsvRecordReader.Columns csvColumns;
    private final PredictionColumns columns;
    private final RecordFormat answerFormat;
    private final boolean skipBadRecords;

    /**
     * @param csvColumns the columns of CSV rows; unused for JSON Lines
     * @param answerFormat the format of the formatted rows
     */
    ChunkWorker(Function<List<Map<String, Object>>, List<Prediction>> scorer, RecordFormat format,
            CsvRecordReader.Columns csvColumns, PredictionColumns columns, RecordFormat answerFormat, boolean skipBadRecords) {
        this.scorer = scorer;
        this.format = format;
        this.csvColumns = csvColumns;
        this.columns = columns;
        this.answerFormat = answerFormat;
        this.skipBadRecords = skipBadRecords;
    }

    /**
     * Parses, scores and formats a chunk.
     *
     * @throws BadRecordException for its first bad row, unless skipping (and skippable)
     * @throws InferenceException when the model cannot score at all
     */
    Done apply(ChunkSplitter.Chunk chunk) {
        List<Map<String, Object>> records = new ArrayList<>();
        long[] lines = new long[64];
        List<Problem> problems = new ArrayList<>();
        try (RecordReader in = format == RecordFormat.CSV ? new CsvRecordReader(chunk, csvColumns)
                : new JsonLinesRecordReader(chunk)) {
            while (true) {
                Map<String, Object> record;
                try {
                    record = in.next();
                } catch (BadRecordException e) {
                    if (!skipBadRecords || !e.skippable()) {
                        // a record before this row that the model refuses is the first bad row
                        score(records, lines, problems);
                        throw e;
                    }
                    problems.add(new Problem(e.line(), e.getMessage()));
                    continue;
                }
                if (record == null) {
                    break;
                }
                if (records.size() == lines.length) {
                    lines = Arrays.copyOf(lines, lines.length * 2);
                }
                lines[records.size()] = in.line();
                records.add(record);
            }
            return answer(records, lines, problems);
        } catch (IOException e) {
            // the chunk is in memory: only formatting into a byte array could fail, and it does not
            throw new UncheckedIOException(e);
        }
    }

    private Done answer(List<Map<String, Object>> records, long[] lines, List<Problem> problems) throws IOException {
        List<Prediction> predictions = score(records, lines, problems);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * Math.max(1, records.size()));
        int written = 0;
        try (PredictionWriter out = PredictionWriter.rows(answerFormat, bytes, columns)) {
            String idColumn = columns.idColumn();
            for (int i = 0; i < records.size(); i++) {
                Prediction prediction = predictions.get(i);
                if (prediction != null) {
                    out.write(idColumn == null ? null : records.get(i).get(idColumn), prediction);
                    written++;
                }
            }
        }
        problems.sort(Comparator.comparingLong(Problem::line));
        List<String> kept = problems.stream().limit(BatchScorer.PROBLEMS_KEPT).map(Problem::message).toList();
        return new Done(bytes.toByteArray(), written, problems.size(), kept);
    }

    /** One prediction per record, null for a record the model refused (when skipping). */
    private List<Prediction> score(List<Map<String, Object>> records, long[] lines, List<Problem> problems) {
        if (records.isEmpty()) {
            return List.of();
        }
        try {
            return scorer.apply(records);
        } catch (InferenceException e) {
            if (e.category() != ErrorCategory.INVALID_RECORD) {
                throw e;
            }
            int index = Math.min(e.record().orElse(0), records.size() - 1);
            if (!skipBadRecords) {
                throw atLine(e, lines[index], index);
            }
        }
        // one record spoiled the chunk: score them one by one to keep the others
        List<Prediction> predictions = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            try {
                predictions.add(scorer.apply(List.of(records.get(i))).get(0));
            } catch (InferenceException e) {
                if (e.category() != ErrorCategory.INVALID_RECORD) {
                    throw e;
                }
                predictions.add(null);
                problems.add(new Problem(lines[i], atLine(e, lines[i], i).getMessage()));
            }
        }
        return predictions;
    }

    private static BadRecordException atLine(InferenceException e, long line, int index) {
        return new BadRecordException(e.category(), line, e.field().orElse(null), index, e.getMessage(), true);
    }
}
