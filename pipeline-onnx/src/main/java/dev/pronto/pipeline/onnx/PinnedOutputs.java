package dev.pronto.pipeline.onnx;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;

/**
 * One run's numeric output tensors, written by ONNX Runtime straight into direct buffers of ours
 * (its "pinned outputs"). Letting the runtime make the outputs costs, per run and output, a Java
 * tensor built through JNI and a direct-buffer view plus a heap copy on reading it: a fifth of
 * Pronto's time per record on the iris MLP (profiled, docs/onnx.md). Only outputs whose shape is
 * known before the run, {@code [N]} or {@code [N,C]}, of {@code float}, {@code double} or
 * {@code int64}, are pinned; strings and ZipMaps are left to the runtime.
 *
 * <p>Not thread-safe: one run at a time; kept from run to run for as many records ({@link RunSlots}).
 */
final class PinnedOutputs implements AutoCloseable {

    /** An output that can be pinned: its name, element type and columns ({@code 0} for a 1-D {@code [N]}). */
    record Spec(String name, OnnxJavaType type, int columns) {

        /**
         * The spec of an output whose shape is known but for the batch, if it can be pinned.
         *
         * @param columns the columns of a {@code [N,C]} output that declares none ({@code C} unknown)
         */
        static Optional<Spec> of(NodeInfo node, int columns) {
            if (!(node.getInfo() instanceof TensorInfo info) || !(info.type == OnnxJavaType.FLOAT
                    || info.type == OnnxJavaType.DOUBLE || info.type == OnnxJavaType.INT64)) {
                return Optional.empty();
            }
            long[] shape = info.getShape();
            if (shape.length == 1) {
                return Optional.of(new Spec(node.getName(), info.type, 0));
            }
            if (shape.length != 2 || (shape[1] <= 0 && columns <= 0)) {
                return Optional.empty();
            }
            return Optional.of(new Spec(node.getName(), info.type, shape[1] > 0 ? (int) shape[1] : columns));
        }
    }

    private static final PinnedOutputs NONE = new PinnedOutputs();

    private final Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
    private final Map<String, ByteBuffer> buffers = new LinkedHashMap<>();
    private long bytes;

    private PinnedOutputs() {
    }

    /** No pinned outputs: the runtime makes them all. */
    static PinnedOutputs none() {
        return NONE;
    }

    /** Tensors for the specs' outputs of runs of {@code rows} records; the caller closes them when it keeps them no longer. */
    static PinnedOutputs of(OrtEnvironment env, List<Spec> specs, int rows) throws OrtException {
        if (specs.isEmpty()) {
            return NONE;
        }
        PinnedOutputs pinned = new PinnedOutputs();
        try {
            for (Spec spec : specs) {
                long[] shape = spec.columns() == 0 ? new long[] {rows} : new long[] {rows, spec.columns()};
                int size = rows * Math.max(1, spec.columns());
                ByteBuffer buffer = RunSlots.direct(size * (spec.type() == OnnxJavaType.FLOAT ? Float.BYTES : Long.BYTES));
                pinned.bytes += buffer.capacity();
                OnnxTensor tensor = switch (spec.type()) {
                    case FLOAT -> OnnxTensor.createTensor(env, buffer.asFloatBuffer().limit(size), shape);
                    case DOUBLE -> OnnxTensor.createTensor(env, buffer.asDoubleBuffer().limit(size), shape);
                    default -> OnnxTensor.createTensor(env, buffer.asLongBuffer().limit(size), shape);
                };
                pinned.tensors.put(spec.name(), tensor);
                pinned.buffers.put(spec.name(), buffer);
            }
            return pinned;
        } catch (OrtException | RuntimeException e) {
            pinned.close();
            throw e;
        }
    }

    /** The tensors to hand to the run, by output name. */
    Map<String, OnnxTensor> tensors() {
        return tensors;
    }

    /**
     * Copies the first {@code count} values of a pinned float, double or int64 output into {@code into}
     * from {@code offset}, as doubles.
     *
     * @return whether the output is pinned; nothing is copied when it is not
     */
    boolean copyNumbers(String name, double[] into, int offset, int count) {
        ByteBuffer buffer = buffers.get(name);
        if (buffer == null) {
            return false;
        }
        OnnxJavaType type = ((TensorInfo) tensors.get(name).getInfo()).type;
        if (type == OnnxJavaType.DOUBLE) {
            buffer.asDoubleBuffer().get(into, offset, count);
        } else if (type == OnnxJavaType.FLOAT) {
            var floats = buffer.asFloatBuffer();
            for (int i = 0; i < count; i++) {
                into[offset + i] = floats.get(i);
            }
        } else {
            var longs = buffer.asLongBuffer();
            for (int i = 0; i < count; i++) {
                into[offset + i] = longs.get(i);
            }
        }
        return true;
    }

    /** The first {@code count} values of a pinned int64 output; empty if it is not pinned. */
    Optional<long[]> longs(String name, int count) {
        ByteBuffer buffer = buffers.get(name);
        if (buffer == null) {
            return Optional.empty();
        }
        long[] values = new long[count];
        buffer.asLongBuffer().get(values);
        return Optional.of(values);
    }

    /** The direct memory the buffers hold. */
    long bytes() {
        return bytes;
    }

    @Override
    public void close() {
        if (this == NONE) {
            return;
        }
        tensors.values().forEach(OnnxTensor::close);
        tensors.clear();
        buffers.clear();
    }
}
