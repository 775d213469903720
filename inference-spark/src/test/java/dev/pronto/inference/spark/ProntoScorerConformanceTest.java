package dev.pronto.inference.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import dev.pronto.inference.InputFieldSchema;
import dev.pronto.inference.ModelSchema;
import dev.pronto.inference.testing.ConformanceCorpus;

/**
 * Every case of the conformance corpus through {@link ProntoScorer} in {@code local[2]}: each case's
 * input rows, as the text the corpus defines them as, spread over two partitions, scored with every
 * result field as columns, and each expected cell compared with its column at the case's tolerance.
 * The batch size of 7 puts several batches in each partition.
 */
class ProntoScorerConformanceTest {

    private static final List<ConformanceCorpus.Case> CASES = ConformanceCorpus.cases();

    @TempDir
    static Path root;
    private static Map<String, String> config;
    private static SparkSession spark;

    @BeforeAll
    static void writeModels() throws IOException {
        for (ConformanceCorpus.Case c : CASES) {
            Path model = root.resolve(c.name()).resolve("model.pmml");
            Files.createDirectories(model.getParent());
            Files.write(model, c.model());
        }
        // the parse timeout guards servers against hostile documents; on a CI machine shared with other builds
        // the corpus's largest model (a k-NN holding its training set) has taken longer than the default 60 s
        config = Map.of("storage.nas.root", root.toString(), "cache.max-models", "100", "pipeline.pmml.load-timeout", "600s");
        spark = LocalSpark.session();
    }

    @TestFactory
    Stream<DynamicTest> everyCaseScoresAsTheTrainingLibraryDid() {
        assertThat(CASES).hasSize(48);
        // Spark runs jobs of several driver threads at once: two cases in flight keep both cores busy while
        // one case's driver loads its model, which halves this class's time on a quiet machine
        ExecutorService drivers = Executors.newFixedThreadPool(2);
        Map<String, Future<List<Row>>> scored = new LinkedHashMap<>();
        CASES.forEach(c -> scored.put(c.name(), drivers.submit(() -> score(c))));
        drivers.shutdown();
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c, scored.get(c.name()).get())));
    }

    private static List<Row> score(ConformanceCorpus.Case c) {
        String location = c.name() + "/model.pmml";
        ModelSchema schema = ExecutorEngines.engine(config).model(location).schema();
        Dataset<Row> inputs = inputs(c, schema);
        return ProntoScorer.score(inputs, location, ScoringOptions.of(config).withAllFields(true).withBatchSize(7)).collectAsList();
    }

    private static void check(ConformanceCorpus.Case c, List<Row> rows) {
        List<Map<String, Object>> expected = c.expected();
        assertThat(rows).as("%s: rows", c.name()).hasSameSizeAs(expected);
        List<String> mismatches = new ArrayList<>();
        for (int r = 0; r < rows.size() && mismatches.size() < 10; r++) {
            Row row = rows.get(r);
            for (Map.Entry<String, Object> cell : expected.get(r).entrySet()) {
                assertThat(row.schema().fieldNames()).as("%s: columns", c.name()).contains(cell.getKey());
                String mismatch = c.mismatch(cell.getKey(), (String) cell.getValue(), row.getAs(cell.getKey()));
                if (mismatch != null) {
                    mismatches.add("row " + r + ": " + mismatch);
                }
            }
        }
        assertThat(mismatches).as(c.name()).isEmpty();
    }

    /**
     * The case's input columns that the model reads, as text ({@code null} for the corpus's missing
     * values), in two partitions: the other columns (the observed target among them) are left out, as the
     * corpus says they must be ignored.
     */
    private static Dataset<Row> inputs(ConformanceCorpus.Case c, ModelSchema schema) {
        List<String> columns = schema.inputs().stream().map(InputFieldSchema::name).toList();
        StructType type = new StructType();
        for (String column : columns) {
            type = type.add(column, DataTypes.StringType, true);
        }
        List<Row> rows = new ArrayList<>();
        for (Map<String, Object> input : c.inputs()) {
            rows.add(RowFactory.create(columns.stream().map(input::get).toArray()));
        }
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(context.parallelize(rows, 2), type);
    }
}
