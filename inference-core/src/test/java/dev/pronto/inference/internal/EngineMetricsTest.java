package dev.pronto.inference.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelLocation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class EngineMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final EngineMetrics metrics = EngineMetrics.in(registry,
            Map.of(ModelLocation.parse("iris/model.pmml"), "iris"));

    private static ModelCache.Key key(String location) {
        return new ModelCache.Key(ModelLocation.parse(location), "pmml");
    }

    @Test
    void labelsAConfiguredModelByItsNameFromTheFirstCall() {
        metrics.model(key("iris/model.pmml")).scored(2, 1_000);
        assertThat(registry.get("pronto.predictions").tag("model", "iris").counter().count()).isEqualTo(1);
        assertThat(registry.get("pronto.prediction.records").tag("model", "iris").counter().count()).isEqualTo(2);
    }

    @Test
    void countsALocationUnderOtherUntilAModelWasLoadedFromIt() {
        ModelCache.Key key = key("fraud/model.pmml");
        metrics.model(key).scored(1, 1_000);
        metrics.admit(key);
        metrics.model(key).scored(1, 1_000);
        assertThat(registry.get("pronto.predictions").tag("model", EngineMetrics.OTHER).counter().count()).isEqualTo(1);
        assertThat(registry.get("pronto.predictions").tag("model", key.location().toString()).counter().count()).isEqualTo(1);
    }

    @Test
    void foldsLocationsBeyondTheBoundIntoOther() {
        for (int i = 0; i < EngineMetrics.MAX_MODEL_LABELS + 50; i++) {
            ModelCache.Key key = key("m" + i + "/model.pmml");
            metrics.admit(key);
            metrics.model(key).scored(1, 1_000);
        }
        long labelled = registry.find("pronto.predictions").counters().stream()
                .filter(counter -> !EngineMetrics.OTHER.equals(counter.getId().getTag("model"))).count();
        assertThat(labelled).isEqualTo(EngineMetrics.MAX_MODEL_LABELS);
        assertThat(registry.get("pronto.predictions").tag("model", EngineMetrics.OTHER).counter().count()).isEqualTo(50);
    }

    @Test
    void countsStorageFailuresByReason() {
        metrics.storageRequest("s3", "read", null);
        metrics.storageRequest("s3", "read", new InferenceException(ErrorCategory.UNAVAILABLE, "down"));
        assertThat(registry.get("pronto.storage.requests").tag("scheme", "s3").counter().count()).isEqualTo(2);
        assertThat(registry.get("pronto.storage.failures").tag("reason", "unavailable").counter().count()).isEqualTo(1);
    }

    @Test
    void removesTheGaugesThatReadTheEngineWhenClosed() {
        metrics.gauges(() -> 3, () -> 1);
        assertThat(registry.get("pronto.models.loaded").gauge().value()).isEqualTo(3);
        metrics.close();
        assertThat(registry.find("pronto.models.loaded").gauge()).isNull();
        assertThat(registry.find("pronto.models.stale").gauge()).isNull();
    }

    @Test
    void keepsNoStatePerModelWithoutARegistry() {
        EngineMetrics none = EngineMetrics.none();
        none.admit(key("a/model.pmml"));
        none.model(key("a/model.pmml")).scored(1, 1_000);
        none.model(key("a/model.pmml")).failed(new InferenceException(ErrorCategory.NOT_FOUND, "gone"));
        none.storageRequest("s3", "read", null);
        assertThat(none.model(key("a/model.pmml"))).isSameAs(none.model(key("b/model.pmml")));
    }
}
