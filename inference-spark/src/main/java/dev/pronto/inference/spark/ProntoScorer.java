package dev.pronto.inference.spark;

import java.util.Objects;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelFormat;
import dev.pronto.inference.ModelInfo;

/**
 * Scores a Spark {@link Dataset} with a Pronto model: every row comes back with the model's prediction
 * and class probabilities as new columns, scored by the same engine, with the same results, as the
 * library, the server and {@code pronto score}.
 *
 * <pre>{@code
 * Dataset<Row> flowers = spark.read().parquet("s3a://lake/flowers/");
 * Dataset<Row> scored = ProntoScorer.score(flowers, "s3://models/iris/model.pmml",
 *         ScoringOptions.of(Map.of("storage.s3.region", "eu-west-1")));
 * scored.write().parquet("s3a://lake/flowers-scored/");
 * }</pre>
 *
 * <h2>Columns</h2>
 * The dataset's columns are kept, in order, and followed by a column named after the model's target
 * ({@code prediction} for a model without a named target) and {@code probability(<class>)} per class in
 * the model's order; with {@link ScoringOptions#allFields()}, by every named target and output field
 * instead. Their Spark types follow the data types the model declares ({@code double}, {@code float},
 * {@code integer}, {@code boolean}; text for anything else); probabilities are doubles. The model's input
 * fields are read from the columns of the same name, which must hold text, numbers or booleans.
 *
 * <h2>Where the work happens</h2>
 * The driver loads the model once to plan the columns. The rows are scored inside
 * {@code mapPartitions}, in batches of {@link ScoringOptions#batchSize()}, by one engine per executor
 * JVM, created from {@link ScoringOptions#config()} by the first task that needs it and shared by the
 * tasks after it. Nothing is scored until an action (a write, a count) runs the returned dataset.
 *
 * <h2>Errors</h2>
 * Problems seen while planning (a model that cannot be loaded, an input field missing from the dataset,
 * a result column the dataset already has) are thrown here as {@link InferenceException}. A row the model
 * cannot score fails its task with a {@link BadRowException} naming the partition, the row and the field;
 * Spark then fails the job with it as the cause. A bad row never becomes a row of nulls.
 *
 * <p>Thread-safe: the class has only static methods and keeps nothing but the executor's engines.
 */
public final class ProntoScorer {

    private ProntoScorer() {
    }

    /**
     * Adds the scores of the model at {@code location} to every row of {@code dataset}.
     *
     * @param location the model's location in any form the engine accepts ({@code s3://bucket/key},
     *     {@code iris/model.pmml} under {@code storage.nas.root}, ...)
     * @return the dataset with the score columns after its own; lazy, as Spark datasets are
     * @throws InferenceException when the model cannot be loaded or does not fit the dataset, with the
     *     category and message the engine gives, or {@code INVALID_REQUEST} naming the column at fault
     */
    public static Dataset<Row> score(Dataset<Row> dataset, String location, ScoringOptions options) {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(options, "options");
        InferenceEngine engine = ExecutorEngines.engine(options.config());
        ModelInfo model = options.format() == null ? engine.model(location)
                : engine.model(location, ModelFormat.of(options.format()));
        InputColumns inputs = InputColumns.of(model.schema(), dataset.schema());
        OutputColumns outputs = OutputColumns.of(model.schema(), options.allFields());
        StructType schema = outputs.appendTo(dataset.schema());
        return dataset.mapPartitions(new ScorePartition(location, options, model.sha256(), inputs, outputs),
                Encoders.row(schema));
    }
}
