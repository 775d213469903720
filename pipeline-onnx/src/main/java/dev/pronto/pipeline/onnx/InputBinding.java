package dev.pronto.pipeline.onnx;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.InputFieldSchema;

/**
 * How records become a model's input tensors, under one of the two input conventions: one graph
 * input per field, named as the field, of shape {@code [N]} or {@code [N,1]}; or a single 2-D input
 * {@code [N,F]} whose columns are the fields named by the metadata property {@code pronto.features}
 * (or, without it, the positional fields {@code <input>[0]}..{@code <input>[F-1]}).
 *
 * <p>Immutable and thread-safe.
 */
final class InputBinding {

    static final String FEATURES = "pronto.features";

    /** One graph input: its name, element type, rank (1 or 2) and the fields of its columns. */
    record Tensor(String name, ElementType type, int rank, List<String> fields) {
    }

    private final List<Tensor> tensors;
    private final boolean positional;
    private final int maxBatch;
    private final DirectBuffers buffers = new DirectBuffers();

    private InputBinding(List<Tensor> tensors, boolean positional, int maxBatch) {
        this.tensors = List.copyOf(tensors);
        this.positional = positional;
        this.maxBatch = maxBatch;
    }

    /**
     * Reads the convention from the model's inputs.
     *
     * @throws InferenceException {@code INVALID_MODEL} naming the input that fits neither convention
     */
    static InputBinding of(Map<String, NodeInfo> inputs, Map<String, String> metadata) {
        String features = metadata.get(FEATURES);
        List<Tensor> tensors = new ArrayList<>();
        boolean positional = false;
        int maxBatch = 0;
        for (NodeInfo node : inputs.values()) {
            if (!(node.getInfo() instanceof TensorInfo info)) {
                throw refused("input \"" + node.getName() + "\" is not a tensor");
            }
            ElementType type = ElementType.of(info.type).orElseThrow(() -> refused("input \"" + node.getName()
                    + "\" has element type " + info.type.name().toLowerCase() + "; the inputs may be float, double, int64,"
                    + " string or bool"));
            long[] shape = info.getShape();
            if (shape.length == 0 || shape.length > 2 || shape[0] > 1) {
                throw refused("input \"" + node.getName() + "\" has shape " + Arrays.toString(shape)
                        + "; an input must be [N] or [N,1] (one per field) or a single [N,F]");
            }
            maxBatch = shape[0] == 1 ? 1 : maxBatch;
            boolean matrix = shape.length == 2 && (shape[1] != 1 || features != null);
            if (!matrix) {
                tensors.add(new Tensor(node.getName(), type, shape.length, List.of(node.getName())));
                continue;
            }
            if (inputs.size() != 1) {
                throw refused("input \"" + node.getName() + "\" has shape " + Arrays.toString(shape) + ", but a 2-D"
                        + " input [N,F] must be the model's only input; with several inputs each must be [N] or [N,1]");
            }
            List<String> fields;
            if (features != null) {
                fields = Arrays.stream(features.split(",", -1)).map(String::trim).toList();
                if (fields.stream().anyMatch(String::isEmpty) || fields.stream().distinct().count() != fields.size()) {
                    throw refused("its metadata property " + FEATURES + " must list distinct field names, comma-separated");
                }
                if (shape[1] > 0 && shape[1] != fields.size()) {
                    throw refused("input \"" + node.getName() + "\" has " + shape[1] + " columns, but " + FEATURES
                            + " names " + fields.size() + " fields");
                }
            } else if (shape[1] > 0) {
                positional = true;
                fields = new ArrayList<>();
                for (int j = 0; j < shape[1]; j++) {
                    fields.add(node.getName() + "[" + j + "]");
                }
            } else {
                throw refused("input \"" + node.getName() + "\" has a variable number of columns and the model has no"
                        + " metadata property " + FEATURES + " naming them");
            }
            tensors.add(new Tensor(node.getName(), type, 2, fields));
        }
        return new InputBinding(tensors, positional, maxBatch);
    }

    /** The most records one run takes, for a model exported with a fixed batch of 1; 0 for no limit. */
    int maxBatch() {
        return maxBatch;
    }

    /** The fields a record must hold, in the model's order. */
    List<InputFieldSchema> schema() {
        List<InputFieldSchema> fields = new ArrayList<>();
        for (Tensor tensor : tensors) {
            for (String field : tensor.fields()) {
                fields.add(new InputFieldSchema(field, tensor.type().dataType, tensor.type().opType, List.of(), List.of()));
            }
        }
        return fields;
    }

    /** A record with a plausible value for every field (zeros, empty strings, false), for warm-up. */
    Map<String, Object> syntheticRecord() {
        Map<String, Object> record = new LinkedHashMap<>();
        for (Tensor tensor : tensors) {
            Object value = switch (tensor.type()) {
                case STRING -> "";
                case BOOL -> Boolean.FALSE;
                default -> 0;
            };
            tensor.fields().forEach(field -> record.put(field, value));
        }
        return record;
    }

