package dev.pronto.pipeline.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Reusable native-order direct buffers for input tensors. ONNX Runtime reads a direct buffer in
 * place, but copies a heap array into a direct buffer it allocates per call; allocating direct
 * memory per run cost more than the run itself on small networks (measured: 881 against 231 ns per
 * record for Python's onnxruntime, batches of 100, docs/onnx.md).
 *
 * <p>Thread-safe. A buffer is taken for one run and given back after its tensor is closed; at most
 * {@link #KEPT} buffers of at most {@link #MAX_KEPT_BYTES} bytes each are kept, so idle memory stays small.
 */
final class DirectBuffers {

    static final int KEPT = 64;
    static final int MAX_KEPT_BYTES = 1 << 20;

    private final ArrayBlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(KEPT);

    /** A cleared buffer of at least {@code bytes} bytes, in native order. */
    ByteBuffer take(int bytes) {
        ByteBuffer buffer = free.poll();
        if (buffer == null || buffer.capacity() < bytes) {
            // a kept buffer too small for this run is dropped: the pool follows the batch sizes in use
            buffer = ByteBuffer.allocateDirect(Math.max(bytes, 256)).order(ByteOrder.nativeOrder());
        }
        buffer.clear();
        return buffer;
    }

    /** Gives a buffer back once nothing reads it any more. */
    void give(ByteBuffer buffer) {
        if (buffer.capacity() <= MAX_KEPT_BYTES) {
            free.offer(buffer);
        }
    }
}
