package dev.pronto.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.jpmml.evaluator.Evaluator;
import org.jpmml.evaluator.EvaluatorUtil;
import org.jpmml.evaluator.HasProbability;
import org.jpmml.evaluator.LoadingModelEvaluatorBuilder;
import org.jpmml.evaluator.TargetField;

import dev.pronto.inference.InputFieldSchema;
import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.pmml.PmmlPipelineProvider;
import dev.pronto.inference.spi.ModelSource;
import dev.pronto.inference.spi.Pipeline;
import dev.pronto.inference.spi.ScoringNote;

/**
 * Every model of the conformance corpus scored three ways, measured in <em>thread CPU time</em> per
 * record and interleaved round by round (so the ratios hold on a busy machine): raw jpmml as the
 * peer kit's {@code naive-java} server calls it (evaluate the raw record, decode the target, read
 * each class probability), Pronto's PMML pipeline as it loads the model (compiled where it can), and
 * the pipeline with compilation off. Records are the case's own input rows, numbers typed as the JSON
 * parser delivers them (whole numbers as {@code Integer}), missing values as {@code null}.
 *
 * <pre>
 * java -cp inference-benchmarks/target/benchmarks.jar dev.pronto.benchmarks.CorpusCpuComparison \
 *     CORPUS_DIR [rounds=5] [recordsPerRound=20000] [caseRegex=.*] [paths=raw,pronto,off]
 * </pre>
 *
 * The paths share the JVM's type profiles, so a cost that one path's history causes in jpmml's code
 * (a call site made megamorphic, a branch compiled as never taken) shows in all of them; to see each
 * path as its own server would run it, measure one per JVM ({@code paths=raw}, then
 * {@code paths=pronto}). Paths not measured print as {@code -}.
 *
 * Prints a Markdown table: CPU ns per record of each path, Pronto's ratio to raw jpmml, and how the
 * pipeline scores the model.
 */
public final class CorpusCpuComparison {

    private static long sink;

    private record Subject(String name, List<Map<String, Object>> records, Function<Map<String, Object>, Object> raw,
            Pipeline pipeline, Pipeline compileOff) {
    }

