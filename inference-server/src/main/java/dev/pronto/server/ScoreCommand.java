package dev.pronto.server;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.ModelFormat;
import dev.pronto.inference.ModelInfo;
import dev.pronto.inference.batch.BadRecordException;
import dev.pronto.inference.batch.BatchScorer;
import dev.pronto.inference.batch.PredictionColumns;
import dev.pronto.inference.batch.PredictionWriter;
import dev.pronto.inference.batch.RecordFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pronto score}: scores a CSV or JSON Lines file (or standard input) of any size into a file
 * (or standard output), in parallel, keeping the input order, with bounded memory. The output has the
 * columns of the HTTP answer ({@link PredictionColumns}). Progress goes to standard error.
 *
 * <p>Exit status: 0 when every row was scored (or skipped with {@code --on-error skip}), 1 at a bad
 * row or a model that cannot score, 2 for a usage or configuration mistake.
 */
@Command(name = "score", mixinStandardHelpOptions = true, version = "pronto score",
        description = "Score a CSV or JSON Lines file with a model; writes the predictions in the same format.")
final class ScoreCommand implements Callable<Integer> {

    /** What to do with a bad row. */
    enum OnError { fail, skip }

    @Mixin
    Cli.EngineOptions engineOptions = new Cli.EngineOptions();

    @Option(names = "--model", required = true, paramLabel = "LOCATION", description = "the model, as pipelineFilename names it")
    String model;

    @Option(names = "--implementation", paramLabel = "FORMAT", description = "the model's format, when its extension does not say")
    String implementation;

    @Option(names = "--input", required = true, paramLabel = "FILE|-", description = "the records; - for standard input")
    String input;

    @Option(names = "--output", required = true, paramLabel = "FILE|-", description = "the predictions; - for standard output")
    String output;

    @Option(names = "--format", paramLabel = "csv|jsonl", description = "the input's format (default: from the "
            + "input's extension, else csv); the output has the same")
    String format;

    @Option(names = "--threads", paramLabel = "N", description = "scoring threads (default: the number of cores)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--id-column", paramLabel = "C", description = "an input column copied first into each output row")
    String idColumn;

    @Option(names = "--on-error", paramLabel = "fail|skip", description = "at a bad row: stop with its line "
            + "(fail, the default), or skip it and count it")
    OnError onError = OnError.fail;

    @Option(names = "--no-header", description = "the CSV has no header row: its cells are the model's inputs in order")
    boolean noHeader;

    @Option(names = "--all-fields", description = "write every result field of the model instead of the "
            + "prediction and class probabilities")
    boolean allFields;

    @Option(names = "--progress-seconds", paramLabel = "S", description = "seconds between progress lines when "
            + "standard error is not a terminal (default 10; 0 for none)")
    int progressSeconds = 10;

    @Option(names = "--chunk-size", hidden = true, description = "records per scoring task")
    int chunkSize = 2000;

    private final PrintStream err = System.err;

    @Override
    public Integer call() {
        RecordFormat recordFormat;
        try {
            recordFormat = recordFormat();
            if (threads < 1) {
                throw new ConfigException("--threads must be at least 1, not " + threads);
            }
        } catch (ConfigException e) {
            err.println("pronto score: " + e.getMessage());
            return 2;
        }
        try {
            return engineOptions.withEngine("score", engine -> {
                try {
                    return score(engine, recordFormat);
                } catch (BadRecordException e) {
                    err.println("pronto score: " + e.getMessage() + (onError == OnError.fail && e.skippable()
                            ? " (--on-error skip skips such rows)" : ""));
                    return 1;
                }
            });
        } catch (NoSuchFileException e) {
            err.println("pronto score: no such file: " + e.getFile());
            return 2;
        } catch (IOException e) {
            err.println("pronto score: " + e.getMessage());
            return 1;
        }
    }

    private int score(InferenceEngine engine, RecordFormat recordFormat) throws IOException {
        Optional<ModelFormat> modelFormat = new FormatLabels(engine.formats()).formatNamedBy(implementation);
        ModelInfo info = modelFormat.isEmpty() ? engine.model(model) : engine.model(model, modelFormat.get());
        String location = info.location().toString();
        long size = input.equals("-") ? -1 : Files.size(Path.of(input));
        CountingInputStream counted = new CountingInputStream(input.equals("-") ? new BufferedInputStream(new java.io.FileInputStream(FileDescriptor.in), 64 * 1024)
                : Files.newInputStream(Path.of(input)));
        OutputStream sink = output.equals("-") ? new FileOutputStream(FileDescriptor.out) : Files.newOutputStream(Path.of(output));
        PredictionColumns columns = PredictionColumns.of(info.schema(), idColumn, allFields);
        ProgressReport progress = new ProgressReport(err, counted::count, size, System.console() != null, progressSeconds);
        BatchScorer.Result result;
        try (InputStream in = counted;
                PredictionWriter out = PredictionWriter.open(recordFormat, new BufferedOutputStream(sink, 64 * 1024), columns)) {
            result = new BatchScorer(threads, chunkSize, onError == OnError.skip).score(
                    records -> modelFormat.isEmpty() ? engine.predict(location, records)
                            : engine.predict(location, modelFormat.get(), records),
                    recordFormat, in, info.schema(), !noHeader, out, progress::update);
        } finally {
            progress.finish();
        }
        progress.summary(result.records(), result.skipped());
        result.problems().forEach(problem -> err.println("pronto score: skipped " + problem));
        if (result.skipped() > result.problems().size()) {
            err.println("pronto score: ... and " + (result.skipped() - result.problems().size()) + " more skipped rows");
        }
        return 0;
    }

    private RecordFormat recordFormat() {
        if (format != null) {
            return switch (format) {
                case "csv" -> RecordFormat.CSV;
                case "jsonl" -> RecordFormat.JSONL;
                default -> throw new ConfigException("--format must be csv or jsonl, not \"" + format + "\"");
            };
        }
        return RecordFormat.ofFileName(input).orElse(RecordFormat.CSV);
    }

    /** Counts the bytes read, for the progress's ETA. */
    static final class CountingInputStream extends java.io.FilterInputStream {
        private volatile long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
