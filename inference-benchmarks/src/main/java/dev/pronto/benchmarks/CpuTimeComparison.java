package dev.pronto.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.Prediction;
import dev.pronto.inference.pmml.PmmlPipelineProvider;
import dev.pronto.inference.spi.ModelSource;
import dev.pronto.inference.spi.Pipeline;

/**
 * Pronto against raw jpmml measured in <em>thread CPU time</em>, interleaved round by round, so the
 * ratio holds up on a machine where other processes compete for the cores (wall-clock JMH figures
 * swing several-fold there). Same model and records as {@link PredictBenchmark}. Pronto scores the
 * model compiled (the default); the "compile off" rows score it with jpmml inside Pronto.
 *
 * <pre>
 * java -cp inference-benchmarks/target/benchmarks.jar dev.pronto.benchmarks.CpuTimeComparison [rounds] [recordsPerRound]
 * </pre>
 */
public final class CpuTimeComparison {

    private static long sink;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        PredictBenchmark bench = new PredictBenchmark();
        bench.setUp();
        // the pipeline alone, to tell the engine's share of the overhead from the pipeline's
        Pipeline pipeline = new PmmlPipelineProvider().create(Map.of())
                .load(new ModelSource(ModelLocation.parse("iris.pmml"), PredictBenchmark.readExampleModel(), "unused"));
        Pipeline pipelineCompileOff = new PmmlPipelineProvider().create(Map.of("compile", "false"))
                .load(new ModelSource(ModelLocation.parse("iris.pmml"), PredictBenchmark.readExampleModel(), "unused"));
        try {
            // warm-up: let the JIT settle both paths before anything is counted
            for (int i = 0; i < 5; i++) {
                runRaw(bench, perRound);
                runSingle(bench, perRound);
                runBatch(bench, perRound / 100);
                runPipeline(bench, pipeline, perRound);
                runBatchCompileOff(bench, perRound / 100);
                runPipeline(bench, pipelineCompileOff, perRound);
            }
            long direct = 0;
            long batchOff = 0;
            long directOff = 0;
            long raw = 0;
            long single = 0;
            long batch = 0;
            for (int round = 0; round < rounds; round++) {
                long t0 = threads.getCurrentThreadCpuTime();
                runRaw(bench, perRound);
                long t1 = threads.getCurrentThreadCpuTime();
                runSingle(bench, perRound);
                long t2 = threads.getCurrentThreadCpuTime();
                runBatch(bench, perRound / 100);
                long t3 = threads.getCurrentThreadCpuTime();
                raw += t1 - t0;
                single += t2 - t1;
                batch += t3 - t2;
                runPipeline(bench, pipeline, perRound);
                long t4 = threads.getCurrentThreadCpuTime();
                direct += t4 - t3;
                runBatchCompileOff(bench, perRound / 100);
                long t5 = threads.getCurrentThreadCpuTime();
                batchOff += t5 - t4;
                runPipeline(bench, pipelineCompileOff, perRound);
                directOff += threads.getCurrentThreadCpuTime() - t5;
            }
            double records = (double) rounds * perRound;
            System.out.printf("CPU ns/record over %d rounds of %d records (interleaved):%n", rounds, perRound);
            System.out.printf("  raw jpmml (prepare+evaluate+decode)  %8.1f%n", raw / records);
            System.out.printf("model compiled (the default):%n");
            System.out.printf("  Pronto predict, one record per call  %8.1f   ratio %.3f%n", single / records, single / (double) raw);
            System.out.printf("  Pronto predict, 100 records per call %8.1f   ratio %.3f%n", batch / records, batch / (double) raw);
            System.out.printf("  PMML pipeline alone (no engine)      %8.1f   ratio %.3f%n", direct / records, direct / (double) raw);
            System.out.printf("compile off (pipeline.pmml.compile=false: jpmml inside Pronto):%n");
            System.out.printf("  Pronto predict, 100 records per call %8.1f   ratio %.3f%n", batchOff / records, batchOff / (double) raw);
            System.out.printf("  PMML pipeline alone (no engine)      %8.1f   ratio %.3f%n", directOff / records, directOff / (double) raw);
            if (sink == 42) {
                System.out.println();
            }
        } finally {
            bench.tearDown();
        }
    }

    private static void runRaw(PredictBenchmark bench, int n) {
        long acc = 0;
        for (int i = 0; i < n; i++) {
            acc += bench.raw(bench.nextRecord())[0].hashCode();
        }
        sink += acc;
    }

    private static void runSingle(PredictBenchmark bench, int n) {
        long acc = 0;
        for (int i = 0; i < n; i++) {
            acc += bench.prontoSingle().value().hashCode();
        }
        sink += acc;
    }

    private static void runPipeline(PredictBenchmark bench, Pipeline pipeline, int n) {
        long acc = 0;
        for (int i = 0; i < n; i++) {
            acc += pipeline.predict(bench.nextRecord()).value().hashCode();
        }
        sink += acc;
    }

    private static void runBatch(PredictBenchmark bench, int batches) {
        runBatch(bench::prontoBatch100, batches);
    }

    private static void runBatchCompileOff(PredictBenchmark bench, int batches) {
        runBatch(bench::prontoBatch100CompileOff, batches);
    }

    private static void runBatch(Supplier<List<Prediction>> batch, int batches) {
        long acc = 0;
        for (int i = 0; i < batches; i++) {
            List<Prediction> predictions = batch.get();
            acc += predictions.get(i % predictions.size()).value().hashCode();
        }
        sink += acc;
    }

    private CpuTimeComparison() {
    }

}
