package dev.pronto.pipeline.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;

import dev.pronto.inference.BatchPrediction;
import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelSchema;
import dev.pronto.inference.OutputFieldSchema;
import dev.pronto.inference.Prediction;
import dev.pronto.inference.TargetFieldSchema;

/**
 * How a model's outputs become predictions, under one of three output conventions: a label output
 * plus a probability output (scikit-learn-onnx style, a {@code [N,C]} tensor or ZipMap's sequence of
 * maps); one {@code [N,C]} probability output whose classes the metadata property
 * {@code pronto.classes} names, the label being the most probable class; or one {@code [N]} or
 * {@code [N,1]} output, a regression value.
 *
 * <p>Immutable and thread-safe.
 */
final class OutputDecoding {

    static final String CLASSES = "pronto.classes";

    private enum Kind { LABEL_AND_PROBABILITIES, ARG_MAX, REGRESSION }

    private final Kind kind;
    private final String valueOutput;
    private final String probabilityOutput;
    private final boolean zipMap;
    /** The class labels as the API gives them ({@link Integer} or {@link String}), in column order. */
    private final List<Object> classes;
    /** The same labels as ONNX Runtime gives ZipMap keys ({@link Long} or {@link String}). */
    private final List<Object> keys;
    private final List<String> fieldNames;
    /** The column of each {@code probability(<label>)} field. */
    private final Map<String, Integer> probabilityColumns;
    private final ElementType labelType;
    private final Set<String> requested;
    /** The requested outputs whose buffers Pronto can supply, and those ONNX Runtime must make itself. */
    private final List<PinnedOutputs.Spec> pinnable;
    private final Set<String> madeByRuntime;

    private OutputDecoding(Kind kind, String valueOutput, String probabilityOutput, boolean zipMap, List<Object> keys,
            ElementType labelType, Map<String, NodeInfo> outputs) {
        this.kind = kind;
        this.valueOutput = valueOutput;
        this.probabilityOutput = probabilityOutput;
        this.zipMap = zipMap;
        this.keys = List.copyOf(keys);
        // List.copyOf, not Stream.toList: predictions share this list, and List.copyOf copies a toList() list each time
        this.classes = List.copyOf(keys.stream().map(key -> key instanceof Long number ? ElementType.label(number) : key)
                .toList());
        this.labelType = labelType;
        Set<String> computed = new LinkedHashSet<>();
        computed.add(valueOutput);
        if (probabilityOutput != null) {
            computed.add(probabilityOutput);
        }
        this.requested = java.util.Collections.unmodifiableSet(computed);
        List<PinnedOutputs.Spec> pins = new ArrayList<>();
        for (String name : requested) {
            PinnedOutputs.Spec.of(outputs.get(name), classes.size()).ifPresent(pins::add);
        }
        this.pinnable = List.copyOf(pins);
        Set<String> byRuntime = new LinkedHashSet<>(requested);
        pins.forEach(pin -> byRuntime.remove(pin.name()));
        this.madeByRuntime = java.util.Collections.unmodifiableSet(byRuntime);
        List<String> names = new ArrayList<>();
        names.add(valueOutput);
        Map<String, Integer> columns = new java.util.HashMap<>();
        for (Object label : classes) {
            columns.put("probability(" + label + ")", names.size() - 1);
            names.add("probability(" + label + ")");
        }
        this.fieldNames = List.copyOf(names);
        this.probabilityColumns = Map.copyOf(columns);
    }

