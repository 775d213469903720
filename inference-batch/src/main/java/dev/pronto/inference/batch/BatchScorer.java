package dev.pronto.inference.batch;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongConsumer;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelSchema;
import dev.pronto.inference.Prediction;

/**
 * Scores a stream of any length in parallel, writing the predictions in input order. Every step that
 * costs something per row runs on the worker threads: one reader thread only cuts the input into
 * chunks of whole rows ({@link ChunkSplitter}: a byte scan, CSV quotes followed); each worker parses a
 * chunk, scores it in one call and formats its answer rows into bytes ({@link ChunkWorker}); the
 * calling thread only writes finished chunks in order. At most {@code 2 × threads} chunks are in
 * flight, each at most {@code chunkSize} rows (and about 512 KiB), so memory stays bounded whatever the
 * input size. With one thread everything runs on the calling thread, through the same code, so the
 * output is byte for byte what more threads give.
 *
 * <p>Bad rows (a {@link BadRecordException} from parsing, or a record the model refuses with
 * {@link ErrorCategory#INVALID_RECORD}) stop the run with their line, or are skipped and counted.
 *
 * <pre>{@code
 * try (PredictionWriter out = PredictionWriter.open(RecordFormat.CSV, stream, PredictionColumns.of(schema, "id", false))) {
 *     BatchScorer.Result result = new BatchScorer(2, 2000, false).score(records -> engine.predict(location, records),
 *             RecordFormat.CSV, input, schema, true, out, done -> { });
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe; each {@link #score} call uses its own threads.
 *
 * @param threads the scoring threads
 * @param chunkSize the most rows per chunk
 * @param skipBadRecords skip bad rows instead of stopping at the first
 */
public record BatchScorer(int threads, int chunkSize, boolean skipBadRecords) {

    /** How many skipped rows {@link Result#problems()} describes. */
    public static final int PROBLEMS_KEPT = 10;

    /** Marks the end of the input in the queue of chunks. */
    private static final Future<ChunkWorker.Done> END = CompletableFuture.completedFuture(null);

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

    /**
     * Scores every record of {@code in} and writes the answer rows to {@code out}, after what it holds
     * (the header row of {@link PredictionWriter#open}); neither is closed, {@code out} is flushed.
     *
     * @param scorer scores a list of records, e.g. {@code records -> engine.predict(location, records)}; called
     *     from several threads at once
     * @param format the input's format (UTF-8)
     * @param schema the model's schema, which types CSV cells and orders the columns of a CSV without a header
     * @param header for CSV, whether the first row names the columns
     * @param out the answer; its {@link PredictionColumns#idColumn()} names the input field copied first
     * @param progress told the number of records written so far after each chunk, on the calling thread
     * @throws BadRecordException for the first bad row, unless skipping
     * @throws InferenceException when the model cannot score at all
     * @throws IOException when a stream fails
     */
    public Result score(Function<List<Map<String, Object>>, List<Prediction>> scorer, RecordFormat format, InputStream in,
            ModelSchema schema, boolean header, PredictionWriter out, LongConsumer progress) throws IOException {
        Objects.requireNonNull(scorer, "scorer");
        ChunkSplitter splitter = new ChunkSplitter(in, format == RecordFormat.CSV);
        CsvRecordReader.Columns csvColumns = null;
        if (format == RecordFormat.CSV) {
            CellTypes types = CellTypes.of(schema);
            if (header) {
                ChunkSplitter.Chunk first = splitter.next(1);
                csvColumns = first == null ? null : CsvRecordReader.header(first, types);
                if (csvColumns == null) {
                    out.flush();
                    return new Result(0, 0, List.of());
                }
            } else {
                csvColumns = CsvRecordReader.Columns.of(types.inputOrder(), types, false);
            }
        }
        ChunkWorker worker = new ChunkWorker(scorer, format, csvColumns, out.columns, out.format(), skipBadRecords);
        Tally tally = new Tally(out, progress);
        if (threads == 1) {
            for (ChunkSplitter.Chunk chunk = splitter.next(chunkSize); chunk != null; chunk = splitter.next(chunkSize)) {
                tally.write(worker.apply(chunk));
            }
        } else {
            inParallel(splitter, worker, tally);
        }
        out.flush();
        return tally.result();
    }

    private void inParallel(ChunkSplitter splitter, ChunkWorker worker, Tally tally) throws IOException {
        AtomicInteger counter = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(threads, task -> daemon(task,
                "pronto-batch-" + counter.incrementAndGet()));
        // the queue holds the chunks in input order, each a future of its worker's result: its bound is the memory bound
        BlockingQueue<Future<ChunkWorker.Done>> queue = new ArrayBlockingQueue<>(2 * threads);
        Thread reader = daemon(() -> {
            try {
                try {
                    for (ChunkSplitter.Chunk chunk = splitter.next(chunkSize); chunk != null; chunk = splitter.next(chunkSize)) {
                        ChunkSplitter.Chunk work = chunk;
                        queue.put(workers.submit(() -> worker.apply(work)));
                    }
                    queue.put(END);
                } catch (IOException | RuntimeException | Error e) {
                    // after the chunks before it, as a row's error would come
                    queue.put(CompletableFuture.failedFuture(e));
                }
            } catch (InterruptedException e) {
                // the writer stopped: nobody takes more chunks
            }
        }, "pronto-batch-reader");
        try {
            reader.start();
            for (ChunkWorker.Done done = take(queue); done != null; done = take(queue)) {
                tally.write(done);
            }
        } finally {
            reader.interrupt();
            workers.shutdownNow();
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /** The next chunk's result, or null at the end; a worker's or the reader's exception is rethrown as it was. */
    private static ChunkWorker.Done take(BlockingQueue<Future<ChunkWorker.Done>> queue) throws IOException {
        try {
            return queue.take().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InferenceException(ErrorCategory.INTERNAL, "interrupted while scoring", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("scoring failed", e.getCause());
        }
    }

    /** Writes finished chunks and counts them; used by the calling thread only. */
    private static final class Tally {
        private final PredictionWriter out;
        private final LongConsumer progress;
        private final List<String> problems = new ArrayList<>();
        private long written;
        private long skipped;

        Tally(PredictionWriter out, LongConsumer progress) {
            this.out = out;
            this.progress = progress;
        }

        void write(ChunkWorker.Done done) throws IOException {
            out.writeFormatted(done.rows());
            written += done.written();
            skipped += done.skipped();
            done.problems().stream().limit(PROBLEMS_KEPT - problems.size()).forEach(problems::add);
            progress.accept(written);
        }

        Result result() {
            return new Result(written, skipped, problems);
        }
    }
}
