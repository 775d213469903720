package dev.pronto.pipeline.sklearn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.InputFieldSchema;
import dev.pronto.inference.Prediction;
import dev.pronto.inference.testing.ConformanceCorpus;
import dev.pronto.inference.testing.InMemoryStorageProvider;

/**
 * Plain scikit-learn objects, as users pickle them without sklearn2pmml: each served from the pickle
 * through the engine and compared with what scikit-learn predicted.
 */
class PlainSkLearnTest {

    private final InMemoryStorageProvider storage = new InMemoryStorageProvider();
    private InferenceEngine engine;

    @AfterEach
    void closeEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    private InferenceEngine engine(Map<String, String> config) {
        engine = InferenceEngine.builder()
                .discoverProviders(false)
                .storageProvider(storage)
                .pipelineProvider(new SkLearnPipelineProvider())
                .config(Map.of("pipeline.sklearn.warmup-evaluations", "10"))
                .config(config)
                .build();
        return engine;
    }

    @ParameterizedTest(name = "{0} as {1}")
    @CsvSource({
        "bare-logistic-iris, models/iris.pkl",
        "compressed-zlib-logistic-iris, models/zlib.joblib",
        "compressed-gzip-logistic-iris, models/gzip.pkl",
        "pipeline-scaler-tree-iris, models/tree.joblib",
        "columntransformer-forest-synthetic, models/forest.pickle",
        "columntransformer-boosting-synthetic, models/boosting.pkl",
        "mapper-model-iris, models/mapper.pkl",
        "mapper-model-mixed-synthetic, models/mixed.pkl",
    })
    void servesPicklesThatNameTheirInputsLikeScikitLearn(String fixture, String location) {
        assertMatchesScikitLearn(fixture, location, Map.of());

        List<String> inputNames = engine.model(location).schema().inputs().stream()
                .map(InputFieldSchema::name).toList();
        // the pickle's own column names; a column the model never uses (a tree's unused feature) is left out
        assertThat(inputNames).isNotEmpty().isSubsetOf(Fixtures.fixture(fixture).inputs().get(0).keySet());
    }

    @Test
    void answersTheSeedsIrisRequestWithAMapperAndModelPipeline() {
        // the seed's clients send a label as implementation and the pickle's path as pipelineFilename
        storage.put("iris/iris.pickle", Fixtures.pickle("mapper-model-iris"));
        Map<String, Object> record = Map.of("sepal_length", 5.1, "sepal_width", 3.5, "petal_length", 1.4, "petal_width", 0.2);

        Prediction prediction = engine(Map.of()).predict("iris/iris.pickle", List.of(record)).get(0);

        assertThat(prediction.value()).isEqualTo("setosa");
        assertThat(prediction.probabilities()).containsOnlyKeys("setosa", "versicolor", "virginica");
        // scikit-learn 1.2.1's predict_proba for this row (first row of mapper-model-iris/expected.csv)
        assertThat(prediction.probabilities().get("setosa")).isCloseTo(0.9886003096603448, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void offersThePmmlAPickleWasConvertedToThroughTheEngine() {
        storage.put("models/mapper.pkl", Fixtures.pickle("mapper-model-iris"));

        byte[] document = engine(Map.of()).convertedPmml("models/mapper.pkl").orElseThrow();

        assertThat(new String(document, java.nio.charset.StandardCharsets.UTF_8))
                .startsWith("<?xml").contains("<PMML").contains("name=\"petal_width\"");
    }

    @Test
    void explainsHowToNameTheInputsOfAPickleFittedOnAnArray() {
        storage.put("numpy/linear.pkl", Fixtures.pickle("numpy-linear-regression"));

        assertThatThrownBy(() -> engine(Map.of()).model("numpy/linear.pkl"))
                .isInstanceOfSatisfying(InferenceException.class,
                        e -> assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_MODEL))
                .hasMessageContaining("model \"file:numpy/linear.pkl\"")
                .hasMessageContaining("holds no input field names")
                .hasMessageContaining("LinearRegression")
                .hasMessageContaining("2 columns")
                .hasMessageContaining("pipeline.sklearn.feature-names.file:numpy/linear.pkl = name1,name2,...")
                .hasMessageContaining("refit the model on a DataFrame");
    }

    @Test
    void takesInputNamesFromTheModelsOwnKey() {
        // written as the bare name the client sends; keys are matched after canonicalisation
        String fixture = "numpy-linear-regression";
        assertMatchesScikitLearn(fixture, "numpy/linear.pkl",
                Map.of("pipeline.sklearn.feature-names.numpy/linear.pkl", Fixtures.names(fixture)));
    }

    @Test
    void takesInputNamesFromTheDefaultKeyForAColumnTransformerFittedOnAnArray() {
        String fixture = "numpy-columntransformer-tree";
        assertMatchesScikitLearn(fixture, "numpy/tree.pkl", Map.of("pipeline.sklearn.feature-names", Fixtures.names(fixture)));
    }

    @Test
    void rejectsConfiguredNamesOfTheWrongCount() {
        storage.put("numpy/linear.pkl", Fixtures.pickle("numpy-linear-regression"));

        assertThatThrownBy(() -> engine(Map.of("pipeline.sklearn.feature-names", "a,b,c")).model("numpy/linear.pkl"))
                .isInstanceOfSatisfying(InferenceException.class,
                        e -> assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_MODEL))
                .hasMessageContaining("takes 2 input columns, but pipeline.sklearn.feature-names names 3");
    }

    @Test
    void ignoresConfiguredNamesWhenThePickleHasItsOwn() {
        storage.put("models/iris.pkl", Fixtures.pickle("bare-logistic-iris"));

        List<String> inputNames = engine(Map.of("pipeline.sklearn.feature-names", "a,b,c,d")).model("models/iris.pkl")
                .schema().inputs().stream().map(InputFieldSchema::name).toList();

        assertThat(inputNames).containsExactlyInAnyOrder("sepal_length", "sepal_width", "petal_length", "petal_width");
    }

    private void assertMatchesScikitLearn(String fixture, String location, Map<String, String> config) {
        storage.put(location, Fixtures.pickle(fixture));
        ConformanceCorpus.Case expected = Fixtures.fixture(fixture);

        List<Prediction> predictions = engine(config).predict(location, expected.inputs());

        assertThat(expected.mismatches(predictions, 10)).isEmpty();
    }
}
