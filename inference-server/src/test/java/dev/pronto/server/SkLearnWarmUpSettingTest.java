package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.pronto.inference.InferenceEngine;

/**
 * {@code [Engine] pipeline.sklearn.warm-up}, set by the environment as the open sections' scheme says
 * ({@code PRONTO_ENGINE__PIPELINE_SKLEARN_WARM__UP}), decides whether the server's warm-up converts the
 * built-in pickle: through the server's configuration, the engine it builds and the warm-up it runs once ready.
 */
class SkLearnWarmUpSettingTest {

    private static final String VARIABLE = "PRONTO_ENGINE__PIPELINE_SKLEARN_WARM__UP";
    /** Where the engine logs each format it warmed up. */
    private static final String WARM_UP_LOG = "dev.pronto.inference.internal.ProviderRegistry";

    @TempDir
    Path root;

    @Test
    void theEnvironmentVariableTurnsTheConvertersWarmUpOff() {
        ServerConfig config = config(Map.of(VARIABLE, "false"));

        assertThat(config.engineConfig()).containsEntry("pipeline.sklearn.warm-up", "false");
        assertThat(config.summary()).contains("[Engine] pipeline.sklearn.warm-up = false  (from environment variable " + VARIABLE + ")");
        assertThat(warmUpLog(config)).noneMatch(line -> line.contains("sklearn"));
    }

    @Test
    void withoutItTheConverterIsWarmedUp() {
        assertThat(warmUpLog(config(Map.of()))).anyMatch(line -> line.startsWith("warmed up pipeline format sklearn in "));
    }

    private ServerConfig config(Map<String, String> variables) {
        Map<String, String> env = new HashMap<>(variables);
        env.put("PRONTO_MODEL_ROOT", root.toString());
        return ServerConfig.load(List.of(), env, InstalledStorage.named("nas"));
    }

    /** What the engine logs while it warms its pipeline formats up, as the server has it do once ready. */
    private static List<String> warmUpLog(ServerConfig config) {
        ListAppender<ILoggingEvent> log = FailureIsolationTest.capture(WARM_UP_LOG);
        try (InferenceEngine engine = Main.createEngine(config, ServerMetrics.disabled())) {
            engine.warmUp();
            return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        } finally {
            FailureIsolationTest.release(log, WARM_UP_LOG);
        }
    }
}
