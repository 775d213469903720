package dev.pronto.pipeline.sklearn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pronto.inference.ModelFormat;
import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.testing.InMemoryStorageProvider;

/** The provider's registration and its configuration keys. */
class SkLearnPipelineProviderTest {

    @Test
    void claimsTheFormatAndThePickleExtensions() {
        SkLearnPipelineProvider provider = new SkLearnPipelineProvider();

        assertThat(provider.format()).isEqualTo("sklearn");
        assertThat(provider.fileExtensions()).containsExactlyInAnyOrder("pkl", "pickle", "joblib");
    }

    @Test
    void isFoundByServiceLoaderBesideThePmmlFormat() {
        try (InferenceEngine engine = InferenceEngine.builder().storageProvider(new InMemoryStorageProvider()).build()) {
            assertThat(engine.formats()).contains("sklearn", "pmml");
        }
    }

    @Test
    void anImplementationNamingTheFormatOverridesTheExtension() {
        InMemoryStorageProvider storage = new InMemoryStorageProvider().put("models/iris.bin", Fixtures.pickle("bare-logistic-iris"));
        try (InferenceEngine engine = InferenceEngine.builder().storageProvider(storage).build()) {
            assertThat(engine.model("models/iris.bin", ModelFormat.of("sklearn")).format()).isEqualTo("sklearn");
        }
    }

    @Test
    void rejectsUnknownKeysByName() {
        assertThatThrownBy(() -> build(Map.of("pipeline.sklearn.cache-dir", "/tmp")))
                .isInstanceOfSatisfying(InferenceException.class,
                        e -> assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION))
                .hasMessageContaining("pipeline.sklearn.cache-dir");
    }

    @Test
    void rejectsMalformedNameLists() {
        assertThatThrownBy(() -> build(Map.of("pipeline.sklearn.feature-names", "age,,income")))
                .hasMessageContaining("pipeline.sklearn.feature-names: expected input names separated by commas");
        assertThatThrownBy(() -> build(Map.of("pipeline.sklearn.feature-names.models/a.pkl", "age, age")))
                .hasMessageContaining("pipeline.sklearn.feature-names.models/a.pkl: the input name \"age\" appears twice");
    }

    @Test
    void rejectsANamesKeyThatNamesNoLocation() {
        assertThatThrownBy(() -> build(Map.of("pipeline.sklearn.feature-names.models/../a.pkl", "age")))
                .isInstanceOfSatisfying(InferenceException.class,
                        e -> assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION))
                .hasMessageContaining("pipeline.sklearn.feature-names.models/../a.pkl: the part after feature-names. is not a model location");
    }

    @Test
    void reportsWarmUpMistakesUnderItsOwnKey() {
        assertThatThrownBy(() -> build(Map.of("pipeline.sklearn.warmup-evaluations", "many")))
                .hasMessageContaining("pipeline.sklearn.warmup-evaluations: expected a whole number");
    }

    @Test
    void reportsCompileMistakesUnderItsOwnKey() {
        assertThatThrownBy(() -> build(Map.of("pipeline.sklearn.compile", "maybe")))
                .hasMessageContaining("pipeline.sklearn.compile: expected true or false");
    }

    @Test
    void acceptsCompileOff() {
        build(Map.of("pipeline.sklearn.compile", "false")).close();
    }

    @Test
    void createsTheCacheFolderAtStartAndRefusesOneItCannotCreate(@TempDir Path folder) throws Exception {
        Path cache = folder.resolve("converted");
        build(Map.of("pipeline.sklearn.cache-folder", cache.toString())).close();
        assertThat(cache.resolve("pmml-sklearn-" + PickleConverter.CONVERTER_VERSION)).isDirectory();

        Path file = Files.writeString(folder.resolve("a-file"), "x");
        assertThatThrownBy(() -> build(Map.of("pipeline.sklearn.cache-folder", file.toString())))
                .isInstanceOfSatisfying(InferenceException.class,
                        e -> assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION))
                .hasMessageContaining("pipeline.sklearn.cache-folder: cannot create the folder")
                .hasMessageNotContaining(file.toString());
    }

    private static InferenceEngine build(Map<String, String> config) {
        return InferenceEngine.builder()
                .discoverProviders(false)
                .storageProvider(new InMemoryStorageProvider())
                .pipelineProvider(new SkLearnPipelineProvider())
                .config(config)
                .build();
    }
}
