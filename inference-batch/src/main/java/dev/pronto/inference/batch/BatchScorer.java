package dev.pronto.inference.batch;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongConsumer;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.Prediction;

/**
 * Scores a stream of any length: reads chunks of records, scores them on a pool of threads and
 * writes the predictions in input order. At most {@code 2 × threads} chunks are in flight, so memory
 * stays bounded whatever the input size; with one thread the output is byte for byte what more threads give.
 *
 * <p>Bad rows (a {@link BadRecordException} from the reader, or a record the model refuses with
 * {@link ErrorCategory#INVALID_RECORD}) stop the run with their line, or are skipped and counted.
 *
 * <pre>{@code
 * BatchScorer.Result result = new BatchScorer(2, 1000, false)
 *         .score(records -> engine.predict(location, records), reader, writer, "id", done -> {});
 * }</pre>
 *
 * <p>Immutable and thread-safe; each {@link #score} call uses its own threads.
 *
 * @param threads the scoring threads
 * @param chunkSize records per chunk
 * @param skipBadRecords skip bad rows instead of stopping at the first
 */
public record BatchScorer(int threads, int chunkSize, boolean skipBadRecords) {

    /** How many skipped rows {@link Result#problems()} describes. */
    public static final int PROBLEMS_KEPT = 10;

    /** Rejects non-positive sizes. */
    public BatchScorer {
        if (threads < 1 || chunkSize < 1) {
            throw new IllegalArgumentException("threads and chunkSize must be positive");
        }
    }

    /**
     * What a run did.
     *
     * @param records the rows scored and written
     * @param skipped the rows skipped
     * @param problems the first {@value #PROBLEMS_KEPT} skipped rows' messages, each naming its line
     */
    public record Result(long records, long skipped, List<String> problems) {
        /** Copies the list. */
        public Result {
            problems = List.copyOf(problems);
        }
    }

    /** The records of one chunk with where they came from. */
    private record Chunk(List<Map<String, Object>> records, long[] lines) {
    }

    /** A scored chunk: the predictions of the rows kept, their ids, and the rows skipped. */
    private record Scored(List<Prediction> predictions, List<Object> ids, List<String> problems) {
    }

    /**
     * Scores every record of {@code in} and writes it to {@code out}; neither is closed.
     *
     * @param scorer scores a list of records, e.g. {@code records -> engine.predict(location, records)}
     * @param idColumn the input field copied to the output's id column, or {@code null}
     * @param progress told the number of records written so far after each chunk
     * @throws BadRecordException for the first bad row, unless skipping
     * @throws InferenceException when the model cannot score at all
     * @throws IOException when a stream fails
     */
    public Result score(Function<List<Map<String, Object>>, List<Prediction>> scorer, RecordReader in,
            PredictionWriter out, String idColumn, LongConsumer progress) throws IOException {
        Objects.requireNonNull(scorer, "scorer");
        AtomicInteger counter = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "pronto-batch-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            Deque<Future<Scored>> pending = new ArrayDeque<>();
            List<String> problems = new ArrayList<>();
            long[] counts = new long[2];
            for (Chunk chunk = read(in, problems, counts); chunk != null; chunk = read(in, problems, counts)) {
                Chunk work = chunk;
                pending.add(pool.submit(() -> score(scorer, work, idColumn)));
                while (pending.size() >= 2 * threads) {
                    write(pending.poll(), out, problems, counts, progress);
                }
            }
            while (!pending.isEmpty()) {
                write(pending.poll(), out, problems, counts, progress);
            }
            out.flush();
            return new Result(counts[0], counts[1], problems.subList(0, Math.min(PROBLEMS_KEPT, problems.size())));
        } finally {
            pool.shutdownNow();
        }
    }

    /** The next chunk, or null at the end; skipped rows are counted in {@code counts[1]}. */
    private Chunk read(RecordReader in, List<String> problems, long[] counts) throws IOException {
        List<Map<String, Object>> records = new ArrayList<>(chunkSize);
        long[] lines = new long[chunkSize];
        while (records.size() < chunkSize) {
            Map<String, Object> record;
            try {
                record = in.next();
            } catch (BadRecordException e) {
                if (!skipBadRecords || !e.skippable()) {
                    throw e;
                }
                counts[1]++;
                note(problems, e.getMessage());
                continue;
            }
            if (record == null) {
                break;
            }
            lines[records.size()] = in.line();
            records.add(record);
        }
        return records.isEmpty() ? null : new Chunk(records, lines);
    }

    private Scored score(Function<List<Map<String, Object>>, List<Prediction>> scorer, Chunk chunk, String idColumn) {
        List<Object> ids = new ArrayList<>(chunk.records().size());
        try {
            List<Prediction> predictions = scorer.apply(chunk.records());
            chunk.records().forEach(record -> ids.add(idColumn == null ? null : record.get(idColumn)));
            return new Scored(predictions, ids, List.of());
        } catch (InferenceException e) {
            if (e.category() != ErrorCategory.INVALID_RECORD) {
                throw e;
            }
            int index = e.record().orElse(0);
            if (!skipBadRecords) {
                throw atLine(e, chunk.lines()[Math.min(index, chunk.lines().length - 1)], index);
            }
        }
        // one record spoiled the chunk: score them one by one to keep the others
        List<Prediction> predictions = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < chunk.records().size(); i++) {
            Map<String, Object> record = chunk.records().get(i);
            try {
                predictions.add(scorer.apply(List.of(record)).get(0));
                ids.add(idColumn == null ? null : record.get(idColumn));
            } catch (InferenceException e) {
                if (e.category() != ErrorCategory.INVALID_RECORD) {
                    throw e;
                }
                problems.add(atLine(e, chunk.lines()[i], i).getMessage());
            }
        }
        return new Scored(predictions, ids, problems);
    }

    private static BadRecordException atLine(InferenceException e, long line, int index) {
        return new BadRecordException(e.category(), line, e.field().orElse(null), index, e.getMessage(), true);
    }

    private static void write(Future<Scored> next, PredictionWriter out, List<String> problems, long[] counts,
            LongConsumer progress) throws IOException {
        Scored scored;
        try {
            scored = next.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InferenceException(ErrorCategory.INTERNAL, "interrupted while scoring", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("scoring failed", e.getCause());
        }
        for (int i = 0; i < scored.predictions().size(); i++) {
            out.write(scored.ids().get(i), scored.predictions().get(i));
        }
        counts[0] += scored.predictions().size();
        counts[1] += scored.problems().size();
        scored.problems().forEach(problem -> note(problems, problem));
        progress.accept(counts[0]);
    }

    private static void note(List<String> problems, String problem) {
        if (problems.size() < PROBLEMS_KEPT) {
            problems.add(problem);
        }
    }
}
