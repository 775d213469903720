package dev.pronto.pipeline.sklearn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.pronto.inference.spi.Pipeline;
import dev.pronto.inference.spi.PipelineLoader;
import dev.pronto.inference.testing.ConformanceCorpus;

/**
 * Loads of different pickles at the same time, as the engine makes them when several models are
 * first requested together, each give the right model. (The race the converter's lock prevents, on
 * the unpickler's static class registry, is too narrow for a test to hit reliably; this checks
 * that nothing shared between conversions mixes models up.)
 */
class ConcurrentConversionTest {

    @Test
    void concurrentLoadsOfDifferentPicklesEachConvertCorrectly() throws Exception {
        PipelineLoader loader = new SkLearnPipelineProvider().create(Map.of("warmup-evaluations", "0"));
        List<String> fixtures = List.of("bare-logistic-iris", "mapper-model-iris", "columntransformer-forest-synthetic",
                "pipeline-scaler-tree-iris");
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String fixture = fixtures.get(i % fixtures.size());
                Callable<List<String>> load = () -> {
                    ConformanceCorpus.Case expected = Fixtures.fixture(fixture);
                    Pipeline pipeline = loader.load(Fixtures.source(fixture + ".pkl", expected.pickle()));
                    return expected.mismatches(expected.inputs().stream().map(pipeline::predict).toList(), 3);
                };
                results.add(threads.submit(load));
            }
            for (Future<List<String>> result : results) {
                assertThat(result.get()).isEmpty();
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
