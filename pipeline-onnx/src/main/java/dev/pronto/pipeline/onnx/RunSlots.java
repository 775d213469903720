package dev.pronto.pipeline.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ArrayBlockingQueue;

import ai.onnxruntime.OrtException;

/**
 * The tensors of finished runs, kept for the next runs of as many records. ONNX Runtime reads a
 * tensor made over a direct buffer in place and can write outputs into ours, so a run needs no
 * new tensor when one of its size is free: only its buffers are rewritten. Making and closing
 * tensors costs JNI calls per input and output and per run, and allocating direct memory per run
 * cost more than the run itself on small networks (docs/onnx.md, "Figures").
 *
 * <p>Thread-safe. A slot is taken for one run and given back after it; at most {@link #KEPT} slots
 * of at most {@link #MAX_KEPT_BYTES} bytes each are kept, so idle memory stays small, and a batch
 * size seen once does not stay. After {@link #close()} slots given back are closed.
 */
final class RunSlots implements AutoCloseable {

    static final int KEPT = 16;
    static final long MAX_KEPT_BYTES = 1 << 20;

    /** One run's input and output tensors, for {@code feeds.rows} records. */
    record Slot(InputBinding.Feeds feeds, PinnedOutputs outputs) implements AutoCloseable {

        int rows() {
            return feeds.rows;
        }

        @Override
        public void close() {
            feeds.close();
            outputs.close();
        }
    }

    /** Makes a slot for a number of records. */
    interface Factory {
        Slot make(int rows) throws OrtException;
    }

    private final ArrayBlockingQueue<Slot> free = new ArrayBlockingQueue<>(KEPT);
    private volatile boolean closed;

    /** A native-order direct buffer of {@code bytes} bytes, the memory ONNX Runtime reads in place. */
    static ByteBuffer direct(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }

    /** A free slot for {@code rows} records, or a new one. */
    Slot take(int rows, Factory factory) throws OrtException {
        Slot slot = free.poll();
        if (slot != null && slot.rows() == rows) {
            return slot;
        }
        if (slot != null) {
            // the batch size changed: the pool follows the sizes in use rather than hoarding every size
            slot.close();
        }
        return factory.make(rows);
    }

    /** Gives a slot back once its run has ended. */
    void give(Slot slot) {
        slot.feeds().endRun();
        if (closed || slot.feeds().bytes() + slot.outputs().bytes() > MAX_KEPT_BYTES || !free.offer(slot)) {
            slot.close();
            return;
        }
        if (closed) {
            // close() ran while this slot was being offered: nobody else would close it
            drain();
        }
    }

    /** Closes the kept slots, and from now on every slot given back. Idempotent. */
    @Override
    public void close() {
        closed = true;
        drain();
    }

    private void drain() {
        for (Slot slot = free.poll(); slot != null; slot = free.poll()) {
            slot.close();
        }
    }
}
