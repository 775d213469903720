package dev.pronto.inference;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.pronto.inference.internal.EngineMetrics;
import dev.pronto.inference.internal.LoadedModel;
import dev.pronto.inference.internal.ModelCache;
import dev.pronto.inference.internal.Scoring;
import dev.pronto.inference.spi.Pipeline;

/**
 * One version of a model in memory, as one lookup found it: its facts, and scoring with that same
 * version. For a caller that needs the schema before it scores (to check or to type the records),
 * so that it looks the model up once and the schema it checked is that of the version that scores.
 *
 * <pre>{@code
 * ModelHandle model = engine.handle("iris/model.pmml");
 * check(records, model.info().schema());
 * List<Prediction> predictions = model.predict(records);
 * }</pre>
 *
 * <p>Thread-safe. Hold it for one request, not longer: a newer version swapped in afterwards does not
 * reach it, and it keeps its version in memory after an eviction.
 */
public final class ModelHandle {

    private final ModelInfo info;
    private final Pipeline pipeline;
    private final EngineMetrics.ModelMeters meters;

    private ModelHandle(ModelInfo info, Pipeline pipeline, EngineMetrics.ModelMeters meters) {
        this.info = info;
        this.pipeline = pipeline;
        this.meters = meters;
    }

    /** The model under the key, loading it if needed. */
    static ModelHandle of(ModelCache.Key key, ModelCache cache, EngineMetrics metrics) {
        LoadedModel model = cache.get(key);
        return new ModelHandle(model.info(), model.pipeline(), metrics.model(key));
    }

    /** The model under the key if it is in memory, counted as a cache hit; never loads or waits. */
    static Optional<ModelHandle> ifLoaded(ModelCache.Key key, ModelCache cache, EngineMetrics metrics) {
        return cache.getIfLoaded(key).map(model -> {
            EngineMetrics.ModelMeters meters = metrics.model(key);
            meters.hit();
            return new ModelHandle(model.info(), model.pipeline(), meters);
        });
    }

    /** The facts of this version. */
    public ModelInfo info() {
        return info;
    }

    /**
     * Scores one record with this version, as {@link InferenceEngine#predict(String, Map)} does.
     *
     * @throws InferenceException if the record cannot be scored
     */
    public Prediction predict(Map<String, ?> record) {
        Objects.requireNonNull(record, "record");
        return Scoring.scoreOne(pipeline, record, meters);
    }

    /**
     * Scores records in order with this version, as {@link InferenceEngine#predict(String, List)} does.
     *
     * @throws InferenceException for the first record that cannot be scored, with its index
     */
    public List<Prediction> predict(List<? extends Map<String, ?>> records) {
        Objects.requireNonNull(records, "records");
        return Scoring.scoreAll(pipeline, records, meters);
    }

    /**
     * Scores a batch given as columns with this version, and answers by column: the same predictions
     * and errors as {@link #predict(List)} on {@link Columns#records()}, without a map per record in or
     * a {@link Prediction} per record out where the model's pipeline scores columns natively (ONNX);
     * other formats score the records and the result is backed by their predictions.
     *
     * @throws InferenceException for the first record that cannot be scored, with its field and index
     */
    public BatchPrediction predict(Columns columns) {
        Objects.requireNonNull(columns, "columns");
        return Scoring.scoreColumns(pipeline, columns, meters);
    }
}
