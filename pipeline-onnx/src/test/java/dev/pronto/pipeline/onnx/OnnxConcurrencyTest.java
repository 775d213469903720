package dev.pronto.pipeline.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import dev.pronto.inference.Columns;
import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.Prediction;
import dev.pronto.inference.testing.InMemoryStorageProvider;
import dev.pronto.inference.testing.TestColumns;
import dev.pronto.pipeline.onnx.testing.OnnxCorpus;

/**
 * One session shared by many threads: the same answers as one thread, and no failure (nor a crash of
 * the JVM) while the engine replaces or evicts the model under load. The grace period is short, so
 * that retired sessions really close while the other threads go on scoring.
 */
class OnnxConcurrencyTest {

    private static final String TORCH = "onnx-IrisTorchProbabilities";
    private static final String PER_FIELD = "onnx-IrisPerFieldInputs";

    @Test
    void sixteenThreadsGiveTheSequentialResults() throws Exception {
        sixteenThreadsGiveTheSequentialResults((engine, rows) -> engine.predict("m.onnx", rows));
    }

    @Test
    void sixteenThreadsScoringColumnsGiveTheSequentialResults() throws Exception {
        sixteenThreadsGiveTheSequentialResults(
                (engine, rows) -> engine.predict("m.onnx", TestColumns.doubles(rows)).predictions());
    }

    @Test
    void replacingTheModelUnderLoadFailsNoRequest() throws Exception {
        replacingTheModelUnderLoadFailsNoRequest((engine, rows) -> engine.predict("m.onnx", rows));
    }

    @Test
    void replacingTheModelUnderLoadFailsNoColumnarRequest() throws Exception {
        // one batch shared by every thread: columns are immutable
        Columns columns = TestColumns.doubles(corpusCase(TORCH).inputs());
        replacingTheModelUnderLoadFailsNoRequest((engine, rows) -> engine.predict("m.onnx", columns).predictions());
    }

    /** Scores records with the engine, as records or as columns. */
    private interface Scoring {
        List<Prediction> score(InferenceEngine engine, List<Map<String, Object>> rows) throws Exception;
    }

    private static void sixteenThreadsGiveTheSequentialResults(Scoring scoring) throws Exception {
        OnnxCorpus.Case c = corpusCase(TORCH);
        InMemoryStorageProvider storage = new InMemoryStorageProvider().put("m.onnx", c.file("model.onnx"));
        try (InferenceEngine engine = engine(storage, Map.of())) {
            List<Map<String, Object>> rows = c.inputs();
            List<Prediction> sequential = engine.predict("m.onnx", rows);
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<List<Prediction>>> results = new ArrayList<>();
                for (int t = 0; t < 16; t++) {
                    int offset = t;
                    results.add(pool.submit(() -> {
                        List<Prediction> mine = new ArrayList<>();
                        for (int round = 0; round < 20; round++) {
                            // batches of varying sizes, so runs of different shapes overlap
                            int size = 1 + (offset + round) % rows.size();
                            mine.addAll(scoring.score(engine, rows.subList(0, size)));
                        }
                        return mine;
                    }));
                }
                for (int t = 0; t < 16; t++) {
                    List<Prediction> mine = results.get(t).get(60, TimeUnit.SECONDS);
                    int at = 0;
                    for (int round = 0; round < 20; round++) {
                        int size = 1 + (t + round) % rows.size();
                        assertThat(mine.subList(at, at + size)).isEqualTo(sequential.subList(0, size));
                        at += size;
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static void replacingTheModelUnderLoadFailsNoRequest(Scoring scoring) throws Exception {
        OnnxCorpus.Case torch = corpusCase(TORCH);
        OnnxCorpus.Case perField = corpusCase(PER_FIELD);
        // the two networks read the same four Iris fields, so every request suits either version
        InMemoryStorageProvider storage = new InMemoryStorageProvider().put("m.onnx", torch.file("model.onnx"));
        try (InferenceEngine engine = engine(storage, Map.of("pipeline.onnx.close-grace", "100ms"))) {
            List<Map<String, Object>> rows = torch.inputs();
            List<Prediction> before = engine.predict("m.onnx", rows);
            storage.put("m.onnx", perField.file("model.onnx"));
            engine.revalidate();
            List<Prediction> after = engine.predict("m.onnx", rows);
            storage.put("m.onnx", torch.file("model.onnx"));
            engine.revalidate();

            List<Throwable> failures = underLoad(8, () -> {
                List<Prediction> got = scoring.score(engine, rows);
                assertThat(got).isIn(before, after);
            }, round -> {
                storage.put("m.onnx", (round % 2 == 0 ? perField : torch).file("model.onnx"));
                engine.revalidate();
            });

            assertThat(failures).isEmpty();
        }
    }

    @Test
    void evictingModelsUnderLoadFailsNoRequest() throws Exception {
        OnnxCorpus.Case torch = corpusCase(TORCH);
        OnnxCorpus.Case perField = corpusCase(PER_FIELD);
        InMemoryStorageProvider storage = new InMemoryStorageProvider()
                .put("a.onnx", torch.file("model.onnx")).put("b.onnx", perField.file("model.onnx"));
        // room for one model: every request for the other evicts it while others still score with it
        try (InferenceEngine engine = engine(storage, Map.of("cache.max-models", "1", "pipeline.onnx.close-grace", "100ms"))) {
            List<Map<String, Object>> rows = torch.inputs();
            List<Prediction> a = engine.predict("a.onnx", rows);
            List<Prediction> b = engine.predict("b.onnx", rows);

            List<Throwable> failures = underLoad(8, () -> {
                assertThat(engine.predict("a.onnx", rows)).isEqualTo(a);
                assertThat(engine.predict("b.onnx", rows)).isEqualTo(b);
            }, round -> { });

            assertThat(failures).isEmpty();
        }
    }

    /** Runs {@code request} on {@code threads} threads for a second while {@code disturb} runs on this one. */
    private static List<Throwable> underLoad(int threads, ThrowingRunnable request, java.util.function.IntConsumer disturb)
            throws InterruptedException {
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                try {
                    while (!stop.get()) {
                        request.run();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    done.countDown();
                }
            });
        }
        long end = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        for (int round = 0; System.nanoTime() < end && failures.isEmpty(); round++) {
            disturb.accept(round);
            Thread.sleep(5);
        }
        stop.set(true);
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        pool.shutdown();
        return List.copyOf(failures);
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static InferenceEngine engine(InMemoryStorageProvider storage, Map<String, String> config) {
        return InferenceEngine.builder().discoverProviders(false).storageProvider(storage)
                .pipelineProvider(new OnnxPipelineProvider()).config(Map.of("cache.revalidate-interval", "0"))
                .config(config).build();
    }

    private static OnnxCorpus.Case corpusCase(String name) {
        return OnnxCorpus.cases().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }
}
