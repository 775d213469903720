package dev.pronto.server;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.pronto.inference.Prediction;

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
     */
    static void write(OutputStream body, ObjectMapper json, String modelName, String version, String id,
            ModelTensors model, List<String> selected, List<Prediction> predictions) throws IOException {
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
            boolean probabilities = predictions.stream().anyMatch(p -> !p.probabilities().isEmpty());
            for (ModelTensors.Tensor tensor : model.outputs()) {
                boolean absent = tensor.source() == ModelTensors.Source.PROBABILITIES && !probabilities;
                if (!absent && (selected.isEmpty() || selected.contains(tensor.name()))) {
                    writeTensor(out, tensor, predictions);
                }
            }
            out.writeEndArray();
            out.writeEndObject();
        }
    }

    private static void writeTensor(JsonGenerator out, ModelTensors.Tensor tensor, List<Prediction> predictions)
            throws IOException {
        int n = predictions.size();
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
            for (Prediction prediction : predictions) {
                for (Object label : tensor.classes()) {
                    Double p = prediction.probabilities().get(label);
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
        List<Object> values = new ArrayList<>(n);
        boolean fits = true;
        for (Prediction prediction : predictions) {
            Object value = tensor.source() == ModelTensors.Source.VALUE ? prediction.value()
                    : prediction.fields().get(tensor.name());
            fits &= tensor.type().fits(value);
            values.add(value);
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
}
