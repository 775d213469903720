package dev.pronto.pipeline.onnx;

import java.util.List;
import java.util.Map;

import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;

/**
 * Reads one run's outputs into a batch's arrays, at the offset of the run's first record: a batch
 * scored in several runs (a model with a fixed batch of 1) fills one set of arrays. Pinned outputs
 * are read from Pronto's buffers, the others from the tensors ONNX Runtime made.
 *
 * <p>Stateless and thread-safe.
 */
final class OutputReaders {

    private OutputReaders() {
    }

    /** Writes {@code count} numbers of a float, double or int64 output into {@code into} from {@code offset}. */
    static void numbers(OrtSession.Result result, PinnedOutputs pinned, String name, double[] into, int offset, int count) {
        if (pinned.copyNumbers(name, into, offset, count)) {
            return;
        }
        OnnxTensor tensor = (OnnxTensor) output(result, name);
        switch (tensor.getInfo().type) {
            case FLOAT -> {
                var buffer = tensor.getFloatBuffer();
                requireSize(buffer.remaining(), count);
                for (int i = 0; i < count; i++) {
                    into[offset + i] = buffer.get(i);
                }
            }
            case DOUBLE -> {
                var buffer = tensor.getDoubleBuffer();
                requireSize(buffer.remaining(), count);
                buffer.get(into, offset, count);
            }
            default -> {
                var buffer = tensor.getLongBuffer();
                requireSize(buffer.remaining(), count);
                for (int i = 0; i < count; i++) {
                    into[offset + i] = buffer.get(i);
                }
            }
        }
    }

    /** Writes the {@code rows} labels of an int64 or string label output into {@code into} from {@code offset}. */
    static void labels(OrtSession.Result result, PinnedOutputs pinned, String name, ElementType type, Object[] into,
            int offset, int rows) throws OrtException {
        if (type == ElementType.INT64) {
            long[] values = pinned.longs(name, rows).orElseGet(() -> {
                var buffer = ((OnnxTensor) output(result, name)).getLongBuffer();
                requireSize(buffer.remaining(), rows);
                long[] copied = new long[rows];
                buffer.get(copied);
                return copied;
            });
            for (int i = 0; i < rows; i++) {
                into[offset + i] = ElementType.label(values[i]);
            }
            return;
        }
        Object raw = ((OnnxTensor) output(result, name)).getValue();
        if (raw instanceof String[][] nested) {
            requireSize(nested.length, rows);
            for (int i = 0; i < rows; i++) {
                into[offset + i] = nested[i][0];
            }
            return;
        }
        Object[] strings = (Object[]) raw;
        requireSize(strings.length, rows);
        System.arraycopy(strings, 0, into, offset, rows);
    }

    /**
     * Writes the probabilities of ZipMap's sequence of maps, the {@code keys} in column order, into the
     * row-major matrix {@code into} from row {@code offset}; a class missing from a map reads NaN.
     */
    static void fromMaps(OrtSession.Result result, String name, List<Object> keys, double[] into, int offset, int rows)
            throws OrtException {
        List<? extends OnnxValue> maps = ((OnnxSequence) output(result, name)).getValue();
        requireSize(maps.size(), rows);
        int width = keys.size();
        for (int i = 0; i < rows; i++) {
            Map<?, ?> probabilities = ((OnnxMap) maps.get(i)).getValue();
            for (int j = 0; j < width; j++) {
                Object probability = probabilities.get(keys.get(j));
                into[(offset + i) * width + j] = probability instanceof Number number ? number.doubleValue() : Double.NaN;
            }
        }
    }

    private static OnnxValue output(OrtSession.Result result, String name) {
        return result.get(name).orElseThrow(() -> new IllegalStateException("no output " + name));
    }

    private static void requireSize(int actual, int expected) {
        if (actual != expected) {
            throw new InferenceException(ErrorCategory.INVALID_MODEL, "the model gave " + actual + " output values where"
                    + " its declared shape promises " + expected);
        }
    }
}
