package dev.pronto.pipeline.onnx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import dev.pronto.inference.BatchPrediction;
import dev.pronto.inference.Columns;
import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelSchema;
import dev.pronto.inference.Prediction;
import dev.pronto.inference.spi.BatchPipeline;
import dev.pronto.inference.spi.ColumnarPipeline;

/**
 * A loaded ONNX model: a batch of records, as maps or as columns, becomes one run of the shared session.
 *
 * <p>Thread-safe; ONNX Runtime allows concurrent runs of one session. {@link #close()} retires the
 * session, which closes after the runs in progress (see {@link SharedSession}).
 */
final class OnnxPipeline implements BatchPipeline, ColumnarPipeline {

    private final OrtEnvironment env;
    private final SharedSession session;
    private final InputBinding inputs;
    private final OutputDecoding outputs;
    private final ModelSchema schema;
    private final ScheduledExecutorService closer;
    private final Duration closeGrace;
    private final RunSlots slots = new RunSlots();
    /** One instance: a method reference made per run allocates through a slow path (profiled). */
    private final RunSlots.Factory newSlot = this::slot;
    /** Whether runs write numeric outputs into our buffers; turned off for good if the model's outputs refuse them. */
    private volatile boolean pinOutputs;

    OnnxPipeline(OrtEnvironment env, SharedSession session, InputBinding inputs, OutputDecoding outputs,
            ScheduledExecutorService closer, Duration closeGrace) {
        this.env = env;
        this.session = session;
        this.inputs = inputs;
        this.outputs = outputs;
        this.schema = outputs.schema(inputs);
        this.closer = closer;
        this.closeGrace = closeGrace;
        this.pinOutputs = outputs.pinnable();
    }

    @Override
    public ModelSchema schema() {
        return schema;
    }

    @Override
    public Prediction predict(Map<String, ?> record) {
        return predictBatch(List.of(record)).get(0);
    }

    @Override
    public List<Prediction> predictBatch(List<? extends Map<String, ?>> records) {
        List<Prediction> predictions = new ArrayList<>(records.size());
        if (!records.isEmpty()) {
            score(records.size(), (slot, from) -> inputs.fill(env, slot.feeds(), records, from),
                    (result, pinned, rows, from) -> outputs.decode(result, pinned, rows, predictions));
        }
        return predictions;
    }

    @Override
    public BatchPrediction predictColumns(Columns columns) {
        OutputDecoding.Decoded decoded = outputs.decoded(columns.rows());
        if (columns.rows() > 0) {
            score(columns.rows(), (slot, from) -> inputs.fill(env, slot.feeds(), columns, from),
                    (result, pinned, rows, from) -> outputs.decode(result, pinned, rows, decoded, from));
        }
        return outputs.result(decoded, columns.rows());
    }

    // one call's records (as maps or as columns) go in through a Fill and their answers out through a Decode:
    // the runs, slots and output pinning below are the same for both

    /** Writes records {@code from} to {@code from + slot.rows()} into the slot's inputs. */
    private interface Fill {
        void fill(RunSlots.Slot slot, int from) throws OrtException;
    }

    /** Reads one run's outputs, for the {@code rows} records from {@code from} on. */
    private interface Decode {
        void decode(OrtSession.Result result, PinnedOutputs pinned, int rows, int from) throws OrtException;
    }

    /** Scores a batch of {@code size} records in runs of at most the model's batch size, on the shared session. */
    private void score(int size, Fill fill, Decode decode) {
        OrtSession running = session.acquire();
        try {
            int step = inputs.maxBatch() == 0 ? size : inputs.maxBatch();
            for (int from = 0; from < size; from += step) {
                run(running, fill, decode, from, Math.min(size, from + step));
            }
        } finally {
            session.release();
        }
    }

    private void run(OrtSession running, Fill fill, Decode decode, int from, int to) {
        try {
            RunSlots.Slot slot = slots.take(to - from, newSlot);
            try {
                fill.fill(slot, from);
                boolean pinning = pinOutputs;
                try {
                    runAndDecode(running, slot, pinning, decode, from);
                } catch (OrtException e) {
                    if (!pinning) {
                        throw e;
                    }
                    // outputs whose shapes differ from those the model declares refuse our buffers: the
                    // runtime makes them from now on, if that is what failed (a bad record fails again)
                    runAndDecode(running, slot, false, decode, from);
                    pinOutputs = false;
                }
            } finally {
                slots.give(slot);
            }
        } catch (OrtException e) {
            throw new InferenceException(ErrorCategory.INVALID_RECORD, "the model could not score "
                    + (to - from == 1 ? "the record" : "records " + from + " to " + (to - 1)) + ": "
                    + OnnxPipelineLoader.describe(e), null, from, null);
        }
    }

    private RunSlots.Slot slot(int rows) throws OrtException {
        InputBinding.Feeds feeds = inputs.feeds(env, rows);
        try {
            return new RunSlots.Slot(feeds, outputs.pin(env, rows));
        } catch (OrtException | RuntimeException e) {
            feeds.close();
            throw e;
        }
    }

    private void runAndDecode(OrtSession running, RunSlots.Slot slot, boolean pinning, Decode decode, int from)
            throws OrtException {
        PinnedOutputs pinned = pinning ? slot.outputs() : PinnedOutputs.none();
        try (OrtSession.Result result = running.run(slot.feeds().tensors, outputs.madeByRuntime(pinning),
                pinned.tensors())) {
            decode.decode(result, pinned, slot.rows(), from);
        }
    }

    /** Scores a synthetic record, so the first client request does not pay for ONNX Runtime's lazy set-up. */
    void warmUp(int runs) {
        List<Map<String, Object>> record = List.of(inputs.syntheticRecord());
        for (int i = 0; i < runs; i++) {
            predictBatch(record);
        }
    }

    boolean isClosed() {
        return session.isClosed();
    }

    @Override
    public void close() {
        session.retire(closer, closeGrace);
        slots.close();
    }
}
