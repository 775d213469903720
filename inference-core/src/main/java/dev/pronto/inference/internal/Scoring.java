package dev.pronto.inference.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.pronto.inference.BatchPrediction;
import dev.pronto.inference.Columns;
import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.Prediction;
import dev.pronto.inference.spi.BatchPipeline;
import dev.pronto.inference.spi.ColumnarPipeline;
import dev.pronto.inference.spi.Pipeline;

/**
 * Scores records with a loaded pipeline and records the call in the model's meters: the engine's hot
 * path. Two clock reads per call when metrics are recorded (none without a registry), none per
 * record; nothing allocated but the predictions.
 *
 * <p>Stateless and thread-safe.
 */
public final class Scoring {

    private Scoring() {
    }

    /**
     * Scores records in order.
     *
     * @throws InferenceException for the first record that cannot be scored, with its index
     */
    public static List<Prediction> scoreAll(Pipeline pipeline, List<? extends Map<String, ?>> records,
            EngineMetrics.ModelMeters meters) {
        long started = startTime(meters);
        try {
            for (int i = 0; i < records.size(); i++) {
                if (records.get(i) == null) {
                    throw new InferenceException(ErrorCategory.INVALID_REQUEST, "record is null", null, i, null);
                }
            }
            List<Prediction> predictions;
            if (pipeline instanceof BatchPipeline batch) {
                predictions = scoreBatch(batch, records);
            } else {
                predictions = new ArrayList<>(records.size());
                for (int i = 0; i < records.size(); i++) {
                    predictions.add(score(pipeline, records.get(i), i));
                }
            }
            if (meters.recording()) {
                meters.scored(records.size(), System.nanoTime() - started);
            }
            return predictions;
        } catch (InferenceException e) {
            meters.failed(e);
            throw e;
        }
    }

    /**
     * Scores a batch given as columns: natively when the pipeline is {@link ColumnarPipeline}, otherwise
     * as the batch's records, whose predictions back the result.
     *
     * @throws InferenceException for the first record that cannot be scored, with its index
     */
    public static BatchPrediction scoreColumns(Pipeline pipeline, Columns columns, EngineMetrics.ModelMeters meters) {
        if (!(pipeline instanceof ColumnarPipeline columnar)) {
            return BatchPrediction.of(scoreAll(pipeline, columns.records(), meters));
        }
        if (columns.rows() == 0) {
            return BatchPrediction.of(List.of());
        }
        long started = startTime(meters);
        try {
            BatchPrediction result;
            try {
                result = columnar.predictColumns(columns);
            } catch (InferenceException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new InferenceException(ErrorCategory.INTERNAL, "scoring failed unexpectedly", e);
            }
            if (meters.recording()) {
                meters.scored(columns.rows(), System.nanoTime() - started);
            }
            return result;
        } catch (InferenceException e) {
            meters.failed(e);
            throw e;
        }
    }

    /** Scores one record. */
    public static Prediction scoreOne(Pipeline pipeline, Map<String, ?> record, EngineMetrics.ModelMeters meters) {
        long started = startTime(meters);
        try {
            Prediction prediction = score(pipeline, record, 0);
            if (meters.recording()) {
                meters.scored(1, System.nanoTime() - started);
            }
            return prediction;
        } catch (InferenceException e) {
            meters.failed(e);
            throw e;
        }
    }

    private static long startTime(EngineMetrics.ModelMeters meters) {
        return meters.recording() ? System.nanoTime() : 0L;
    }

    private static List<Prediction> scoreBatch(BatchPipeline pipeline, List<? extends Map<String, ?>> records) {
        try {
            return pipeline.predictBatch(records);
        } catch (InferenceException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InferenceException(ErrorCategory.INTERNAL, "scoring failed unexpectedly", e);
        }
    }

    private static Prediction score(Pipeline pipeline, Map<String, ?> record, int index) {
        try {
            return pipeline.predict(record);
        } catch (InferenceException e) {
            throw e.atRecord(index);
        } catch (RuntimeException e) {
            // a pipeline that breaks its contract: report it as our defect, not the client's
            throw new InferenceException(ErrorCategory.INTERNAL, "scoring failed unexpectedly", null, index, e);
        }
    }
}
