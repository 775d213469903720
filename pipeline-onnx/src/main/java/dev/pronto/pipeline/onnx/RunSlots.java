package dev.pronto.pipeline.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicReferenceArray;

import ai.onnxruntime.OrtException;

/**
 * The tensors of finished runs, kept for the next runs of as many records. ONNX Runtime reads a
 * tensor made over a direct buffer in place and can write outputs into ours, so a run needs no
 * new tensor when one of its size is free: only its buffers are rewritten. Making and closing
 * tensors costs JNI calls per input and output and per run, and allocating direct memory per run
 * cost more than the run itself on small networks (docs/onnx.md, "Figures").
 *
 * <p>Thread-safe and lock-free (a queue's lock cost as much as the slot saved on a batch of one).
 * A slot is taken for one run and given back after it; at most {@link #KEPT} slots of at most
 * {@link #MAX_KEPT_BYTES} bytes each are kept, so idle memory stays small; a slot that finds no room
 * is closed. After {@link #close()} slots given back are closed.
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

    private final AtomicReferenceArray<Slot> free = new AtomicReferenceArray<>(KEPT);
    private volatile boolean closed;

    /** A native-order direct buffer of {@code bytes} bytes, the memory ONNX Runtime reads in place. */
    static ByteBuffer direct(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }

    /** A free slot for {@code rows} records, or a new one. */
    Slot take(int rows, Factory factory) throws OrtException {
        for (int i = 0; i < KEPT; i++) {
            Slot slot = free.get(i);
            if (slot != null && slot.rows() == rows && free.compareAndSet(i, slot, null)) {
                return slot;
            }
        }
        return factory.make(rows);
    }

    /** Gives a slot back once its run has ended. */
    void give(Slot slot) {
        slot.feeds().endRun();
        if (!closed && slot.feeds().bytes() + slot.outputs().bytes() <= MAX_KEPT_BYTES) {
            for (int i = 0; i < KEPT; i++) {
                if (free.get(i) == null && free.compareAndSet(i, null, slot)) {
                    if (closed) {
                        // close() ran while this slot was being put back: nobody else would close it
                        drain();
                    }
                    return;
                }
            }
        }
        slot.close();
    }

    /** Closes the kept slots, and from now on every slot given back. Idempotent. */
    @Override
    public void close() {
        closed = true;
        drain();
    }

    private void drain() {
        for (int i = 0; i < KEPT; i++) {
            Slot slot = free.getAndSet(i, null);
            if (slot != null) {
                slot.close();
            }
        }
    }
}
