package dev.pronto.inference.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.Prediction;
import dev.pronto.inference.testing.ConformanceCorpus;

/**
 * What {@link ProntoScorer} adds to a dataset and how it refuses what it cannot score, with the corpus's
 * iris decision tree (inputs {@code Sepal.Length} ... {@code Petal.Width}, target {@code Species}) and its
 * scikit-learn k-means (a text cluster id and numeric affinities) in {@code local[2]}.
 */
class ProntoScorerTest {

    private static final String IRIS = "iris/model.pmml";
    private static final String KMEANS = "kmeans/model.pmml";
    private static final List<String> IRIS_INPUTS = List.of("Sepal.Length", "Sepal.Width", "Petal.Length", "Petal.Width");

    @TempDir
    static Path root;
    private static Map<String, String> config;
    private static SparkSession spark;

    @BeforeAll
    static void writeModels() throws IOException {
        Files.createDirectories(root.resolve("iris"));
        Files.write(root.resolve(IRIS), iris().model());
        Files.createDirectories(root.resolve("kmeans"));
        Files.write(root.resolve(KMEANS), corpusCase("sklearn-KMeansWheat").model());
        config = Map.of("storage.nas.root", root.toString());
        spark = LocalSpark.session();
    }

    @Test
    void addsTheTargetAndProbabilitiesTypedFromTheSchemaAfterTheDatasetsColumns() {
        Dataset<Row> scored = ProntoScorer.score(irisRows(DataTypes.DoubleType, 5.1, 3.5, 1.4, 0.2, 6.3, 3.3, 6.0, 2.5),
                IRIS, ScoringOptions.of(config));

        assertThat(scored.schema().fieldNames()).containsExactly("Sepal.Length", "Sepal.Width", "Petal.Length",
                "Petal.Width", "Species", "probability(setosa)", "probability(versicolor)", "probability(virginica)");
        assertThat(scored.schema().apply("Species").dataType()).isEqualTo(DataTypes.StringType);
        assertThat(scored.schema().apply("probability(setosa)").dataType()).isEqualTo(DataTypes.DoubleType);
        List<Row> rows = scored.collectAsList();
        Prediction virginica = ExecutorEngines.engine(config).predict(IRIS,
                Map.of("Sepal.Length", 6.3, "Sepal.Width", 3.3, "Petal.Length", 6.0, "Petal.Width", 2.5));
        assertThat(rows.get(0).<String>getAs("Species")).isEqualTo("setosa");
        assertThat(rows.get(1).<String>getAs("Species")).isEqualTo(virginica.value());
        assertThat(rows.get(1).<Double>getAs("probability(virginica)")).isEqualTo(virginica.probabilities().get("virginica"));
        assertThat(rows.get(1).<Double>getAs("Sepal.Length")).isEqualTo(6.3);
    }

    @Test
    void tasksShareTheirJvmsEngineAndItsLoadedModel() {
        ScoringOptions options = ScoringOptions.of(config).withBatchSize(1);
        ProntoScorer.score(irisRows(DataTypes.DoubleType, 5.1, 3.5, 1.4, 0.2, 6.3, 3.3, 6.0, 2.5), IRIS, options).count();
        InferenceEngine engine = ExecutorEngines.engine(config);
        Instant loaded = engine.model(IRIS).loadedAt();

        List<Row> again = ProntoScorer.score(irisRows(DataTypes.DoubleType, 5.0, 3.0, 5.0, 2.0, 6.0, 3.0, 4.5, 1.5), IRIS, options)
                .collectAsList();

        assertThat(again).hasSize(2);
        assertThat(ExecutorEngines.engine(Map.copyOf(config))).isSameAs(engine);
        assertThat(engine.model(IRIS).loadedAt()).isEqualTo(loaded);
    }

    @Test
    void integerAndFloatColumnsScoreAsTheirDoubleValues() {
        Dataset<Row> asDoubles = irisRows(DataTypes.DoubleType, 5.0, 3.0, 5.0, 2.0);
        Dataset<Row> asIntegers = irisRows(DataTypes.IntegerType, 5, 3, 5, 2);

        Row fromDoubles = ProntoScorer.score(asDoubles, IRIS, ScoringOptions.of(config)).first();
        Row fromIntegers = ProntoScorer.score(asIntegers, IRIS, ScoringOptions.of(config)).first();

        assertThat(fromIntegers.<String>getAs("Species")).isEqualTo(fromDoubles.getAs("Species"));
        assertThat(fromIntegers.<Double>getAs("probability(virginica)")).isEqualTo(fromDoubles.getAs("probability(virginica)"));
    }

    @Test
    void everyResultFieldIsTypedAsTheModelDeclaresIt() {
        StructType type = new StructType();
        for (String column : List.of("Area", "Perimeter", "Compactness", "Kernel.Length", "Kernel.Width", "Asymmetry",
                "Groove.Length")) {
            type = type.add(column, DataTypes.DoubleType, true);
        }
        Dataset<Row> wheat = spark.createDataFrame(List.of(RowFactory.create(15.26, 14.84, 0.871, 5.763, 3.312, 2.221, 5.22)), type);

        Dataset<Row> scored = ProntoScorer.score(wheat, KMEANS, ScoringOptions.of(config).withAllFields(true));

        assertThat(scored.schema().apply("cluster").dataType()).isEqualTo(DataTypes.StringType);
        assertThat(scored.schema().apply("affinity(0)").dataType()).isEqualTo(DataTypes.DoubleType);
        Row row = scored.first();
        assertThat(row.<String>getAs("cluster")).isIn("0", "1", "2");
        assertThat(row.<Double>getAs("affinity(0)")).isPositive();
    }

