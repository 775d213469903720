package dev.pronto.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

import dev.pronto.inference.BatchPrediction;
import dev.pronto.inference.Columns;
import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.Prediction;
import dev.pronto.inference.testing.TestColumns;

/**
 * The ONNX pipeline's cost per record, in thread CPU time, beside raw ONNX Runtime Java on ready-made
 * float arrays, for batches of 1 and 100 records, interleaved round by round. {@code bench/onnx.sh}
 * runs it and Python's onnxruntime on the same model and batches in one go.
 *
 * <pre>
 * java -cp inference-benchmarks/target/benchmarks.jar dev.pronto.benchmarks.OnnxCpuComparison model.onnx input.csv [rounds] [recordsPerRound] [identity.onnx]
 * </pre>
 *
 * <p>The model takes one float {@code [N,F]} input whose columns {@code pronto.features} names (the
 * corpus's {@code onnx-IrisTorchProbabilities}); input.csv has a header of field names. Pronto's
 * figures include reading every prediction's value and probabilities as the server's response
 * writer does, so that a result computed lazily is not counted as free; the columnar call
 * ({@code engine.predict(location, Columns)}, ready-made double columns in, a {@code BatchPrediction} out)
 * reads every record's value and probabilities from the batch result likewise. The optional identity model
 * (one float {@code [N,4]} input copied to its output, made by {@code bench/onnx_python.py
 * --make-identity}) measures the fixed cost of a run that computes nothing: the floor under any caller.
 */
public final class OnnxCpuComparison {

