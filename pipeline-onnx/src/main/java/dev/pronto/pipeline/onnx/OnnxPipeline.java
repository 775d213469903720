package dev.pronto.pipeline.onnx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelSchema;
import dev.pronto.inference.Prediction;
import dev.pronto.inference.spi.BatchPipeline;

/**
 * A loaded ONNX model: a batch of records becomes one run of the shared session.
 *
 * <p>Thread-safe; ONNX Runtime allows concurrent runs of one session. {@link #close()} retires the
 * session, which closes after the runs in progress (see {@link SharedSession}).
 */
final class OnnxPipeline implements BatchPipeline {

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
        if (records.isEmpty()) {
            return predictions;
        }
        OrtSession running = session.acquire();
        try {
            int step = inputs.maxBatch() == 0 ? records.size() : inputs.maxBatch();
            for (int from = 0; from < records.size(); from += step) {
                run(running, records, from, Math.min(records.size(), from + step), predictions);
            }
            return predictions;
        } finally {
            session.release();
        }
    }

    private void run(OrtSession running, List<? extends Map<String, ?>> records, int from, int to,
            List<Prediction> into) {
        try {
            RunSlots.Slot slot = slots.take(to - from, newSlot);
            try {
                inputs.fill(env, slot.feeds(), records, from);
                boolean pinning = pinOutputs;
                try {
                    decode(running, slot, pinning, into);
                } catch (OrtException e) {
                    if (!pinning) {
                        throw e;
                    }
                    // outputs whose shapes differ from those the model declares refuse our buffers: the
                    // runtime makes them from now on, if that is what failed (a bad record fails again)
                    decode(running, slot, false, into);
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

    private void decode(OrtSession running, RunSlots.Slot slot, boolean pinning, List<Prediction> into)
            throws OrtException {
        PinnedOutputs pinned = pinning ? slot.outputs() : PinnedOutputs.none();
        try (OrtSession.Result result = running.run(slot.feeds().tensors, outputs.madeByRuntime(pinning),
                pinned.tensors())) {
            outputs.decode(result, pinned, slot.rows(), into);
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
