package dev.pronto.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;

import dev.pronto.inference.InferenceEngine;

/**
 * The engine a fuzz target scores with: the iris model in a temporary folder, loaded once, without
 * warm-up (it would score thousands of made-up records through instrumented classes first). Shared by
 * {@link InvocationFuzzTest} and {@link RecordBodyFuzzTest}.
 */
final class FuzzIrisEngine implements AutoCloseable {

    static final String MODEL = "iris/model.pmml";

    private final Path root;
    private final InferenceEngine engine;

    FuzzIrisEngine() throws IOException {
        root = Files.createTempDirectory("pronto-fuzz");
        TestServer.copy(TestServer.IRIS, root, MODEL);
        engine = InferenceEngine.create(Map.of("storage.nas.root", root.toString(), "pipeline.pmml.warmup-evaluations", "0"));
        engine.handle(MODEL);
    }

    InferenceEngine engine() {
        return engine;
    }

    @Override
    public void close() throws IOException {
        engine.close();
        try (var files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
    }
}
