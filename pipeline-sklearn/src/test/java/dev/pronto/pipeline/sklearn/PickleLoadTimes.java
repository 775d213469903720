package dev.pronto.pipeline.sklearn;

import java.util.List;
import java.util.Map;

import dev.pronto.inference.pmml.PmmlPipelineProvider;
import dev.pronto.inference.spi.PipelineLoader;
import dev.pronto.inference.testing.ConformanceCorpus;

/**
 * Prints how long loading each {@code sklearn-*} corpus model takes from its pickle (conversion plus
 * PMML load) and from its converted PMML file, warm-up off, best of three. Figures only, never a
 * test: tests do not assert timings. From {@code pipeline-sklearn}, after {@code ../mvnw test-compile}:
 * <pre>
 * ../mvnw -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp "target/test-classes:target/classes:$(cat target/cp.txt)" dev.pronto.pipeline.sklearn.PickleLoadTimes
 * </pre>
 */
public final class PickleLoadTimes {

    private static final int RUNS = 3;

    private PickleLoadTimes() {
    }

    public static void main(String[] args) {
        PipelineLoader fromPickle = new SkLearnPipelineProvider().create(Map.of("warmup-evaluations", "0"));
        PipelineLoader fromPmml = new PmmlPipelineProvider().create(Map.of("warmup-evaluations", "0"));
        List<ConformanceCorpus.Case> cases = ConformanceCorpus.cases().stream()
                .filter(c -> c.name().startsWith("sklearn-"))
                .toList();
        // let the JIT compile the converter before anything is timed
        for (int i = 0; i < RUNS; i++) {
            fromPickle.load(Fixtures.source("warm-up.pkl", cases.get(0).pickle()));
        }
        System.out.printf("%-42s %8s %12s %12s%n", "case", "pkl KB", "pickle ms", "pmml ms");
        double totalPickle = 0;
        double totalPmml = 0;
        for (ConformanceCorpus.Case c : cases) {
            double pickle = bestMillis(fromPickle, "model.pkl", c.pickle());
            double pmml = bestMillis(fromPmml, "model.pmml", c.model());
            totalPickle += pickle;
            totalPmml += pmml;
            System.out.printf("%-42s %8d %12.1f %12.1f%n", c.name(), c.pickle().length / 1024, pickle, pmml);
        }
        System.out.printf("%-42s %8s %12.1f %12.1f%n", "total", "", totalPickle, totalPmml);
    }

    private static double bestMillis(PipelineLoader loader, String location, byte[] content) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < RUNS; i++) {
            long started = System.nanoTime();
            loader.load(Fixtures.source(location, content));
            best = Math.min(best, System.nanoTime() - started);
        }
        return best / 1e6;
    }
}
