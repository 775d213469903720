package dev.pronto.inference.spark;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import dev.pronto.inference.InferenceException;

import scala.Tuple2;

/**
 * The example job of the shaded jar: reads a CSV (with a header) or Parquet dataset, scores it with
 * {@link ProntoScorer} and writes Parquet. Run with {@code spark-submit} (docs/spark.md):
 *
 * <pre>
 * spark-submit --class dev.pronto.inference.spark.ScoreJob \
 *   --conf spark.pronto.storage.nas.root=/mnt/models \
 *   inference-spark-VERSION-spark.jar --model iris/model.pmml --input flowers.csv --output scored/
 * </pre>
 *
 * <p>The engine's configuration is every Spark property {@code spark.pronto.<key>}, passed on as
 * {@code <key>}: spark-submit's {@code --conf} and {@code spark-defaults.conf} set it, and Spark's own
 * redaction hides values whose key names a secret ({@code secret}, {@code password}, {@code token}) in
 * its UI and logs. CSV cells are read as text and converted to each input field's type by the model, as
 * {@code pronto score} does; Parquet columns keep their types.
 */
public final class ScoreJob {

    /** The prefix of the Spark properties that configure the engine. */
    public static final String CONFIG_PREFIX = "spark.pronto.";

    private static final String USAGE = "usage: ScoreJob --model LOCATION --input PATH --output PATH"
            + " [--input-format csv|parquet] [--batch-size N] [--all-fields] [--overwrite]";

    private ScoreJob() {
    }

    /** What the command line asks for. */
    record Arguments(String model, String input, String output, String inputFormat, int batchSize, boolean allFields,
            boolean overwrite) {

        static Arguments parse(String... args) {
            Map<String, String> values = new LinkedHashMap<>();
            boolean allFields = false;
            boolean overwrite = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--all-fields" -> allFields = true;
                    case "--overwrite" -> overwrite = true;
                    case "--model", "--input", "--output", "--input-format", "--batch-size" -> {
                        if (i + 1 == args.length) {
                            throw new IllegalArgumentException(args[i] + " needs a value");
                        }
                        values.put(args[i], args[++i]);
                    }
                    default -> throw new IllegalArgumentException("unknown option \"" + args[i] + "\"");
                }
            }
            for (String required : List.of("--model", "--input", "--output")) {
                if (!values.containsKey(required)) {
                    throw new IllegalArgumentException(required + " is required");
                }
            }
            String input = values.get("--input");
            String format = values.getOrDefault("--input-format",
                    input.toLowerCase(Locale.ROOT).endsWith(".csv") ? "csv" : "parquet");
            if (!format.equals("csv") && !format.equals("parquet")) {
                throw new IllegalArgumentException("--input-format is csv or parquet, not \"" + format + "\"");
            }
            int batchSize;
            try {
                batchSize = Integer.parseInt(values.getOrDefault("--batch-size", String.valueOf(ScoringOptions.DEFAULT_BATCH_SIZE)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--batch-size is a whole number, not \"" + values.get("--batch-size") + "\"");
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("--batch-size must be at least 1");
            }
            return new Arguments(values.get("--model"), input, values.get("--output"), format, batchSize, allFields, overwrite);
        }
    }

    /** Runs the job; exits with 2 for a wrong command line and 1 when the job fails. */
    public static void main(String[] args) {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        SparkSession spark = SparkSession.builder().appName("pronto-score").getOrCreate();
        double startup = (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1000.0;
        int status = 0;
        try {
            long start = System.nanoTime();
            long rows = run(spark, arguments, config(spark));
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "scored %d rows in %.1f s (%.0f rows/s); Spark session ready %.1f s after JVM start%n",
                    rows, seconds, rows / seconds, startup);
        } catch (InferenceException e) {
            System.err.println("pronto: " + e.getMessage());
            status = 1;
        } catch (RuntimeException e) {
            InferenceException cause = rootInferenceException(e);
            if (cause == null) {
                throw e;
            }
            System.err.println("pronto: " + cause.getMessage());
            status = 1;
        } finally {
            spark.stop();
        }
        if (status != 0) {
            System.exit(status);
        }
    }

    /** The engine configuration: the session's {@value #CONFIG_PREFIX} properties without the prefix. */
    static Map<String, String> config(SparkSession spark) {
        Map<String, String> config = new LinkedHashMap<>();
        for (Tuple2<String, String> entry : spark.sparkContext().getConf().getAllWithPrefix(CONFIG_PREFIX)) {
            config.put(entry._1(), entry._2());
        }
        return config;
    }

    /**
     * Reads, scores and writes as the arguments say.
     *
     * @return the rows written
     */
    static long run(SparkSession spark, Arguments arguments, Map<String, String> config) {
        Dataset<Row> input = arguments.inputFormat().equals("csv")
                ? spark.read().option("header", "true").csv(arguments.input())
                : spark.read().parquet(arguments.input());
        ScoringOptions options = ScoringOptions.of(config).withBatchSize(arguments.batchSize())
                .withAllFields(arguments.allFields());
        ProntoScorer.score(input, arguments.model(), options).write()
                .mode(arguments.overwrite() ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
                .parquet(arguments.output());
        // Parquet keeps row counts in its footers: counting reads no data
        return spark.read().parquet(arguments.output()).count();
    }

    /** The task's own failure inside Spark's job failure, whose message carries a stack trace. */
    private static InferenceException rootInferenceException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InferenceException inference) {
                return inference;
            }
        }
        return null;
    }
}
