package dev.pronto.pipeline.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.InferenceException;

/** The provider's registration and its configuration keys. */
class OnnxPipelineProviderTest {

    @Test
    void isFoundThroughServiceLoaderForTheOnnxExtension() {
        try (InferenceEngine engine = InferenceEngine.create(Map.of())) {
            assertThat(engine.formats()).contains("onnx");
        }
        assertThat(new OnnxPipelineProvider().fileExtensions()).containsExactly("onnx");
    }

    @Test
    void readsEveryKey() {
        OnnxSettings settings = OnnxSettings.from(Map.of("intra-op-threads", "0", "optimization-level", "Basic",
                "warmup-runs", "0", "close-grace", "500ms"));

        assertThat(settings).isEqualTo(new OnnxSettings(0, OptLevel.BASIC_OPT, 0, Duration.ofMillis(500)));
        assertThat(OnnxSettings.from(Map.of())).isEqualTo(OnnxSettings.defaults());
    }

    @Test
    void rejectsUnknownKeysAndBadValuesByName() {
        assertThatThrownBy(() -> OnnxSettings.from(Map.of("intra-threads", "2")))
                .hasMessageContaining("pipeline.onnx.intra-threads");
        assertThatThrownBy(() -> OnnxSettings.from(Map.of("optimization-level", "max")))
                .hasMessageContaining("pipeline.onnx.optimization-level must be none, basic, extended or all");
        assertThatThrownBy(() -> InferenceEngine.create(Map.of("pipeline.onnx.intra-op-threads", "-1")))
                .isInstanceOf(InferenceException.class)
                .hasMessageContaining("pipeline.onnx.intra-op-threads");
    }
}
