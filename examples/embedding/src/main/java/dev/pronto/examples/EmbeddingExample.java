package dev.pronto.examples;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelFormat;
import dev.pronto.inference.ModelInfo;
import dev.pronto.inference.ModelStatus;
import dev.pronto.inference.Prediction;

/**
 * Scores the bundled iris model in-process: what an application does with Pronto as a dependency.
 *
 * <pre>
 * ./mvnw -q -pl examples/embedding -am install -DskipTests
 * ./mvnw -q -pl examples/embedding exec:java
 * </pre>
 */
public final class EmbeddingExample {

    public static void main(String[] args) {
        String modelRoot = args.length > 0 ? args[0] : "examples/models";
        run(modelRoot, System.out);
    }

    static void run(String modelRoot, PrintStream out) {
        // One engine per application: thread-safe, caches the parsed model, closes its storages.
        try (InferenceEngine engine = InferenceEngine.create(Map.of("storage.nas.root", modelRoot))) {
            ModelInfo model = engine.model("iris/model.pmml");
            out.println("model " + model.location() + ": " + model.schema().function() + ", inputs "
                    + model.schema().inputs().stream().map(field -> field.name()).toList()
                    + ", classes " + model.schema().classes());

            // Two records: a typical setosa and an out-of-range flower.
            List<Map<String, Object>> records = List.of(
                    Map.of("sepal_length", 5.1, "sepal_width", 3.5, "petal_length", 1.4, "petal_width", 0.2),
                    Map.of("sepal_length", 2.1, "sepal_width", 5.5, "petal_length", 6.4, "petal_width", 0.2));
            List<Prediction> predictions = engine.predict("iris/model.pmml", records);
            for (int i = 0; i < predictions.size(); i++) {
                Prediction p = predictions.get(i);
                out.println("record " + i + ": class " + p.value() + ", probabilities " + p.probabilities());
            }

            // A format can be named when the file extension does not tell it; the model is cached per format.
            Prediction named = engine.predict("iris/model.pmml", ModelFormat.PMML, records.get(0));
            out.println("as " + ModelFormat.PMML + ": class " + named.value());

            // The facts of a load stay fixed; how the model fares now is its status.
            ModelStatus status = engine.status(model);
            out.println("status: " + status.problem().orElse("current"));

            // Bad input is an exception that names the record, the field and the reason.
            try {
                engine.predict("iris/model.pmml", Map.of("sepal_length", "five"));
            } catch (InferenceException e) {
                out.println("rejected (" + e.category() + "): " + e.getMessage());
            }
        }
    }
}
