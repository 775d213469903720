package dev.pronto.pipeline.sklearn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.Prediction;
import dev.pronto.inference.spi.ModelSource;
import dev.pronto.inference.spi.ConvertedModel;
import dev.pronto.inference.spi.Pipeline;
import dev.pronto.inference.testing.InMemoryStorageProvider;

/** Converted PMML kept in {@code pipeline.sklearn.cache-folder}, so a restart does not convert again. */
class ConvertedPmmlCacheTest {

    private static final String FIXTURE = "bare-logistic-iris";

    @TempDir
    Path folder;

    private SkLearnPipelineLoader loader(Map<String, String> extra) {
        Map<String, String> config = new java.util.HashMap<>(extra);
        config.put("cache-folder", folder.toString());
        config.put("warmup-evaluations", "0");
        return (SkLearnPipelineLoader) new SkLearnPipelineProvider().create(config);
    }

    private Path convertedFile(String sha256) {
        return folder.resolve("pmml-sklearn-" + PickleConverter.CONVERTER_VERSION).resolve(sha256 + ".pmml");
    }

    @Test
    void aRestartServesTheKeptConversionWithoutConvertingAgain() {
        ModelSource pickle = Fixtures.source("iris.pkl", Fixtures.pickle(FIXTURE));
        List<Map<String, Object>> inputs = Fixtures.fixture(FIXTURE).inputs();

        SkLearnPipelineLoader first = loader(Map.of());
        Pipeline converted = first.load(pickle);
        assertThat(first.conversions()).isEqualTo(1);
        assertThat(convertedFile(pickle.sha256())).exists();

        SkLearnPipelineLoader afterRestart = loader(Map.of());
        Pipeline fromStore = afterRestart.load(pickle);

        assertThat(afterRestart.conversions()).isZero();
        assertThat(Fixtures.fixture(FIXTURE).mismatches(inputs.stream().map(fromStore::predict).toList(), 10)).isEmpty();
        assertThat(converted(fromStore)).isEqualTo(converted(converted));
    }

    @Test
    void convertsAgainWhenTheKeptFileIsDamaged() throws Exception {
        ModelSource pickle = Fixtures.source("iris.pkl", Fixtures.pickle(FIXTURE));
        loader(Map.of()).load(pickle);
        Files.writeString(convertedFile(pickle.sha256()), "<PMML half written");

        SkLearnPipelineLoader afterRestart = loader(Map.of());
        Pipeline pipeline = afterRestart.load(pickle);

        assertThat(afterRestart.conversions()).isEqualTo(1);
        assertThat(pipeline.schema().inputs()).hasSize(4);
        assertThat(Files.readString(convertedFile(pickle.sha256()))).contains("<PMML");
    }

    @Test
    void keepsOneConversionPerConfiguredNaming() {
        ModelSource pickle = Fixtures.source("linear.pkl", Fixtures.pickle("numpy-linear-regression"));

        loader(Map.of("feature-names", "age,income")).load(pickle);
        SkLearnPipelineLoader renamed = loader(Map.of("feature-names", "years,salary"));
        Pipeline pipeline = renamed.load(pickle);

        // the same pickle named differently is a different document, not a stale one
        assertThat(renamed.conversions()).isEqualTo(1);
        assertThat(pipeline.schema().inputs()).extracting(input -> input.name()).containsExactlyInAnyOrder("years", "salary");
        assertThat(SkLearnPipelineLoader.storeKey(pickle.sha256(), List.of("age", "income")))
                .isNotEqualTo(SkLearnPipelineLoader.storeKey(pickle.sha256(), List.of("years", "salary")))
                .startsWith(pickle.sha256());
    }

    @Test
    void offersTheConvertedDocumentForDownload() {
        Pipeline pipeline = loader(Map.of()).load(Fixtures.source("iris.pkl", Fixtures.pickle(FIXTURE)));

        String document = new String(converted(pipeline), StandardCharsets.UTF_8);

        assertThat(document).contains("<PMML").contains("name=\"sepal_length\"").contains("RegressionModel");
        // every call hands out its own copy, so a caller cannot change what the pipeline holds
        converted(pipeline)[0] = 'X';
        assertThat(converted(pipeline)[0]).isEqualTo((byte) '<');
    }

    @Test
    void theEngineServesAKeptConversionOfABrokenPickleWhichProvesItDidNotConvert() throws Exception {
        // the kept conversion of one pickle, filed under the checksum of bytes that cannot be converted
        ModelSource pickle = Fixtures.source("iris.pkl", Fixtures.pickle(FIXTURE));
        byte[] pmml = converted(loader(Map.of()).load(pickle));
        byte[] notAPickle = "not a pickle".getBytes(StandardCharsets.UTF_8);
        Files.write(convertedFile(Fixtures.source("x.pkl", notAPickle).sha256()), pmml);
        InMemoryStorageProvider storage = new InMemoryStorageProvider().put("models/iris.pkl", notAPickle);

        try (InferenceEngine engine = InferenceEngine.builder()
                .discoverProviders(false)
                .storageProvider(storage)
                .pipelineProvider(new SkLearnPipelineProvider())
                .config(Map.of("pipeline.sklearn.cache-folder", folder.toString()))
                .build()) {
            Prediction prediction = engine.predict("models/iris.pkl",
                    Map.of("sepal_length", 5.1, "sepal_width", 3.5, "petal_length", 1.4, "petal_width", 0.2));

            assertThat(prediction.value()).isEqualTo("setosa");
        }
    }

    /** The document of a pipeline that must offer one. */
    private static byte[] converted(Pipeline pipeline) {
        assertThat(pipeline).isInstanceOf(ConvertedModel.class);
        return ((ConvertedModel) pipeline).convertedPmml();
    }
}