    @Test
    void aValueTheModelCannotReadFailsTheJobNamingPartitionRowAndField() {
        StructType type = new StructType();
        for (String column : IRIS_INPUTS) {
            type = type.add(column, DataTypes.StringType, true);
        }
        List<Row> rows = List.of(RowFactory.create("5.1", "3.5", "1.4", "0.2"), RowFactory.create("4.9", "3.0", "1.4", "0.2"),
                RowFactory.create("5.0", "3.1", "1.5", "0.2"), RowFactory.create("5.0", "3.1", "wide", "0.2"));
        Dataset<Row> dataset = spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 2), type);

        Dataset<Row> scored = ProntoScorer.score(dataset, IRIS, ScoringOptions.of(config));

        assertThatThrownBy(scored::collectAsList).satisfies(failure -> {
            BadRowException bad = cause(failure, BadRowException.class);
            assertThat(bad.partition()).isEqualTo(1);
            assertThat(bad.row()).isEqualTo(1);
            assertThat(bad.field()).contains("Petal.Length");
            assertThat(bad.category()).isEqualTo(ErrorCategory.INVALID_RECORD);
            assertThat(bad).hasMessageStartingWith("partition 1, row 1: ").hasMessageContaining("Petal.Length")
                    .hasMessageContaining("\"wide\"");
        });
    }

    @Test
    void aDatasetWithoutAnInputColumnIsRefusedBeforeAnyTaskRuns() {
        Dataset<Row> dataset = irisRows(DataTypes.DoubleType, 5.1, 3.5, 1.4, 0.2).drop("Petal.Width");

        assertThatThrownBy(() -> ProntoScorer.score(dataset, IRIS, ScoringOptions.of(config)))
                .isInstanceOf(InferenceException.class)
                .hasMessageContaining("input field \"Petal.Width\" is not a column of the dataset")
                .hasMessageContaining("[Petal.Length, Sepal.Length, Sepal.Width]");
    }

    @Test
    void aColumnOfATypeNoModelReadsIsRefusedNamingIt() {
        Dataset<Row> dataset = irisRows(DataTypes.DoubleType, 5.1, 3.5, 1.4, 0.2)
                .withColumn("Petal.Width", org.apache.spark.sql.functions.array(org.apache.spark.sql.functions.lit(0.2)));

        assertThatThrownBy(() -> ProntoScorer.score(dataset, IRIS, ScoringOptions.of(config)))
                .isInstanceOf(InferenceException.class)
                .hasMessage("input field \"Petal.Width\": column of type array<double>, but a model reads text, numbers"
                        + " or booleans; cast the column first");
    }

    @Test
    void aDatasetThatHasAResultColumnAlreadyIsRefused() {
        Dataset<Row> labelled = irisRows(DataTypes.DoubleType, 5.1, 3.5, 1.4, 0.2)
                .withColumn("species", org.apache.spark.sql.functions.lit("setosa"));

        assertThatThrownBy(() -> ProntoScorer.score(labelled, IRIS, ScoringOptions.of(config)))
                .isInstanceOf(InferenceException.class)
                .hasMessage("the dataset already has a column \"species\", which the scores would add; rename or drop it first");
    }

    @Test
    void aModelThatIsNotThereIsReportedByTheEngine() {
        Dataset<Row> dataset = irisRows(DataTypes.DoubleType, 5.1, 3.5, 1.4, 0.2);

        assertThatThrownBy(() -> ProntoScorer.score(dataset, "missing/model.pmml", ScoringOptions.of(config)))
                .isInstanceOf(InferenceException.class)
                .satisfies(e -> assertThat(((InferenceException) e).category()).isEqualTo(ErrorCategory.NOT_FOUND));
    }

    @Test
    void optionsNeverPrintConfigurationValues() {
        ScoringOptions options = ScoringOptions.of(Map.of("storage.s3.secret-key", "wJalrXUtnFEMI", "storage.s3.region", "eu-west-1"));

        assertThat(options.toString()).contains("storage.s3.secret-key", "storage.s3.region")
                .doesNotContain("wJalrXUtnFEMI").doesNotContain("eu-west-1");
        assertThatThrownBy(() -> options.withBatchSize(0)).hasMessage("batchSize must be at least 1, not 0");
    }

    /** Iris rows of four values each, in columns of the given type. */
    private static Dataset<Row> irisRows(DataType type, Object... values) {
        StructType schema = new StructType();
        for (String column : IRIS_INPUTS) {
            schema = schema.add(column, type, false);
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < values.length; i += 4) {
            rows.add(RowFactory.create(values[i], values[i + 1], values[i + 2], values[i + 3]));
        }
        return spark.createDataFrame(rows, schema);
    }

    static ConformanceCorpus.Case iris() {
        return corpusCase("sklearn-DecisionTreeIris");
    }

    private static ConformanceCorpus.Case corpusCase(String name) {
        return ConformanceCorpus.cases().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    /** The first cause of the given type in a failure's chain, which Spark wraps in its own exceptions. */
    static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in the causes of " + failure);
    }
}