    public static void main(String[] args) throws Exception {
        Path corpus = Path.of(args.length > 0 ? args[0] : "../shared/conformance");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int perRound = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        Pattern filter = Pattern.compile(args.length > 3 ? args[3] : ".*");
        List<String> paths = List.of((args.length > 4 ? args[4] : "raw,pronto,off").split(","));
        boolean[] measured = {paths.contains("raw"), paths.contains("pronto"), paths.contains("off")};
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.println("| case | raw jpmml ns/record | Pronto ns/record | ratio | compile off ns/record | ratio | Pronto scores it |");
        System.out.println("|---|---:|---:|---:|---:|---:|---|");
        for (String line : Files.readAllLines(corpus.resolve("cases.csv")).subList(1, Files.readAllLines(corpus.resolve("cases.csv")).size())) {
            String name = line.substring(0, line.indexOf(','));
            if (!filter.matcher(name).matches()) {
                continue;
            }
            Subject subject = subject(name, corpus.resolve("cases").resolve(name), measured);
            if (subject == null) {
                continue;
            }
            long[] totals = new long[3];
            for (int round = -2; round < rounds; round++) {
                // two warm-up rounds, not counted, let the JIT settle every path first
                long t0 = threads.getCurrentThreadCpuTime();
                run(subject.records(), subject.raw(), measured[0] ? perRound : 0);
                long t1 = threads.getCurrentThreadCpuTime();
                run(subject.records(), subject.pipeline()::predict, measured[1] ? perRound : 0);
                long t2 = threads.getCurrentThreadCpuTime();
                run(subject.records(), subject.compileOff()::predict, measured[2] ? perRound : 0);
                long t3 = threads.getCurrentThreadCpuTime();
                if (round >= 0) {
                    totals[0] += t1 - t0;
                    totals[1] += t2 - t1;
                    totals[2] += t3 - t2;
                }
            }
            double raw = totals[0] / (double) rounds / perRound;
            double pronto = totals[1] / (double) rounds / perRound;
            double off = totals[2] / (double) rounds / perRound;
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", name, figure(measured[0], raw),
                    figure(measured[1], pronto), ratio(measured[0] && measured[1], pronto / raw), figure(measured[2], off),
                    ratio(measured[0] && measured[2], off / raw), note(subject.pipeline()));
        }
        if (sink == 42) {
            System.out.println();
        }
    }

    private static String figure(boolean measured, double nanos) {
        return measured ? String.format(Locale.ROOT, "%.0f", nanos) : "-";
    }

    private static String ratio(boolean measured, double ratio) {
        return measured ? String.format(Locale.ROOT, "%.2f", ratio) : "-";
    }

    private static String note(Pipeline pipeline) {
        String note = pipeline instanceof ScoringNote scoring ? scoring.scoringNote() : "";
        return note.replaceAll(" on \\d+ check records", "").replace("|", "/");
    }

    private static void run(List<Map<String, Object>> records, Function<Map<String, Object>, ?> path, int count) {
        int size = records.size();
        for (int i = 0; i < count; i++) {
            sink += System.identityHashCode(path.apply(records.get(i % size)));
        }
    }

    /** The case's model loaded three ways and its rows that raw jpmml scores; {@code null} if it scores none. */
    private static Subject subject(String name, Path folder, boolean[] measured) throws IOException {
        byte[] model = Files.readAllBytes(folder.resolve("model.pmml"));
        Evaluator evaluator;
        try {
            evaluator = new LoadingModelEvaluatorBuilder().load(new java.io.ByteArrayInputStream(model)).build();
        } catch (Exception e) {
            throw new IOException("cannot load " + name, e);
        }
        // a pipeline not measured is loaded without warm-up or check, so that it adds nothing to the JIT's profiles
        Map<String, String> quiet = Map.of("compile", "false", "warmup-evaluations", "0");
        Pipeline pipeline = load(name, model, measured[1] ? Map.of() : quiet);
        Pipeline compileOff = load(name, model, measured[2] ? Map.of("compile", "false") : quiet);
        List<TargetField> targets = evaluator.getTargetFields();
        TargetField target = targets.isEmpty() ? null : targets.get(0);
        List<Object> classes = target == null || target.getCategories() == null ? List.of() : target.getCategories();
        Function<Map<String, Object>, Object> raw = record -> {
            Map<String, ?> results = evaluator.evaluate(record);
            Object value = results.get(target == null ? null : target.getName());
            if (value instanceof HasProbability distribution && !classes.isEmpty()) {
                double[] p = new double[classes.size()];
                for (int k = 0; k < p.length; k++) {
                    p[k] = distribution.getProbability(classes.get(k));
                }
                return p;
            }
            return EvaluatorUtil.decode(value);
        };
        List<Map<String, Object>> records = new ArrayList<>();
        for (Map<String, Object> record : rows(folder.resolve("input.csv"), pipeline)) {
            try {
                if (measured[0] || !measured[1]) {
                    raw.apply(record);
                }
                if (measured[1]) {
                    pipeline.predict(record);
                }
                records.add(record);
            } catch (RuntimeException e) {
                // a row jpmml refuses is no measure of scoring
            }
        }
        return records.isEmpty() ? null : new Subject(name, records, raw, pipeline, compileOff);
    }

    private static Pipeline load(String name, byte[] model, Map<String, String> config) {
        return new PmmlPipelineProvider().create(config)
                .load(new ModelSource(ModelLocation.parse(name + ".pmml"), model, "v1"));
    }

    /** The rows, typed as Jackson parses JSON: continuous fields' whole numbers as Integer, others as Double. */
    private static List<Map<String, Object>> rows(Path csv, Pipeline pipeline) throws IOException {
        Map<String, InputFieldSchema> inputs = new HashMap<>();
        for (InputFieldSchema input : pipeline.schema().inputs()) {
            inputs.put(input.name(), input);
        }
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        String[] header = lines.get(0).split(",", -1);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            Map<String, Object> row = new HashMap<>();
            for (int c = 0; c < header.length && c < cells.length; c++) {
                InputFieldSchema input = inputs.get(header[c]);
                if (input == null) {
                    continue;
                }
                String cell = cells[c];
                row.put(header[c], cell.equals("N/A") || cell.equals("NA") ? null : typed(cell, input));
            }
            rows.add(row);
        }
        return rows;
    }

    private static Object typed(String cell, InputFieldSchema input) {
        boolean numeric = input.opType().equals("continuous") || input.dataType().equals("integer")
                || input.dataType().equals("double") || input.dataType().equals("float");
        if (!numeric) {
            return cell;
        }
        try {
            return Integer.valueOf(cell);
        } catch (NumberFormatException e) {
            try {
                return Double.valueOf(cell);
            } catch (NumberFormatException notANumber) {
                return cell;
            }
        }
    }
}
