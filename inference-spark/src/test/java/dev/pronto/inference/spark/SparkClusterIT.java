package dev.pronto.inference.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pronto.inference.testing.ConformanceCorpus;

/**
 * The shaded jar under {@code spark-submit} on a real standalone cluster ({@link SparkCluster}: a master, a
 * worker and the executor JVMs it starts, all from Spark's jars and Spark's launcher): the corpus's iris
 * rows and 100,000 generated rows (the same rows over and over) scored by {@link ScoreJob} into Parquet,
 * read back here in {@code local} mode and compared with the corpus's expected values, every row. The job
 * gets no JVM option of ours: the {@code --add-opens} on its command lines are the ones Spark adds.
 */
class SparkClusterIT {

    private static final ConformanceCorpus.Case IRIS = ProntoScorerTest.iris();
    private static final List<String> INPUTS = List.of("Sepal.Length", "Sepal.Width", "Petal.Length", "Petal.Width");
    private static final int GENERATED = 100_000;

    @TempDir
    static Path root;
    private static SparkCluster cluster;
    private static List<String> submitArguments;
    private static SparkCluster.Submission submission;
    private static CompletableFuture<SparkSession> local;

    @BeforeAll
    static void scoreOnTheCluster() throws IOException, InterruptedException {
        Path models = Files.createDirectories(root.resolve("models/iris"));
        Files.write(models.resolve("model.pmml"), IRIS.model());
        Path input = Files.createDirectories(root.resolve("input"));
        writeRows(input.resolve("corpus.csv"), 0, IRIS.inputs().size());
        writeRows(input.resolve("generated.csv"), IRIS.inputs().size(), GENERATED);
        // the local session that reads the results back starts while the cluster works
        local = CompletableFuture.supplyAsync(LocalSpark::session);
        cluster = SparkCluster.start(Path.of("target/spark-home"), root.resolve("cluster"), 2, "1g");
        submitArguments = List.of("--driver-memory", "512m", "--executor-memory", "512m", "--total-executor-cores", "2",
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.pronto.storage.nas.root=" + root.resolve("models"),
                "--conf", "spark.pronto.cache.revalidate-interval=0",
                "--class", ScoreJob.class.getName(), shadedJar().toString(),
                "--model", "iris/model.pmml", "--input", input.toString(), "--input-format", "csv",
                "--output", root.resolve("scored.parquet").toString(), "--batch-size", "500");
        // a guard against a hung job, not a speed check: at load average 38 on 2 cores the job alone took 3 to 6 minutes
        submission = cluster.submit(submitArguments, Duration.ofMinutes(15));
    }

    @AfterAll
    static void stopTheCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void scoresEveryRowOnTheClusterAsTheCorpusExpects() {
        assertThat(submission.exitCode()).as(submission.stderr()).isZero();
        int rows = IRIS.inputs().size() + GENERATED;
        assertThat(submission.stdout()).contains("scored " + rows + " rows");

        List<Row> back = local.join().read().parquet(root.resolve("scored.parquet").toString())
                .orderBy(col("id").cast("int")).collectAsList();

        assertThat(back).hasSize(rows);
        List<Map<String, Object>> expected = IRIS.expected();
        List<String> mismatches = new ArrayList<>();
        for (int r = 0; r < back.size() && mismatches.size() < 10; r++) {
            assertThat(Integer.parseInt(back.get(r).getAs("id"))).isEqualTo(r);
            for (Map.Entry<String, Object> cell : expected.get(r % expected.size()).entrySet()) {
                String mismatch = IRIS.mismatch(cell.getKey(), (String) cell.getValue(), back.get(r).getAs(cell.getKey()));
                if (mismatch != null) {
                    mismatches.add("row " + r + ": " + mismatch);
                }
            }
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void theRowsWereScoredInExecutorJvmsTheWorkerStartedWithTheShadedJarFetchedFromTheDriver() throws IOException {
        List<Path> executorLogs = executorLogs();

        assertThat(executorLogs).as("the worker's executor logs").isNotEmpty();
        String log = Files.readString(executorLogs.get(0));
        assertThat(log).contains("Spark Executor Command:", "org.apache.spark.executor.CoarseGrainedExecutorBackend");
        // the driver names itself by host name (localhost here); the jar travels over its RPC file server
        assertThat(log).containsPattern("Fetching spark://[^/ ]+:\\d+/jars/inference-spark-[^ ]*-spark\\.jar")
                .containsPattern("Adding file:\\S*/inference-spark-[^ ]*-spark\\.jar to class loader");
        assertThat(log).contains("Running task");
    }

    @Test
    void noJvmOptionIsOursEveryAddOpensIsSparks() throws IOException {
        String sparksOwn = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED";

        assertThat(submitArguments).noneMatch(word -> word.contains("add-opens") || word.contains("extraJavaOptions"));
        // the driver's command line is the launcher's, and the launcher put Spark's options on it
        assertThat(submission.command()).contains(sparksOwn);
        String executorCommand = Files.readString(executorLogs().get(0)).lines()
                .filter(line -> line.startsWith("Spark Executor Command:")).findFirst().orElseThrow();
        assertThat(executorCommand).contains(sparksOwn);
    }

    /** The stderr of each executor: {@code WORK/app-ID/EXECUTOR/stderr}. */
    private static List<Path> executorLogs() throws IOException {
        try (Stream<Path> files = Files.walk(cluster.workDir())) {
            return files.filter(file -> file.getFileName().toString().equals("stderr")).sorted().toList();
        }
    }

    /** Rows with ids from {@code firstId}: the corpus's inputs in turn, as text, without the observed species. */
    private static void writeRows(Path file, int firstId, int count) {
        List<Map<String, Object>> inputs = IRIS.inputs();
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("id," + String.join(",", INPUTS) + "\n");
            for (int i = 0; i < count; i++) {
                int id = firstId + i;
                StringBuilder line = new StringBuilder().append(id);
                for (String field : INPUTS) {
                    line.append(',').append(inputs.get(id % inputs.size()).get(field));
                }
                out.write(line.append('\n').toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path shadedJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(file -> file.getFileName().toString().matches("inference-spark-.*-spark\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no shaded jar in target: run the package phase"))
                    .toAbsolutePath();
        }
    }
}
