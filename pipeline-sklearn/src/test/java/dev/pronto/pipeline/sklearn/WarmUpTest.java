package dev.pronto.pipeline.sklearn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pronto.inference.spi.ModelSource;
import dev.pronto.inference.spi.Pipeline;
import dev.pronto.inference.spi.WarmUp;

/** The converter's warm-up, which a server runs once it is ready so that the first client's pickle converts faster. */
class WarmUpTest {

    private static final String FIXTURE = "mapper-model-iris";

    @TempDir
    Path folder;

    @Test
    void warmsUpWithTheBuiltInPickleAndKeepsNothingOfIt() throws IOException {
        SkLearnPipelineLoader loader = (SkLearnPipelineLoader) new SkLearnPipelineProvider().create(
                Map.of("cache-folder", folder.toString(), "warmup-evaluations", "0"));
        assertThat(loader).isInstanceOf(WarmUp.class);

        assertThat(loader.warmUp()).isTrue();

        // not counted as a conversion, and not kept in the store: no client asked for it
        assertThat(loader.conversions()).isZero();
        try (Stream<Path> kept = Files.list(folder.resolve("pmml-sklearn-" + PickleConverter.CONVERTER_VERSION))) {
            assertThat(kept).isEmpty();
        }
        // and the converter still converts a client's pickle right afterwards
        ModelSource pickle = Fixtures.source("iris.pkl", Fixtures.pickle(FIXTURE));
        Pipeline pipeline = loader.load(pickle);
        List<Map<String, Object>> inputs = Fixtures.fixture(FIXTURE).inputs();
        assertThat(Fixtures.fixture(FIXTURE).mismatches(inputs.stream().map(pipeline::predict).toList(), 10)).isEmpty();
        assertThat(loader.conversions()).isEqualTo(1);
    }

    @Test
    void configurationCanTurnItOff() {
        SkLearnPipelineLoader loader = (SkLearnPipelineLoader) new SkLearnPipelineProvider().create(Map.of("warm-up", "false"));

        assertThat(loader.warmUp()).isFalse();
    }

    @Test
    void theBuiltInPickleIsTheSeedShapedFixtureThatMakeFixturesWrites() throws IOException {
        // so that it is remade, with its expected answers, whenever the fixtures are
        try (InputStream builtIn = SkLearnPipelineLoader.class.getResourceAsStream("warm-up.pkl")) {
            assertThat(builtIn).isNotNull();
            assertThat(builtIn.readAllBytes()).isEqualTo(Fixtures.pickle(FIXTURE));
        }
    }
}