    /**
     * Reads the convention from the model's outputs and metadata.
     *
     * @throws InferenceException {@code INVALID_MODEL} saying which convention the outputs miss
     */
    static OutputDecoding of(Map<String, NodeInfo> outputs, Map<String, String> metadata, OnnxGraphFacts facts) {
        List<NodeInfo> nodes = List.copyOf(outputs.values());
        if (nodes.size() == 3) {
            // a graph that gives the probability tensor beside the ZipMap made of it: the tensor alone is
            // read (ZipMap's per-record maps cost more than the network here), the ZipMap never computed
            NodeInfo label = nodes.stream().filter(OutputDecoding::isLabel).findFirst().orElse(null);
            NodeInfo tensor = nodes.stream().filter(OutputDecoding::isProbabilityTensor).findFirst().orElse(null);
            if (label != null && tensor != null && nodes.stream().anyMatch(OutputDecoding::isZipMap)) {
                nodes = List.of(label, tensor);
            }
        }
        if (nodes.size() == 2) {
            NodeInfo label = isLabel(nodes.get(0)) ? nodes.get(0) : isLabel(nodes.get(1)) ? nodes.get(1) : null;
            NodeInfo probabilities = label == nodes.get(0) ? nodes.get(1) : nodes.get(0);
            if (label != null && (isProbabilityTensor(probabilities) || isZipMap(probabilities))) {
                ElementType type = ElementType.of(((TensorInfo) label.getInfo()).type).orElseThrow();
                List<Object> keys = classes(metadata, facts, type);
                if (keys.isEmpty()) {
                    throw refused("its label output \"" + label.getName() + "\" has no classes: set the metadata property "
                            + CLASSES + " to the labels in the column order of \"" + probabilities.getName() + "\"");
                }
                requireColumns(probabilities, keys.size());
                return new OutputDecoding(Kind.LABEL_AND_PROBABILITIES, label.getName(), probabilities.getName(),
                        isZipMap(probabilities), keys, type, outputs);
            }
        } else if (nodes.size() == 1 && nodes.get(0).getInfo() instanceof TensorInfo info && isNumeric(info)) {
            long[] shape = info.getShape();
            boolean column = shape.length == 1 || (shape.length == 2 && shape[1] == 1);
            if (column && !metadata.containsKey(CLASSES)) {
                return new OutputDecoding(Kind.REGRESSION, nodes.get(0).getName(), null, false, List.of(), ElementType.DOUBLE,
                        outputs);
            }
            if (shape.length == 2) {
                List<Object> keys = classes(metadata, facts, null);
                if (keys.isEmpty()) {
                    throw refused("its output \"" + nodes.get(0).getName() + "\" has shape " + Arrays.toString(shape)
                            + ": for class probabilities set the metadata property " + CLASSES + " to the labels in"
                            + " column order; a regression output must be [N] or [N,1]");
                }
                requireColumns(nodes.get(0), keys.size());
                return new OutputDecoding(Kind.ARG_MAX, nodes.get(0).getName(), nodes.get(0).getName(), false, keys,
                        keys.get(0) instanceof String ? ElementType.STRING : ElementType.INT64, outputs);
            }
        }
        throw refused("its outputs " + outputs.keySet() + " fit none of the conventions: a label and a probability"
                + " output (a tensor, a ZipMap, or both), one [N,C] probability output with " + CLASSES + ", or one"
                + " [N] or [N,1] regression output");
    }

    /**
     * The outputs a run must compute that ONNX Runtime makes itself: those not {@link #pin pinned},
     * or all when {@code pinning} is off. The others (a ZipMap beside its tensor) are not computed.
     */
    Set<String> madeByRuntime(boolean pinning) {
        return pinning ? madeByRuntime : requested;
    }

    /** Whether some output can be written into buffers of ours. */
    boolean pinnable() {
        return !pinnable.isEmpty();
    }

    /** Buffers for the outputs of runs of {@code rows} records that need not be made by the runtime. */
    PinnedOutputs pin(OrtEnvironment env, int rows) throws OrtException {
        return PinnedOutputs.of(env, pinnable, rows);
    }

    /** What the model predicts, for its schema. */
    ModelSchema schema(InputBinding inputs) {
        if (kind == Kind.REGRESSION) {
            return new ModelSchema("regression", inputs.schema(),
                    List.of(new TargetFieldSchema(valueOutput, "double", "continuous", List.of())), List.of());
        }
        List<OutputFieldSchema> outputs = new ArrayList<>();
        for (String name : fieldNames.subList(1, fieldNames.size())) {
            outputs.add(new OutputFieldSchema(name, "double", "continuous", "probability"));
        }
        return new ModelSchema("classification", inputs.schema(),
                List.of(new TargetFieldSchema(valueOutput, labelType.dataType, "categorical", classes)), outputs);
    }

    /**
     * A batch's decoded outputs, by column.
     *
     * @param labels each record's label; {@code null} for a regression
     * @param numbers a regression's values, one per record; or a classifier's probabilities, a row-major
     *     matrix with one column per class
     */
    record Decoded(Object[] labels, double[] numbers) {
    }

    /** Empty arrays for the outputs of {@code rows} records. */
    Decoded decoded(int rows) {
        return kind == Kind.REGRESSION ? new Decoded(null, new double[rows])
                : new Decoded(new Object[rows], new double[rows * classes.size()]);
    }

    /** Reads one run's outputs for {@code rows} records into {@code into}, from record {@code offset} on. */
    void decode(OrtSession.Result result, PinnedOutputs pinned, int rows, Decoded into, int offset) throws OrtException {
        if (kind == Kind.REGRESSION) {
            OutputReaders.numbers(result, pinned, valueOutput, into.numbers(), offset, rows);
            return;
        }
        int count = classes.size();
        double[] probabilities = into.numbers();
        if (zipMap) {
            OutputReaders.fromMaps(result, probabilityOutput, keys, probabilities, offset, rows);
        } else {
            OutputReaders.numbers(result, pinned, probabilityOutput, probabilities, offset * count, rows * count);
        }
        if (kind == Kind.LABEL_AND_PROBABILITIES) {
            OutputReaders.labels(result, pinned, valueOutput, labelType, into.labels(), offset, rows);
            return;
        }
        for (int i = offset; i < offset + rows; i++) {
            into.labels()[i] = classes.get(argMax(probabilities, i * count, count));
        }
    }

