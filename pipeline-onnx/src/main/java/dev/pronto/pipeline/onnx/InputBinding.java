package dev.pronto.pipeline.onnx;

import java.nio.Buffer;
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

import dev.pronto.inference.Column;
import dev.pronto.inference.Columns;
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
     * Input tensors for runs of {@code rows} records, over direct buffers that each run rewrites
     * ({@link #fill}); string inputs excepted, which ONNX Runtime copies, so they are made per run.
     * The caller closes the feeds once it keeps them no longer.
     */
    Feeds feeds(OrtEnvironment env, int rows) throws OrtException {
        Feeds feeds = new Feeds(rows, tensors.size());
        try {
            for (int t = 0; t < tensors.size(); t++) {
                Tensor tensor = tensors.get(t);
                int size = rows * tensor.fields().size();
                long[] shape = shape(tensor, rows);
                OnnxTensor made = switch (tensor.type()) {
                    case FLOAT -> OnnxTensor.createTensor(env, feeds.view(t, RunSlots.direct(size * Float.BYTES).asFloatBuffer()), shape);
                    case DOUBLE -> OnnxTensor.createTensor(env, feeds.view(t, RunSlots.direct(size * Double.BYTES).asDoubleBuffer()), shape);
                    case INT64 -> OnnxTensor.createTensor(env, feeds.view(t, RunSlots.direct(size * Long.BYTES).asLongBuffer()), shape);
                    case BOOL -> OnnxTensor.createTensor(env, feeds.view(t, RunSlots.direct(size)), shape, OnnxJavaType.BOOL);
                    case STRING -> null;
                };
                if (made != null) {
                    feeds.tensors.put(tensor.name(), made);
                }
            }
            return feeds;
        } catch (OrtException | RuntimeException e) {
            feeds.close();
            throw e;
        }
    }

    /**
     * Writes records {@code from} to {@code from + feeds.rows} (exclusive) into the feeds; the
     * string tensors it makes are closed by {@link Feeds#endRun()}.
     *
     * @throws InferenceException {@code INVALID_RECORD} naming the field and record index
     */
    void fill(OrtEnvironment env, Feeds feeds, List<? extends Map<String, ?>> records, int from) throws OrtException {
        for (int t = 0; t < tensors.size(); t++) {
            fillFromRecords(env, feeds, t, records, from);
        }
    }

    /**
     * Writes records {@code from} to {@code from + feeds.rows} (exclusive) of a batch given as columns
     * into the feeds: a numeric or boolean input straight from primitive columns that convert without
     * fail, any other through the records the columns make, so that values convert, and fail, exactly
     * as in {@link #fill(OrtEnvironment, Feeds, List, int)}, in the same order.
     *
     * @throws InferenceException {@code INVALID_RECORD} naming the field and record index
     */
    void fill(OrtEnvironment env, Feeds feeds, Columns columns, int from) throws OrtException {
        for (int t = 0; t < tensors.size(); t++) {
            if (!fillFromColumns(feeds, t, columns, from)) {
                fillFromRecords(env, feeds, t, columns.records(), from);
            }
        }
    }

    /**
     * Writes input {@code t} from its fields' columns if each has one of a primitive type that converts
     * to the input's element type without fail, as the record path would convert its boxed value.
     *
     * @return whether it did; if not, nothing was written
     */
    private boolean fillFromColumns(Feeds feeds, int t, Columns columns, int from) {
        Tensor tensor = tensors.get(t);
        int width = tensor.fields().size();
        Column[] sources = new Column[width];
        for (int j = 0; j < width; j++) {
            Column column = columns.column(tensor.fields().get(j)).orElse(null);
            boolean direct = switch (tensor.type()) {
                case FLOAT, DOUBLE -> column instanceof Column.OfDouble || column instanceof Column.OfFloat
                        || column instanceof Column.OfLong;
                case INT64 -> column instanceof Column.OfLong;
                case BOOL -> column instanceof Column.OfBoolean;
                case STRING -> false;
            };
            if (!direct) {
                return false;
            }
            sources[j] = column;
        }
        int rows = feeds.rows;
        for (int j = 0; j < width; j++) {
            Column column = sources[j];
            switch (tensor.type()) {
                case FLOAT -> {
                    FloatBuffer values = (FloatBuffer) feeds.views[t];
                    for (int i = 0; i < rows; i++) {
                        // through double, as the record path converts: (float) of a long's double value
                        values.put(i * width + j, column instanceof Column.OfFloat floats ? floats.get(from + i)
                                : (float) asDouble(column, from + i));
                    }
                }
                case DOUBLE -> {
                    DoubleBuffer values = (DoubleBuffer) feeds.views[t];
                    for (int i = 0; i < rows; i++) {
                        values.put(i * width + j, asDouble(column, from + i));
                    }
                }
                case INT64 -> {
                    LongBuffer values = (LongBuffer) feeds.views[t];
                    Column.OfLong longs = (Column.OfLong) column;
                    for (int i = 0; i < rows; i++) {
                        values.put(i * width + j, longs.get(from + i));
                    }
                }
                case BOOL -> {
                    ByteBuffer values = (ByteBuffer) feeds.views[t];
                    Column.OfBoolean flags = (Column.OfBoolean) column;
                    for (int i = 0; i < rows; i++) {
                        values.put(i * width + j, (byte) (flags.get(from + i) ? 1 : 0));
                    }
                }
                default -> throw new IllegalStateException("unhandled element type " + tensor.type());
            }
        }
        return true;
    }

    /** A numeric column's value as a double, as {@link ValueConversion#toDouble} converts the boxed value. */
    private static double asDouble(Column column, int row) {
        if (column instanceof Column.OfDouble doubles) {
            return doubles.get(row);
        }
        return column instanceof Column.OfFloat floats ? floats.get(row) : ((Column.OfLong) column).get(row);
    }

    private void fillFromRecords(OrtEnvironment env, Feeds feeds, int t, List<? extends Map<String, ?>> records, int from)
            throws OrtException {
        int rows = feeds.rows;
        Tensor tensor = tensors.get(t);
        int columns = tensor.fields().size();
        List<String> fields = tensor.fields();
        switch (tensor.type()) {
            case FLOAT -> {
                FloatBuffer values = (FloatBuffer) feeds.views[t];
                for (int i = 0; i < rows; i++) {
                    Map<String, ?> record = records.get(from + i);
                    for (int j = 0; j < columns; j++) {
                        values.put(i * columns + j, (float) ValueConversion.toDouble(
                                value(record, from + i, tensor, j), fields.get(j), from + i));
                    }
                }
            }
            case DOUBLE -> {
                DoubleBuffer values = (DoubleBuffer) feeds.views[t];
                for (int i = 0; i < rows; i++) {
                    Map<String, ?> record = records.get(from + i);
                    for (int j = 0; j < columns; j++) {
                        values.put(i * columns + j, ValueConversion.toDouble(value(record, from + i, tensor, j),
                                fields.get(j), from + i));
                    }
                }
            }
            case INT64 -> {
                LongBuffer values = (LongBuffer) feeds.views[t];
                for (int i = 0; i < rows; i++) {
                    Map<String, ?> record = records.get(from + i);
                    for (int j = 0; j < columns; j++) {
                        values.put(i * columns + j, ValueConversion.toLong(value(record, from + i, tensor, j),
                                fields.get(j), from + i));
                    }
                }
            }
            case STRING -> {
                String[] values = new String[rows * columns];
                for (int i = 0; i < rows; i++) {
                    Map<String, ?> record = records.get(from + i);
                    for (int j = 0; j < columns; j++) {
                        values[i * columns + j] = ValueConversion.toText(value(record, from + i, tensor, j),
                                fields.get(j), from + i);
                    }
                }
                feeds.forThisRun(tensor.name(), OnnxTensor.createTensor(env, values, shape(tensor, rows)));
            }
            case BOOL -> {
                ByteBuffer values = (ByteBuffer) feeds.views[t];
                for (int i = 0; i < rows; i++) {
                    Map<String, ?> record = records.get(from + i);
                    for (int j = 0; j < columns; j++) {
                        boolean flag = ValueConversion.toBoolean(value(record, from + i, tensor, j), fields.get(j), from + i);
                        values.put(i * columns + j, (byte) (flag ? 1 : 0));
                    }
                }
            }
            default -> throw new IllegalStateException("unhandled element type " + tensor.type());
        }
    }

    private static long[] shape(Tensor tensor, int rows) {
        return tensor.rank() == 1 ? new long[] {rows} : new long[] {rows, tensor.fields().size()};
    }

    /**
     * The input tensors of runs of {@link #rows} records and the direct buffers behind them, kept
     * from run to run. Not thread-safe: one run at a time.
     */
    static final class Feeds implements AutoCloseable {
        final Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        final int rows;
        private final Buffer[] views;
        private final List<String> thisRun = new ArrayList<>();
        private long bytes;

        private Feeds(int rows, int inputs) {
            this.rows = rows;
            this.views = new Buffer[inputs];
        }

        private <B extends Buffer> B view(int input, B buffer) {
            views[input] = buffer;
            bytes += (long) buffer.capacity() * (buffer instanceof ByteBuffer ? 1 : Long.BYTES);
            return buffer;
        }

        private void forThisRun(String name, OnnxTensor tensor) {
            tensors.put(name, tensor);
            thisRun.add(name);
        }

        /** An upper bound of the direct memory the buffers hold. */
        long bytes() {
            return bytes;
        }

        /** Closes the tensors made for the run that ended (string inputs). */
        void endRun() {
            thisRun.forEach(name -> tensors.remove(name).close());
            thisRun.clear();
        }

        @Override
        public void close() {
            endRun();
            tensors.values().forEach(OnnxTensor::close);
            tensors.clear();
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
