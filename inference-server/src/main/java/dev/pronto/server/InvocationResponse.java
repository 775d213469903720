package dev.pronto.server;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.pronto.inference.Prediction;

/**
 * Writes the seed's answer: {@code predictions}, then {@code predictions_prob} and {@code classes}
 * exactly when the model yields class probabilities, then {@code responseArguments} with
 * {@code leaf_number} and {@code fields} (every named result field per record) when the request
 * asked for them. Streams with Jackson; values keep their Java types, so integer
 * classes stay JSON integers.
 *
 * <p>The classes are the keys of the predictions' probability maps, which the engine keeps in the
 * model's declared class order ({@link dev.pronto.inference.ModelSchema#classes()}); taking them
 * from the same predictions means a model swapped between two calls cannot mismatch them.
 */
final class InvocationResponse {

    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]{1,9}");
    /** The common answer, without responseArguments, written as bytes; the generator below for the rest. */
    private static final AnswerBytes BYTES = new AnswerBytes();

    private InvocationResponse() {
    }

    /**
     * Checks that every prediction has leaf ids before anything is written.
     *
     * @throws ApiException 400 if the model reports no entity ids
     */
    static void requireLeafNumbers(List<Prediction> predictions, String location) {
        for (int i = 0; i < predictions.size(); i++) {
            if (predictions.get(i).entityIds().isEmpty()) {
                throw new ApiException(400, "leaf_numbers_unavailable", "requestArguments.isLeafNumber: model \""
                        + location + "\" reports no leaf (tree node) ids" + (i == 0 ? "" : " for record " + i),
                        "requestArguments.isLeafNumber", i == 0 ? -1 : i);
            }
        }
    }

    static void write(OutputStream body, ObjectMapper json, List<Prediction> predictions, boolean leafNumbers,
            boolean outputFields) throws IOException {
        if (leafNumbers || outputFields || !BYTES.write(predictions, body)) {
            generate(body, json, predictions, leafNumbers, outputFields);
        }
    }

    /** Writes any answer with Jackson's generator; {@link AnswerBytes} gives the same bytes for the answers it writes. */
    static void generate(OutputStream body, ObjectMapper json, List<Prediction> predictions, boolean leafNumbers,
            boolean outputFields) throws IOException {
        try (JsonGenerator out = json.createGenerator(body)) {
            out.writeStartObject();
            out.writeArrayFieldStart("predictions");
            for (Prediction prediction : predictions) {
                writeValue(out, prediction.value());
            }
            out.writeEndArray();
            List<Object> classes = classes(predictions);
            if (!classes.isEmpty()) {
                out.writeArrayFieldStart("predictions_prob");
                for (Prediction prediction : predictions) {
                    writeProbabilities(out, prediction.probabilities(), classes);
                }
                out.writeEndArray();
                out.writeArrayFieldStart("classes");
                for (Object label : classes) {
                    writeValue(out, label);
                }
                out.writeEndArray();
            }
            if (leafNumbers || outputFields) {
                out.writeObjectFieldStart("responseArguments");
                if (leafNumbers) {
                    out.writeArrayFieldStart("leaf_number");
                    for (Prediction prediction : predictions) {
                        writeLeaves(out, prediction.entityIds());
                    }
                    out.writeEndArray();
                }
                if (outputFields) {
                    out.writeArrayFieldStart("fields");
                    for (Prediction prediction : predictions) {
                        out.writeObject(prediction.fields());
                    }
                    out.writeEndArray();
                }
                out.writeEndObject();
            }
            out.writeEndObject();
        }
    }

    /** The common label and value types directly; anything else through the mapper, as before. */
    private static void writeValue(JsonGenerator out, Object value) throws IOException {
        if (value instanceof Integer number) {
            out.writeNumber(number);
        } else if (value instanceof String text) {
            out.writeString(text);
        } else if (value instanceof Double number) {
            out.writeNumber(number);
        } else {
            out.writeObject(value);
        }
    }

    private static List<Object> classes(List<Prediction> predictions) {
        for (Prediction prediction : predictions) {
            if (!prediction.probabilities().isEmpty()) {
                return List.copyOf(prediction.probabilities().keySet());
            }
        }
        return List.of();
    }

    private static void writeProbabilities(JsonGenerator out, Map<Object, Double> probabilities, List<Object> classes)
            throws IOException {
        if (probabilities.isEmpty()) {
            // a record the model could not classify (e.g. all inputs missing): no distribution to report
            out.writeNull();
            return;
        }
        out.writeStartArray();
        for (Object label : classes) {
            Double p = probabilities.get(label);
            if (p == null) {
                out.writeNull();
            } else {
                out.writeNumber(p);
            }
        }
        out.writeEndArray();
    }

    /**
     * One tree's leaf as a number when its id is one, as scikit-learn's {@code apply} gives it; an
     * ensemble's leaves, one per tree in segment order, as an array.
     */
    private static void writeLeaves(JsonGenerator out, List<String> ids) throws IOException {
        if (ids.size() == 1) {
            writeLeaf(out, ids.get(0));
            return;
        }
        out.writeStartArray();
        for (String id : ids) {
            writeLeaf(out, id);
        }
        out.writeEndArray();
    }

    private static void writeLeaf(JsonGenerator out, String id) throws IOException {
        if (WHOLE_NUMBER.matcher(id).matches()) {
            out.writeNumber(Integer.parseInt(id));
        } else {
            out.writeString(id);
        }
    }
}
