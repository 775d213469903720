package dev.pronto.inference.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one local Spark of a test JVM: {@code local[2]}, no UI, two shuffle partitions. A session takes
 * 10 to 20 seconds to start on a busy machine, so the test classes share it; Spark stops it when the
 * JVM exits. The JVM needs the {@code --add-opens} of this module's surefire {@code argLine}.
 */
final class LocalSpark {

    private static SparkSession session;

    private LocalSpark() {
    }

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2]")
                    .appName("pronto-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .getOrCreate();
        }
        return session;
    }
}
