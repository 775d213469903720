package dev.pronto.pipeline.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;

/** A retired session closes only after the runs holding it, and after its grace period. */
class SharedSessionTest {

    private final ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        closer.shutdownNow();
    }

    @Test
    void retiredSessionStaysOpenUntilTheLastRunIsReleased() throws Exception {
        SharedSession shared = new SharedSession(session(), "m.onnx");
        OrtSession held = shared.acquire();

        shared.retire(closer, Duration.ZERO);
        Thread.sleep(50);

        assertThat(shared.isClosed()).isFalse();
        assertThat(held.getInputNames()).contains("x");
        shared.release();
        awaitClosed(shared);
        assertThatThrownBy(shared::acquire).isInstanceOfSatisfying(InferenceException.class,
                e -> assertThat(e.category()).isEqualTo(ErrorCategory.UNAVAILABLE))
                .hasMessageContaining("model \"m.onnx\" was unloaded");
    }

    @Test
    void retiredSessionServesThroughItsGracePeriod() throws Exception {
        SharedSession shared = new SharedSession(session(), "m.onnx");

        shared.retire(closer, Duration.ofMillis(300));
        shared.acquire();
        shared.release();

        assertThat(shared.isClosed()).isFalse();
        awaitClosed(shared);
    }

    @Test
    void closingThePipelineDuringRunsLetsThemFinish() throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = session();
        InputBinding inputs = InputBinding.of(session.getInputInfo(), Map.of());
        OutputDecoding outputs = OutputDecoding.of(session.getOutputInfo(), Map.of(), new OnnxGraphFacts(List.of(), false));
        OnnxPipeline pipeline = new OnnxPipeline(env, new SharedSession(session, "m.onnx"), inputs, outputs, closer,
                Duration.ZERO);

        pipeline.close();
        awaitClosed(pipeline);

        assertThatThrownBy(() -> pipeline.predict(Map.of("x[0]", 1, "x[1]", 2)))
                .hasMessageContaining("was unloaded");
    }

    private static void awaitClosed(SharedSession shared) throws InterruptedException {
        for (int i = 0; i < 200 && !shared.isClosed(); i++) {
            Thread.sleep(10);
        }
        assertThat(shared.isClosed()).isTrue();
    }

    private static void awaitClosed(OnnxPipeline pipeline) throws InterruptedException {
        for (int i = 0; i < 200 && !pipeline.isClosed(); i++) {
            Thread.sleep(10);
        }
        assertThat(pipeline.isClosed()).isTrue();
    }

    private static OrtSession session() throws Exception {
        return OrtEnvironment.getEnvironment().createSession(OnnxConventionsTest.fixture("positional-regression.onnx"),
                new OrtSession.SessionOptions());
    }
}
