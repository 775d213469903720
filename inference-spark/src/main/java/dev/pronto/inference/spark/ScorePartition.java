package dev.pronto.inference.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelFormat;
import dev.pronto.inference.ModelInfo;
import dev.pronto.inference.Prediction;

/**
 * The task code of {@link ProntoScorer}: scores a partition in batches with this JVM's engine and gives
 * back each row followed by its scores, lazily, so a partition of any size is held one batch at a time.
 * Serializable: Spark ships it, with the options and the columns planned on the driver, to every task.
 */
final class ScorePartition implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    private final String location;
    private final ScoringOptions options;
    private final String sha256;
    private final InputColumns inputs;
    private final OutputColumns outputs;

    /**
     * @param sha256 the checksum of the model version the driver planned with; a task that finds another
     *     version stops rather than write columns of two models into one dataset
     */
    ScorePartition(String location, ScoringOptions options, String sha256, InputColumns inputs, OutputColumns outputs) {
        this.location = location;
        this.options = options;
        this.sha256 = sha256;
        this.inputs = inputs;
        this.outputs = outputs;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        InferenceEngine engine = ExecutorEngines.engine(options.config());
        ModelFormat format = options.format() == null ? null : ModelFormat.of(options.format());
        ModelInfo model = format == null ? engine.model(location) : engine.model(location, format);
        if (!model.sha256().equals(sha256)) {
            throw new InferenceException(ErrorCategory.UNAVAILABLE, "the model at " + location
                    + " changed while the job ran (sha256 " + sha256 + " when planned, " + model.sha256()
                    + " now); run the job again");
        }
        return new Batches(rows, engine, format, TaskContext.getPartitionId());
    }

    /** The scored rows of one partition, a batch at a time. Not thread-safe: one per task. */
    private final class Batches implements Iterator<Row> {
        private final Iterator<Row> rows;
        private final InferenceEngine engine;
        private final ModelFormat format;
        private final int partition;
        private Iterator<Row> batch = Collections.emptyIterator();
        private long read;

        Batches(Iterator<Row> rows, InferenceEngine engine, ModelFormat format, int partition) {
            this.rows = rows;
            this.engine = engine;
            this.format = format;
            this.partition = partition;
        }

        @Override
        public boolean hasNext() {
            if (!batch.hasNext() && rows.hasNext()) {
                batch = next(options.batchSize());
            }
            return batch.hasNext();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return batch.next();
        }

        private Iterator<Row> next(int size) {
            long first = read;
            List<Row> in = new ArrayList<>(size);
            List<Map<String, Object>> records = new ArrayList<>(size);
            while (in.size() < size && rows.hasNext()) {
                Row row = rows.next();
                in.add(row);
                records.add(inputs.record(row));
            }
            read += in.size();
            List<Prediction> predictions;
            try {
                predictions = format == null ? engine.predict(location, records) : engine.predict(location, format, records);
            } catch (InferenceException e) {
                if (e.category() != ErrorCategory.INVALID_RECORD) {
                    throw e;
                }
                throw new BadRowException(partition, first + e.record().orElse(0), e);
            }
            List<Row> out = new ArrayList<>(in.size());
            for (int i = 0; i < in.size(); i++) {
                Row row = in.get(i);
                Object[] values = new Object[row.length() + outputs.size()];
                for (int c = 0; c < row.length(); c++) {
                    values[c] = row.get(c);
                }
                try {
                    outputs.fill(predictions.get(i), values, row.length());
                } catch (InferenceException e) {
                    throw new InferenceException(e.category(), "partition " + partition + ", row " + (first + i) + ": "
                            + e.getMessage(), e.field().orElse(null), -1, null);
                }
                out.add(RowFactory.create(values));
            }
            return out.iterator();
        }
    }
}
