package example.consumer;

import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.ModelInfo;
import dev.pronto.inference.Prediction;

import java.util.Map;

/**
 * Scores one iris flower with a PMML model found under a local model root.
 *
 * <p>Nothing here names a storage or pipeline class: {@code storage-nas} (a runtime dependency only)
 * and the PMML pipeline in {@code inference-core} are found through {@link java.util.ServiceLoader},
 * so this program fails if a published jar lost its {@code META-INF/services} registration.
 *
 * <p>Usage: {@code ScoreIris <model-root> <model-location>}, for example
 * {@code ScoreIris ../models iris/model.pmml}.
 */
public final class ScoreIris {
    private ScoreIris() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: ScoreIris <model-root> <model-location>");
            System.exit(2);
        }
        try (InferenceEngine engine = InferenceEngine.create(Map.of("storage.nas.root", args[0]))) {
            System.out.println("schemes=" + engine.schemes());
            System.out.println("formats=" + engine.formats());
            Prediction prediction = engine.predict(args[1], Map.of(
                    "sepal_length", 5.1, "sepal_width", 3.5, "petal_length", 1.4, "petal_width", 0.2));
            System.out.println("prediction=" + prediction.value());
            System.out.println("probabilities=" + prediction.probabilities());
            ModelInfo model = engine.model(args[1]);
            System.out.println("model=" + model.location() + " (" + model.format() + ", " + model.sizeBytes() + " bytes)");
        }
    }
}
