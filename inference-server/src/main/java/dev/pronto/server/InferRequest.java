package dev.pronto.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pronto.inference.Column;
import dev.pronto.inference.Columns;

/**
 * An Open Inference Protocol inference request, its tensors decoded into the engine's columns.
 *
 * <p>Each input tensor holds one field for all records: shape {@code [N]} or {@code [N, 1]}, data
 * flat or nested in row-major order, {@code null} for a missing value. A single tensor of shape
 * {@code [N, F]} whose name is not a field name holds whole records, columns in the model's input
 * order (how scikit-learn clients send a matrix). Fields the request leaves out are missing values.
 * The data go straight into typed columns ({@link TensorColumns}), with no map per record: the
 * engine scores them through its columnar path, natively where the model's runtime takes tensors
 * (ONNX), through its record views otherwise (PMML, pickles), which give the values a record held.
 *
 * @param id the request id, echoed in the response; {@code null} if not given
 * @param columns one column per input tensor's field, in request order; at least one record
 * @param outputs the requested output names in request order; empty for all
 */
record InferRequest(String id, Columns columns, List<String> outputs) {

    private static final List<String> FIELDS = List.of("id", "parameters", "inputs", "outputs");

    /**
     * Reads a request body for a model.
     *
     * @throws ApiException 400 naming the tensor and element for a malformed request, 413 over the record limit
     */
    static InferRequest parse(JsonNode body, ModelTensors model, int maxRecords) {
        InvocationParser.requireFields(body, FIELDS, "inputs");
        JsonNode id = body.path("id");
        if (!id.isMissingNode() && !id.isTextual()) {
            throw invalid("\"id\" must be a string");
        }
        rejectBinary(body.path("parameters"), "binary_data_output", "the request's parameters");
        JsonNode inputs = body.path("inputs");
        if (!inputs.isArray() || inputs.isEmpty()) {
            throw invalid("\"inputs\" must be a non-empty array of tensors");
        }
        Columns columns = columns(inputs, model, maxRecords);
        return new InferRequest(id.isTextual() ? id.textValue() : null, columns, outputs(body.path("outputs"), model));
    }

    private static Columns columns(JsonNode inputs, ModelTensors model, int maxRecords) {
        Map<String, TensorType> fields = new HashMap<>();
        model.inputs().forEach(t -> fields.put(t.name(), t.type()));
        JsonNode first = inputs.get(0);
        if (inputs.size() == 1 && first.isObject() && !fields.containsKey(first.path("name").asText())
                && first.path("shape").size() == 2 && first.path("shape").path(1).asInt() == model.inputs().size()
                && model.inputs().size() > 1) {
            return matrix(first, model, maxRecords);
        }
        List<Column> columns = new ArrayList<>(inputs.size());
        Set<String> seen = new HashSet<>();
        int rows = -1;
        for (JsonNode input : inputs) {
            String name = text(input, "name");
            if (!fields.containsKey(name)) {
                throw invalid("input \"" + name + "\" is not an input of the model; its inputs are "
                        + model.inputs().stream().map(ModelTensors.Tensor::name).toList());
            }
            if (!seen.add(name)) {
                throw invalid("input \"" + name + "\" is given twice");
            }
            int[] shape = shape(input, name);
            if (shape.length > 2 || (shape.length == 2 && shape[1] != 1)) {
                throw invalid("input \"" + name + "\": shape " + java.util.Arrays.toString(shape)
                        + " holds more than one value per record; a field's tensor has shape [N] or [N, 1]");
            }
            Column column = data(input, name, shape[0], maxRecords, List.of(name)).get(0);
            if (rows < 0) {
                rows = column.size();
            } else if (rows != column.size()) {
                throw invalid("input \"" + name + "\" has " + column.size() + " rows, the inputs before it "
                        + rows + "; every input needs one value per record");
            }
            columns.add(column);
        }
        return Columns.of(rows, columns);
    }

