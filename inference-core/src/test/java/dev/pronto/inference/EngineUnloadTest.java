package dev.pronto.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.pronto.inference.pmml.PmmlPipelineProvider;
import dev.pronto.inference.testing.InMemoryStorageProvider;

/** {@link InferenceEngine#unload}: the model repository API's way to take a model out of memory. */
class EngineUnloadTest {

    private final InMemoryStorageProvider storage = new InMemoryStorageProvider(Set.of("file"));
    private final InferenceEngine engine = InferenceEngine.builder().discoverProviders(false).storageProvider(storage)
            .pipelineProvider(new PmmlPipelineProvider()).build();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void unloadTakesTheModelOutOfMemoryAndTheNextRequestLoadsItAgain() {
        storage.put("iris/model.pmml", InferenceEngineTest.IRIS);
        engine.predict("iris/model.pmml", InferenceEngineTest.SETOSA);

        assertThat(engine.unload("iris/model.pmml")).isTrue();

        assertThat(engine.models()).isEmpty();
        assertThat(engine.predictIfLoaded("iris/model.pmml", List.of(InferenceEngineTest.SETOSA))).isEmpty();
        assertThat(engine.predict("iris/model.pmml", InferenceEngineTest.SETOSA).value()).isEqualTo(0);
        assertThat(storage.opens()).isEqualTo(2);
    }

    @Test
    void unloadingAModelNotInMemoryReportsFalse() {
        storage.put("iris/model.pmml", InferenceEngineTest.IRIS);

        assertThat(engine.unload("iris/model.pmml")).isFalse();
        assertThat(storage.opens()).isZero();
    }

    @Test
    void unloadRejectsAMalformedLocationLikePredict() {
        assertThatThrownBy(() -> engine.unload("../etc/passwd.pmml"))
                .isInstanceOf(InferenceException.class)
                .hasMessageContaining("..");
    }
}
