package dev.pronto.inference.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pronto.inference.testing.ConformanceCorpus;

/**
 * The example job end to end in {@code local[2]}: the corpus's iris rows from a CSV file (text cells) and
 * from a Parquet file (double columns) scored into Parquet, read back, and compared with the corpus's
 * expected values; the job's command line.
 */
class ScoreJobTest {

    private static final ConformanceCorpus.Case IRIS = ProntoScorerTest.iris();
    private static final List<String> INPUTS = List.of("Sepal.Length", "Sepal.Width", "Petal.Length", "Petal.Width");

    @TempDir
    static Path root;
    private static Map<String, String> config;
    private static SparkSession spark;
    private static Path csv;

    @BeforeAll
    static void writeModelAndInput() throws IOException {
        Files.createDirectories(root.resolve("models/iris"));
        Files.write(root.resolve("models/iris/model.pmml"), IRIS.model());
        config = Map.of("storage.nas.root", root.resolve("models").toString());
        // the rows with an id, without the observed Species, which the scores add
        StringBuilder text = new StringBuilder("id," + String.join(",", INPUTS) + "\n");
        List<Map<String, Object>> rows = IRIS.inputs();
        for (int i = 0; i < rows.size(); i++) {
            text.append(i);
            for (String input : INPUTS) {
                text.append(',').append(rows.get(i).get(input));
            }
            text.append('\n');
        }
        csv = root.resolve("iris.csv");
        Files.writeString(csv, text, StandardCharsets.UTF_8);
        spark = LocalSpark.session();
    }

    @Test
    void scoresACsvFileIntoParquetThatReadsBackWithTheExpectedScores() {
        Path out = root.resolve("from-csv.parquet");

        long written = ScoreJob.run(spark, ScoreJob.Arguments.parse("--model", "iris/model.pmml", "--input", csv.toString(),
                "--output", out.toString(), "--batch-size", "16"), config);

        assertThat(written).isEqualTo(IRIS.expected().size());
        Dataset<Row> back = spark.read().parquet(out.toString());
        assertThat(back.schema().fieldNames()).containsExactly("id", "Sepal.Length", "Sepal.Width", "Petal.Length",
                "Petal.Width", "Species", "probability(setosa)", "probability(versicolor)", "probability(virginica)");
        assertThat(back.schema().apply("probability(setosa)").dataType()).isEqualTo(DataTypes.DoubleType);
        assertThat(mismatches(back)).isEmpty();
    }

    @Test
    void scoresTypedParquetColumnsAsTheSameRowsInText() {
        Path typed = root.resolve("typed.parquet");
        List<Column> columns = new ArrayList<>(List.of(col("id").cast("int")));
        INPUTS.forEach(input -> columns.add(col("`" + input + "`").cast("double").as(input)));
        spark.read().option("header", "true").csv(csv.toString()).select(columns.toArray(Column[]::new))
                .write().parquet(typed.toString());
        Path out = root.resolve("from-parquet.parquet");

        ScoreJob.run(spark, ScoreJob.Arguments.parse("--model", "iris/model.pmml", "--input", typed.toString(),
                "--output", out.toString()), config);

        Dataset<Row> back = spark.read().parquet(out.toString());
        assertThat(back.schema().apply("Sepal.Length").dataType()).isEqualTo(DataTypes.DoubleType);
        assertThat(mismatches(back)).isEmpty();
    }

    @Test
    void theCommandLineNamesWhatIsWrong() {
        assertThatThrownBy(() -> ScoreJob.Arguments.parse("--model", "m.pmml", "--input", "in.csv"))
                .hasMessage("--output is required");
        assertThatThrownBy(() -> ScoreJob.Arguments.parse("--model", "m.pmml", "--input", "in", "--output", "o", "--threads", "2"))
                .hasMessage("unknown option \"--threads\"");
        assertThatThrownBy(() -> ScoreJob.Arguments.parse("--model", "m", "--input", "in", "--output", "o", "--input-format", "orc"))
                .hasMessage("--input-format is csv or parquet, not \"orc\"");
        assertThat(ScoreJob.Arguments.parse("--model", "m", "--input", "in.CSV", "--output", "o").inputFormat()).isEqualTo("csv");
        assertThat(ScoreJob.Arguments.parse("--model", "m", "--input", "lake/flowers", "--output", "o").inputFormat())
                .isEqualTo("parquet");
    }

    /** The expected cells of the corpus compared with the rows read back, matched by id. */
    private static List<String> mismatches(Dataset<Row> back) {
        List<Row> rows = back.orderBy(col("id").cast("int")).collectAsList();
        List<Map<String, Object>> expected = IRIS.expected();
        assertThat(rows).hasSameSizeAs(expected);
        List<String> mismatches = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            for (Map.Entry<String, Object> cell : expected.get(r).entrySet()) {
                String mismatch = IRIS.mismatch(cell.getKey(), (String) cell.getValue(), rows.get(r).getAs(cell.getKey()));
                if (mismatch != null) {
                    mismatches.add("row " + r + ": " + mismatch);
                }
            }
        }
        return mismatches;
    }
}
