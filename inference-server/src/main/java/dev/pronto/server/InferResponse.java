package dev.pronto.server;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.pronto.inference.BatchPrediction;

/**
 * Writes an Open Inference Protocol inference response straight to the body, tensor by tensor,
 * without building a tree. Every output has shape {@code [N]}, except probabilities
 * ({@code [N, C]}, class labels in {@code parameters.classes}, keeping their JSON types), which is
 * left out when no record has probabilities. A value a model leaves missing is written as
 * {@code null} (the specification's schema has no way to say "missing"; null is what the inputs
 * accept too); an output whose values do not all fit its
 * declared type is written as {@code BYTES} of their text, so the declared type never lies.
 */
final class InferResponse {

    private InferResponse() {
    }

    /**
     * @param version the model version served, or {@code null} for an unversioned name
     * @param id the request's id, or {@code null}
     * @param selected the output names the request asked for, in its order; empty for all
     * @param result the engine's answer for every record; read by column (see {@link Answers})
     */
    static void write(OutputStream body, ObjectMapper json, String modelName, String version, String id,
            ModelTensors model, List<String> selected, BatchPrediction result) throws IOException {
        Answers answers = Answers.of(result, model);
        try (JsonGenerator out = json.createGenerator(body)) {
            out.writeStartObject();
            out.writeStringField("model_name", modelName);
            if (version != null) {
                out.writeStringField("model_version", version);
            }
            if (id != null) {
                out.writeStringField("id", id);
            }
            out.writeArrayFieldStart("outputs");
            for (ModelTensors.Tensor tensor : model.outputs()) {
                boolean absent = tensor.source() == ModelTensors.Source.PROBABILITIES && !answers.hasProbabilities();
                if (!absent && (selected.isEmpty() || selected.contains(tensor.name()))) {
                    writeTensor(out, tensor, answers);
                }
            }
            out.writeEndArray();
            out.writeEndObject();
        }
    }

    private static void writeTensor(JsonGenerator out, ModelTensors.Tensor tensor, Answers answers)
            throws IOException {
        int n = answers.size();
        out.writeStartObject();
        out.writeStringField("name", tensor.name());
        if (tensor.source() == ModelTensors.Source.PROBABILITIES) {
            int classes = tensor.classes().size();
            out.writeStringField("datatype", TensorType.FP64.name());
            out.writeArrayFieldStart("shape");
            out.writeNumber(n);
            out.writeNumber(classes);
            out.writeEndArray();
            out.writeObjectFieldStart("parameters");
            out.writeFieldName("classes");
            out.writeObject(tensor.classes());
            out.writeEndObject();
            out.writeArrayFieldStart("data");
            for (int row = 0; row < n; row++) {
                for (int c = 0; c < classes; c++) {
                    Double p = answers.probability(row, c);
                    if (p == null) {
                        out.writeNull();
                    } else {
                        out.writeNumber(p);
                    }
                }
            }
            out.writeEndArray();
            out.writeEndObject();
            return;
        }
        Object[] values = new Object[n];
        boolean fits = true;
        for (int row = 0; row < n; row++) {
            Object value = tensor.source() == ModelTensors.Source.VALUE ? answers.value(row)
                    : answers.field(row, tensor.name());
            fits &= tensor.type().fits(value);
            values[row] = value;
        }
        TensorType type = fits ? tensor.type() : TensorType.BYTES;
        out.writeStringField("datatype", type.name());
        out.writeArrayFieldStart("shape");
        out.writeNumber(n);
        out.writeEndArray();
        out.writeArrayFieldStart("data");
        for (Object value : values) {
            writeValue(out, type, value);
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    private static void writeValue(JsonGenerator out, TensorType type, Object value) throws IOException {
        if (value == null) {
            out.writeNull();
        } else if (type == TensorType.BYTES) {
            out.writeString(value.toString());
        } else if (type.isFloat()) {
            out.writeNumber(((Number) value).doubleValue());
        } else if (type == TensorType.BOOL) {
            out.writeBoolean((Boolean) value);
        } else {
            out.writeNumber(((Number) value).longValue());
        }
    }

    /**
     * The engine's answer as the tensors read it, by record. A columnar result (ONNX) is read from its
     * arrays, and makes its per-record predictions only if an output field's tensor is written; a
     * result backed by the record path's predictions (PMML, pickles) is read from them, as before
     * columns: the probability tensor is there when any record has probabilities, and a class a record
     * has no probability for is a {@code null} (such a result's matrix would read NaN, and take its
     * classes from the first record alone).
     */
    private static final class Answers {
        private final BatchPrediction result;
        private final List<Object> classes;
        /** For a columnar result: the matrix column of each of the tensor's classes, -1 where it has none. */
        private final int[] columns;
        private final boolean probabilities;

        private Answers(BatchPrediction result, List<Object> classes, int[] columns, boolean probabilities) {
            this.result = result;
            this.classes = classes;
            this.columns = columns;
            this.probabilities = probabilities;
        }

        static Answers of(BatchPrediction result, ModelTensors model) {
            List<Object> classes = model.outputs().stream().filter(t -> t.source() == ModelTensors.Source.PROBABILITIES)
                    .findFirst().map(ModelTensors.Tensor::classes).orElse(List.of());
            if (!result.isColumnar()) {
                boolean any = result.predictions().stream().anyMatch(p -> !p.probabilities().isEmpty());
                return new Answers(result, classes, null, any);
            }
            // a columnar result gives every record a row of its matrix: probabilities for all or for none
            int[] columns = new int[classes.size()];
            for (int c = 0; c < columns.length; c++) {
                columns[c] = result.classes().indexOf(classes.get(c));
            }
            return new Answers(result, classes, columns, result.size() > 0 && !result.classes().isEmpty());
        }

        int size() {
            return result.size();
        }

        Object value(int row) {
            return result.value(row);
        }

        /** Whether the probability tensor is written. */
        boolean hasProbabilities() {
            return probabilities;
        }

        /** The probability of the tensor's class {@code c} for a record; {@code null} if it has none. */
        Double probability(int row, int c) {
            if (columns == null) {
                return result.predictions().get(row).probabilities().get(classes.get(c));
            }
            return columns[c] < 0 ? null : result.probability(row, columns[c]);
        }

        Object field(int row, String name) {
            return result.predictions().get(row).fields().get(name);
        }
    }
}