    /** One {@code [N, F]} tensor of whole records: its columns are the model's inputs, in order. */
    private static Columns matrix(JsonNode input, ModelTensors model, int maxRecords) {
        String name = text(input, "name");
        int[] shape = shape(input, name);
        int width = shape[1];
        List<String> names = model.inputs().stream().map(ModelTensors.Tensor::name).toList();
        return Columns.of(shape[0], data(input, name, (long) shape[0] * width, (long) maxRecords * width, names));
    }

    /**
     * The tensor's data as columns, checked against the shape's element count and decoded by the datatype.
     *
     * @param names the columns' names: the tensor's field, or the model's inputs for a matrix
     */
    private static List<Column> data(JsonNode input, String name, long count, long max, List<String> names) {
        TensorType type = TensorType.parse(text(input, "datatype"), name);
        rejectBinary(input.path("parameters"), "binary_data_size", "input \"" + name + "\"");
        JsonNode data = input.path("data");
        if (!data.isArray()) {
            throw invalid("input \"" + name + "\": \"data\" must be an array");
        }
        if (count > max) {
            throw new ApiException(413, "too_many_records", "input \"" + name + "\" holds " + count
                    + " values; the server scores at most " + max + " per request");
        }
        List<Column> columns = TensorColumns.decode(data, type, name, (int) count, names);
        if (count == 0) {
            throw invalid("input \"" + name + "\" holds no records");
        }
        return columns;
    }

    private static int[] shape(JsonNode input, String name) {
        JsonNode shape = input.path("shape");
        if (!shape.isArray() || shape.isEmpty()) {
            throw invalid("input \"" + name + "\": \"shape\" must be a non-empty array of sizes");
        }
        int[] sizes = new int[shape.size()];
        for (int i = 0; i < sizes.length; i++) {
            JsonNode size = shape.get(i);
            if (!size.canConvertToInt() || !size.isIntegralNumber() || size.intValue() < 0) {
                throw invalid("input \"" + name + "\": shape " + shape + " must hold sizes of zero or more");
            }
            sizes[i] = size.intValue();
        }
        return sizes;
    }

    private static List<String> outputs(JsonNode outputs, ModelTensors model) {
        if (outputs.isMissingNode() || outputs.isNull()) {
            return List.of();
        }
        if (!outputs.isArray()) {
            throw invalid("\"outputs\" must be an array of {\"name\": ...} objects");
        }
        List<String> available = model.outputNames();
        List<String> names = new ArrayList<>();
        for (JsonNode output : outputs) {
            String name = text(output, "name");
            if (!available.contains(name)) {
                throw invalid("output \"" + name + "\" is not an output of the model; its outputs are " + available);
            }
            rejectBinary(output.path("parameters"), "binary_data", "output \"" + name + "\"");
            if (output.path("parameters").has("classification")) {
                throw invalid("output \"" + name + "\": the classification extension is not supported; the "
                        + "\"" + ModelTensors.PROBABILITIES + "\" output gives every class's probability");
            }
            names.add(name);
        }
        return names;
    }

    /** The binary tensor extension is not implemented: JSON only. */
    private static void rejectBinary(JsonNode parameters, String key, String where) {
        if (!parameters.isMissingNode() && !parameters.isNull() && !parameters.isObject()) {
            throw invalid(where + ": \"parameters\" must be an object");
        }
        JsonNode value = parameters.path(key);
        // binary_data(_output): false is what JSON-only clients may send explicitly; a size means binary data follows
        boolean off = value.isMissingNode() || (value.isBoolean() && !value.booleanValue() && !key.endsWith("_size"));
        if (!off) {
            throw invalid(where + ": binary tensor data (\"" + key + "\") is not supported; send tensors as JSON");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isTextual()) {
            throw invalid((node.isObject() ? "a tensor" : "every tensor") + " needs a string \"" + field + "\""
                    + (node.path("name").isTextual() && !field.equals("name") ? " (tensor \"" + node.path("name").textValue()
                    + "\")" : ""));
        }
        return value.textValue();
    }

    private static ApiException invalid(String message) {
        return new ApiException(400, "invalid_request", message);
    }
}