    private static long sink;

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        List<Map<String, Object>> rows = readCsv(Path.of(args[1]));
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int perRound = args.length > 3 ? Integer.parseInt(args[3]) : 20_000;
        List<Map<String, Object>> hundred = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            hundred.add(rows.get(i % rows.size()));
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (InferenceEngine engine = InferenceEngine.create(Map.of("storage.nas.root", model.getParent().toString()));
                OrtSession raw = OrtEnvironment.getEnvironment().createSession(model.toString(), options())) {
            String location = model.getFileName().toString();
            String[] features = raw.getMetadata().getCustomMetadata().get("pronto.features").split(",");
            String input = raw.getInputNames().iterator().next();
            if (features.length != 4) {
                throw new IllegalArgumentException("the comparison is written for the four Iris fields");
            }
            FloatBuffer rawHundred = matrix(hundred, features);
            FloatBuffer rawOne = matrix(hundred.subList(0, 1), features);
            OrtSession identity = args.length > 4
                    ? OrtEnvironment.getEnvironment().createSession(args[4], options()) : null;
            List<Object> classes = List.copyOf(engine.predict(location, hundred.get(0)).probabilities().keySet());
            Columns columnsHundred = TestColumns.doubles(hundred);
            Columns columnsOne = TestColumns.doubles(hundred.subList(0, 1));
            requireSameAnswers(engine, location, hundred, columnsHundred);
            long[] totals = new long[8];
            for (int round = -3; round < rounds; round++) {
                long[] times = new long[9];
                times[0] = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < perRound / 100; i++) {
                    for (Prediction p : engine.predict(location, hundred)) {
                        sink += read(p, classes);
                    }
                }
                times[1] = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < perRound / 10; i++) {
                    sink += read(engine.predict(location, hundred.get(i % 100)), classes);
                }
                times[2] = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < perRound / 100; i++) {
                    sink += run(raw, input, rawHundred);
                }
                times[3] = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < perRound / 10; i++) {
                    sink += run(raw, input, rawOne);
                }
                times[4] = threads.getCurrentThreadCpuTime();
                for (int i = 0; identity != null && i < perRound / 100; i++) {
                    sink += run(identity, "x", rawHundred);
                }
                times[5] = threads.getCurrentThreadCpuTime();
                for (int i = 0; identity != null && i < perRound / 10; i++) {
                    sink += run(identity, "x", rawOne);
                }
                times[6] = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < perRound / 100; i++) {
                    sink += read(engine.predict(location, columnsHundred));
                }
                times[7] = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < perRound / 10; i++) {
                    sink += read(engine.predict(location, columnsOne));
                }
                times[8] = threads.getCurrentThreadCpuTime();
                for (int phase = 0; round >= 0 && phase < totals.length; phase++) {
                    totals[phase] += times[phase + 1] - times[phase];
                }
            }
            double records = (double) rounds * perRound;
            System.out.printf("CPU ns/record over %d rounds (interleaved), intra-op threads 1:%n", rounds);
            System.out.printf("  Pronto engine.predict, batch of 100   %9.1f%n", totals[0] / records);
            System.out.printf("  Pronto engine.predict, batch of 1     %9.1f%n", totals[1] / (records / 10));
            System.out.printf("  Pronto columns, batch of 100          %9.1f%n", totals[6] / records);
            System.out.printf("  Pronto columns, batch of 1            %9.1f%n", totals[7] / (records / 10));
            System.out.printf("  raw ORT Java session.run, batch of 100 %8.1f%n", totals[2] / records);
            System.out.printf("  raw ORT Java session.run, batch of 1  %9.1f%n", totals[3] / (records / 10));
            if (identity != null) {
                System.out.printf("  raw ORT Java identity run, batch of 100 %7.1f%n", totals[4] / records);
                System.out.printf("  raw ORT Java identity run, batch of 1 %9.1f%n", totals[5] / (records / 10));
                identity.close();
            }
            if (sink == 42) {
                System.out.println();
            }
        }
    }

    private static OrtSession.SessionOptions options() throws Exception {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        return options;
    }

    /** Reads a prediction as the server's response writer does: the value, then each class's probability. */
    private static long read(Prediction prediction, List<Object> classes) {
        long sum = prediction.value().hashCode();
        Map<Object, Double> probabilities = prediction.probabilities();
        for (Object label : classes) {
            sum += Double.doubleToRawLongBits(probabilities.get(label));
        }
        return sum;
    }

    /**
     * Reads a batch result as a response writer that writes by column would: each record's value, then
     * each class's probability, from the shared matrix (no prediction object, no boxed probability).
     */
    private static long read(BatchPrediction result) {
        long sum = 0;
        int classes = result.classes().size();
        for (int row = 0; row < result.size(); row++) {
            sum += result.value(row).hashCode();
            for (int c = 0; c < classes; c++) {
                sum += Double.doubleToRawLongBits(result.probability(row, c));
            }
        }
        return sum;
    }

    /** Stops the comparison if the two paths disagree: a fast path that answers differently is no figure. */
    private static void requireSameAnswers(InferenceEngine engine, String location, List<Map<String, Object>> records,
            Columns columns) {
        if (!engine.predict(location, records).equals(engine.predict(location, columns).predictions())) {
            throw new IllegalStateException("the columnar path answers differently from the record path");
        }
    }

    /** One run on a ready-made direct buffer, which ONNX Runtime reads in place: the floor of any Java caller. */
    private static long run(OrtSession session, String input, FloatBuffer values) throws Exception {
        long[] shape = {values.capacity() / 4, 4};
        try (OnnxTensor tensor = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), values, shape);
                OrtSession.Result result = session.run(Map.of(input, tensor))) {
            return ((OnnxTensor) result.get(0)).getFloatBuffer().remaining();
        }
    }

    private static FloatBuffer matrix(List<Map<String, Object>> records, String[] features) {
        FloatBuffer values = ByteBuffer.allocateDirect(records.size() * features.length * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < records.size(); i++) {
            for (int j = 0; j < features.length; j++) {
                values.put(i * features.length + j, ((Number) records.get(i).get(features[j].trim())).floatValue());
            }
        }
        return values;
    }

    private static List<Map<String, Object>> readCsv(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String[] header = lines.get(0).split(",");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",");
            Map<String, Object> row = new LinkedHashMap<>();
            for (int c = 0; c < header.length; c++) {
                row.put(header[c], Double.parseDouble(cells[c]));
            }
            rows.add(row);
        }
        return rows;
    }
}
