package dev.pronto.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.InputFieldSchema;
import dev.pronto.inference.ModelFormat;
import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.ModelSchema;
import dev.pronto.inference.OutputFieldSchema;
import dev.pronto.inference.Prediction;

/**
 * The legacy service's Keras requests: {@code "implementation": "keras"} (any case), a scikit-learn
 * pre-processing pipeline in {@code pipelineFilename} (a transformer-only pickle, or a PMML document
 * whose output fields are transformed values) and the network in {@code requestArguments.modelFilename},
 * as an ONNX file. Each record goes through the pre-processing, whose transformed columns, in order,
 * feed the network's inputs in order (its single 2-D input, column by column).
 *
 * <p>Both files are ordinary models of the engine: each is cached and revalidated on its own, so a
 * change to either reloads that one and the next request uses the new pair.
 *
 * <p>Thread-safe and stateless.
 */
final class KerasRequests {

    static final String IMPLEMENTATION = "keras";
    private static final String FIELD = "requestArguments." + InvocationParser.MODEL_FILENAME;
    /** Keras' own formats, which a JVM cannot run: the error says how to export them. */
    private static final Set<String> KERAS_FILES = Set.of("h5", "hdf5", "keras");
    /** What the pre-processing model reports its transformed columns as. */
    private static final String TRANSFORMED = "transformedValue";
    private static final ModelFormat ONNX = ModelFormat.of("onnx");

    private final InferenceEngine engine;

    KerasRequests(InferenceEngine engine) {
        this.engine = engine;
    }

    /** Whether the request's {@code implementation} asks for the legacy Keras request. */
    static boolean isKeras(String implementation) {
        return implementation != null && implementation.trim().toLowerCase(Locale.ROOT).equals(IMPLEMENTATION);
    }

    /**
     * Scores the records with the pre-processing pipeline, then the network; may load either model.
     *
     * @param preprocessing the location of the pre-processing pipeline
     * @param network the location of the network, {@code requestArguments.modelFilename}
     * @throws ApiException 400 without a network, 422 for a network that is not an ONNX file or does
     *     not take the pre-processing's columns
     */
    List<Prediction> predict(String preprocessing, String network, List<Map<String, Object>> records) {
        requireOnnx(network);
        List<String> columns = transformedColumns(preprocessing);
        List<String> inputs = engine.model(network, ONNX).schema().inputs().stream().map(InputFieldSchema::name).toList();
        if (inputs.size() != columns.size()) {
            throw new ApiException(422, "invalid_model", "the network \"" + network + "\" takes " + inputs.size()
                    + " input columns, but the pre-processing pipeline \"" + preprocessing + "\" gives " + columns.size(),
                    FIELD, -1);
        }
        List<Prediction> transformed = engine.predict(preprocessing, records);
        List<Map<String, Object>> networkRecords = new ArrayList<>(transformed.size());
        for (Prediction prediction : transformed) {
            Map<String, Object> record = new LinkedHashMap<>();
            for (int j = 0; j < columns.size(); j++) {
                record.put(inputs.get(j), prediction.fields().get(columns.get(j)));
            }
            networkRecords.add(record);
        }
        return engine.predict(network, ONNX, networkRecords);
    }

    private List<String> transformedColumns(String preprocessing) {
        ModelSchema schema = engine.model(preprocessing).schema();
        List<String> columns = schema.outputs().stream().filter(output -> output.feature().equals(TRANSFORMED))
                .map(OutputFieldSchema::name).toList();
        if (columns.isEmpty()) {
            throw new ApiException(422, "invalid_model", "the pre-processing pipeline \"" + preprocessing + "\" gives no"
                    + " transformed columns: a keras request's pipelineFilename must hold transformers only (a"
                    + " scikit-learn Pipeline without an estimator)", HttpErrors.LOCATION_FIELD, -1);
        }
        return columns;
    }

    private static void requireOnnx(String network) {
        if (network == null || network.isBlank()) {
            throw ApiException.badField("missing_field", FIELD, "a keras request names its network in " + FIELD
                    + " (an ONNX file)");
        }
        String extension = ModelLocation.parse(network).extension();
        if (KERAS_FILES.contains(extension)) {
            throw new ApiException(422, "unsupported_model_format", FIELD + " names a Keras ." + extension + " file;"
                    + " Pronto runs networks as ONNX only: export it with tools/keras_to_onnx.py (Keras 3 loads the"
                    + " file, calls the model once and saves model.export(\"model.onnx\", format=\"onnx\")), then name"
                    + " the .onnx file", FIELD, -1);
        }
        if (!extension.equals(ONNX.name())) {
            throw new ApiException(422, "unsupported_model_format", FIELD + " must name an ONNX file (.onnx), not \""
                    + network + "\"", FIELD, -1);
        }
    }
}
