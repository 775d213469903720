package dev.pronto.inference.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The figures of docs/spark.md on a standalone cluster: starts {@link SparkCluster} (a master, one worker
 * with 2 cores), runs {@link ScoreJob} from the shaded jar with {@code spark-submit} on a CSV file, prints
 * the job's own line and the submission's wall-clock time, and stops the cluster. Run by
 * {@code bench/spark-cluster.sh}, which builds what it needs.
 *
 * <pre>
 * SparkClusterBench SPARK_HOME SHADED_JAR MODEL_ROOT MODEL INPUT.csv OUTPUT_DIR WORK_DIR
 * </pre>
 */
public final class SparkClusterBench {

    private SparkClusterBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            System.err.println("usage: SparkClusterBench SPARK_HOME SHADED_JAR MODEL_ROOT MODEL INPUT.csv OUTPUT_DIR WORK_DIR");
            System.exit(2);
        }
        Path work = Files.createDirectories(Path.of(args[6]));
        long clusterStart = System.nanoTime();
        try (SparkCluster cluster = SparkCluster.start(Path.of(args[0]), work, 2, "2g")) {
            double clusterSeconds = (System.nanoTime() - clusterStart) / 1e9;
            long submitStart = System.nanoTime();
            SparkCluster.Submission submission = cluster.submit(List.of("--driver-memory", "1g", "--executor-memory", "1g",
                    "--total-executor-cores", "2", "--conf", "spark.ui.enabled=false",
                    "--conf", "spark.pronto.storage.nas.root=" + Path.of(args[2]).toAbsolutePath(),
                    "--conf", "spark.pronto.cache.revalidate-interval=0",
                    // by name: this JVM has only the test classes, the job's classes are in the shaded jar
                    "--class", "dev.pronto.inference.spark.ScoreJob", Path.of(args[1]).toAbsolutePath().toString(),
                    "--model", args[3], "--input", Path.of(args[4]).toAbsolutePath().toString(), "--input-format", "csv",
                    "--output", Path.of(args[5]).toAbsolutePath().toString(), "--overwrite"), Duration.ofMinutes(60));
            double submitSeconds = (System.nanoTime() - submitStart) / 1e9;
            System.out.print(submission.stdout());
            System.out.printf(Locale.ROOT, "cluster (master + worker) ready in %.1f s; spark-submit ran %.1f s, exit %d; logs in %s%n",
                    clusterSeconds, submitSeconds, submission.exitCode(), work);
            if (submission.exitCode() != 0) {
                System.err.println(submission.stderr());
                System.exit(1);
            }
        }
    }
}