    /**
     * Converts records {@code from} (inclusive) to {@code to} (exclusive) into one tensor per input;
     * the caller closes the feeds after the run.
     *
     * @throws InferenceException {@code INVALID_RECORD} naming the field and record index
     */
    Feeds feeds(OrtEnvironment env, List<? extends Map<String, ?>> records, int from, int to) throws OrtException {
        Feeds feeds = new Feeds(buffers);
        try {
            for (Tensor tensor : tensors) {
                feeds.tensors.put(tensor.name(), tensor(env, tensor, records, from, to, feeds));
            }
            return feeds;
        } catch (OrtException | RuntimeException e) {
            feeds.close();
            throw e;
        }
    }

    /** One run's input tensors and the direct buffers behind them; closing frees both. Not thread-safe. */
    static final class Feeds implements AutoCloseable {
        final Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        private final List<ByteBuffer> taken = new ArrayList<>();
        private final DirectBuffers pool;

        private Feeds(DirectBuffers pool) {
            this.pool = pool;
        }

        ByteBuffer buffer(int bytes) {
            ByteBuffer buffer = pool.take(bytes);
            taken.add(buffer);
            buffer.limit(bytes);
            return buffer;
        }

        @Override
        public void close() {
            tensors.values().forEach(OnnxTensor::close);
            taken.forEach(pool::give);
        }
    }

    private OnnxTensor tensor(OrtEnvironment env, Tensor tensor, List<? extends Map<String, ?>> records, int from, int to,
            Feeds feeds) throws OrtException {
        int rows = to - from;
        int columns = tensor.fields().size();
        long[] shape = tensor.rank() == 1 ? new long[] {rows} : new long[] {rows, columns};
        int size = rows * columns;
        List<String> fields = tensor.fields();
        switch (tensor.type()) {
            case FLOAT -> {
                FloatBuffer values = feeds.buffer(size * Float.BYTES).asFloatBuffer();
                for (int i = 0; i < rows; i++) {
                    Map<String, ?> record = records.get(from + i);
                    for (int j = 0; j < columns; j++) {
                        values.put(i * columns + j, (float) ValueConversion.toDouble(
                                value(record, from + i, tensor, j), fields.get(j), from + i));
                    }
                }
                return OnnxTensor.createTensor(env, values, shape);
            }
            case DOUBLE -> {
                DoubleBuffer values = feeds.buffer(size * Double.BYTES).asDoubleBuffer();
                for (int i = 0; i < rows; i++) {
                    Map<String, ?> record = records.get(from + i);
                    for (int j = 0; j < columns; j++) {
                        values.put(i * columns + j, ValueConversion.toDouble(value(record, from + i, tensor, j),
                                fields.get(j), from + i));
                    }
                }
                return OnnxTensor.createTensor(env, values, shape);
            }
            case INT64 -> {
                LongBuffer values = feeds.buffer(size * Long.BYTES).asLongBuffer();
                for (int i = 0; i < rows; i++) {
                    Map<String, ?> record = records.get(from + i);
                    for (int j = 0; j < columns; j++) {
                        values.put(i * columns + j, ValueConversion.toLong(value(record, from + i, tensor, j),
                                fields.get(j), from + i));
                    }
                }
                return OnnxTensor.createTensor(env, values, shape);
            }
            case STRING -> {
                String[] values = new String[size];
                for (int i = 0; i < rows; i++) {
                    Map<String, ?> record = records.get(from + i);
                    for (int j = 0; j < columns; j++) {
                        values[i * columns + j] = ValueConversion.toText(value(record, from + i, tensor, j),
                                fields.get(j), from + i);
                    }
                }
                return OnnxTensor.createTensor(env, values, shape);
            }
            case BOOL -> {
                ByteBuffer values = feeds.buffer(size);
                for (int i = 0; i < rows; i++) {
                    Map<String, ?> record = records.get(from + i);
                    for (int j = 0; j < columns; j++) {
                        boolean flag = ValueConversion.toBoolean(value(record, from + i, tensor, j), fields.get(j), from + i);
                        values.put(i * columns + j, (byte) (flag ? 1 : 0));
                    }
                }
                return OnnxTensor.createTensor(env, values, shape, OnnxJavaType.BOOL);
            }
            default -> throw new IllegalStateException("unhandled element type " + tensor.type());
        }
    }

    private Object value(Map<String, ?> record, int index, Tensor tensor, int column) {
        String field = tensor.fields().get(column);
        Object value = record.get(field);
        if (value == null && !record.containsKey(field)) {
            throw new InferenceException(ErrorCategory.INVALID_RECORD, "input field \"" + field + "\" is missing"
                    + (positional ? "; the model has no metadata property " + FEATURES + ", so its columns are the fields "
                    + tensor.fields().get(0) + " to " + tensor.fields().get(tensor.fields().size() - 1) : ""),
                    field, index, null);
        }
        return value;
    }

    private static InferenceException refused(String reason) {
        return new InferenceException(ErrorCategory.INVALID_MODEL, reason + " (see the ONNX conventions in docs/onnx.md)");
    }
}