    /**
     * Turns one run's outputs for {@code rows} records into predictions, appended to {@code into}:
     * each prediction views its row of the batch's probability matrix instead of copying it.
     */
    void decode(OrtSession.Result result, PinnedOutputs pinned, int rows, List<Prediction> into) throws OrtException {
        Decoded decoded = decoded(rows);
        decode(result, pinned, rows, decoded, 0);
        for (int i = 0; i < rows; i++) {
            into.add(prediction(decoded, i));
        }
    }

    /** The batch result over decoded outputs: no object per record until its predictions are asked for. */
    BatchPrediction result(Decoded decoded, int rows) {
        BatchPrediction.Builder result = BatchPrediction.builder(rows).predictions(row -> prediction(decoded, row));
        if (kind == Kind.REGRESSION) {
            return result.values(decoded.numbers()).build();
        }
        return result.values(decoded.labels()).probabilities(classes, decoded.numbers()).build();
    }

    /** Record {@code row}'s prediction, viewing its row of the probability matrix instead of copying it. */
    private Prediction prediction(Decoded decoded, int row) {
        if (kind == Kind.REGRESSION) {
            Double value = decoded.numbers()[row];
            return Prediction.builder(0, 1).value(value).field(valueOutput, value).build();
        }
        Object label = decoded.labels()[row];
        // the fields are derived when read, so a record costs no boxing for fields nobody asks for
        return Prediction.builder(0, 0).value(label).probabilities(classes, decoded.numbers(), row)
                .fields(fieldNames, new RowFields(this, label, decoded.numbers(), row * classes.size())).build();
    }

    /**
     * One record's fields, derived from its label and its row of the probability matrix. A class, not
     * a capturing lambda: that one was allocated through a method handle's slow path (profiled).
     */
    private record RowFields(OutputDecoding decoding, Object label, double[] probabilities, int offset)
            implements Function<String, Object> {
        @Override
        public Object apply(String name) {
            Integer column = decoding.probabilityColumns.get(name);
            return column != null ? (Object) probabilities[offset + column]
                    : name.equals(decoding.valueOutput) ? label : null;
        }
    }

    private static int argMax(double[] values, int offset, int count) {
        int best = 0;
        for (int j = 1; j < count; j++) {
            if (values[offset + j] > values[offset + best]) {
                best = j;
            }
        }
        return best;
    }

    /** The classes from {@code pronto.classes}, else from the graph, as ZipMap keys; of the label's type if known. */
    private static List<Object> classes(Map<String, String> metadata, OnnxGraphFacts facts, ElementType labelType) {
        String declared = metadata.get(CLASSES);
        if (declared == null) {
            List<Object> graph = facts.classes();
            boolean fits = labelType == null || graph.stream().allMatch(label -> labelType == ElementType.INT64
                    ? label instanceof Long : label instanceof String);
            return fits ? graph : List.of();
        }
        List<String> names = Arrays.stream(declared.split(",", -1)).map(String::trim).toList();
        if (names.stream().anyMatch(String::isEmpty) || names.stream().distinct().count() != names.size()) {
            throw refused("its metadata property " + CLASSES + " must list distinct labels, comma-separated");
        }
        boolean integers = names.stream().allMatch(name -> name.matches("-?\\d{1,18}"));
        if (labelType == ElementType.INT64 && !integers) {
            throw refused("its label output holds integers, but " + CLASSES + " lists labels that are not");
        }
        return integers && labelType != ElementType.STRING
                ? names.stream().<Object>map(Long::valueOf).toList() : List.copyOf(names);
    }

    private static void requireColumns(NodeInfo probabilities, int classCount) {
        if (probabilities.getInfo() instanceof TensorInfo info && info.getShape()[1] > 0
                && info.getShape()[1] != classCount) {
            throw refused("its output \"" + probabilities.getName() + "\" has " + info.getShape()[1]
                    + " columns for " + classCount + " classes");
        }
    }

    private static boolean isLabel(NodeInfo node) {
        return node.getInfo() instanceof TensorInfo info
                && (info.type == ai.onnxruntime.OnnxJavaType.INT64 || info.type == ai.onnxruntime.OnnxJavaType.STRING)
                && (info.getShape().length == 1 || (info.getShape().length == 2 && info.getShape()[1] == 1));
    }

    private static boolean isProbabilityTensor(NodeInfo node) {
        return node.getInfo() instanceof TensorInfo info && isNumeric(info) && info.getShape().length == 2;
    }

    private static boolean isNumeric(TensorInfo info) {
        return info.type == ai.onnxruntime.OnnxJavaType.FLOAT || info.type == ai.onnxruntime.OnnxJavaType.DOUBLE;
    }

    private static boolean isZipMap(NodeInfo node) {
        return node.getInfo() instanceof SequenceInfo info && info.isSequenceOfMaps();
    }

    private static InferenceException refused(String reason) {
        return new InferenceException(ErrorCategory.INVALID_MODEL, reason + " (see the ONNX conventions in docs/onnx.md)");
    }
}
