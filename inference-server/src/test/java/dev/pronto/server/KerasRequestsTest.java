package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.Prediction;
import dev.pronto.pipeline.onnx.testing.OnnxCorpus;

/** The legacy Keras request in-process, without HTTP: the corpus case and the network checks. */
class KerasRequestsTest {

    private static final OnnxCorpus.Case KERAS = OnnxCorpus.cases().stream().filter(OnnxCorpus.Case::keras)
            .findFirst().orElseThrow();

    @TempDir
    Path root;
    private InferenceEngine engine;

    @BeforeEach
    void start() {
        for (String file : List.of("preprocess.pkl", "model.onnx")) {
            TestServer.write(KERAS.file(file), root, file);
        }
        TestServer.write(OnnxCorpus.bytes(OnnxCorpus.ROOT + "onnx-IrisPetalWidthRegressor/model.onnx"), root,
                "three-inputs.onnx");
        engine = InferenceEngine.create(Map.of("storage.nas.root", root.toString()));
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    @Test
    void corpusCaseMatchesKerasInOneBatchAndRowByRow() {
        KerasRequests keras = new KerasRequests(engine);

        List<Prediction> batch = keras.predict("preprocess.pkl", "model.onnx", KERAS.inputs());
        List<Prediction> single = KERAS.inputs().stream()
                .map(row -> keras.predict("preprocess.pkl", "model.onnx", List.of(row)).get(0)).toList();

        for (List<Prediction> predictions : List.of(batch, single)) {
            assertThat(KERAS.mismatches(predictions.stream().map(Prediction::value).toList(),
                    predictions.stream().map(p -> List.copyOf(p.probabilities().values())).toList())).isEmpty();
        }
    }

    @Test
    void implementationIsRecognisedInAnyCase() {
        assertThat(KerasRequests.isKeras(" Keras ")).isTrue();
        assertThat(KerasRequests.isKeras("KERAS")).isTrue();
        assertThat(KerasRequests.isKeras("onnx")).isFalse();
        assertThat(KerasRequests.isKeras(null)).isFalse();
    }

    @Test
    void networkThatTakesOtherColumnsIsRefused() {
        assertThatThrownBy(() -> new KerasRequests(engine).predict("preprocess.pkl", "three-inputs.onnx", KERAS.inputs()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(422))
                .hasMessageContaining("takes 3 input columns, but the pre-processing pipeline \"preprocess.pkl\" gives 4");
    }

    @Test
    void kerasFilesAndOtherFormatsAreRefusedBeforeAnyLoad() {
        KerasRequests keras = new KerasRequests(engine);

        assertThatThrownBy(() -> keras.predict("preprocess.pkl", "model.keras", KERAS.inputs()))
                .hasMessageContaining("names a Keras .keras file");
        assertThatThrownBy(() -> keras.predict("preprocess.pkl", "model.pmml", KERAS.inputs()))
                .hasMessageContaining("must name an ONNX file (.onnx)");
        assertThat(engine.models()).isEmpty();
    }
}
