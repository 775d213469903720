package dev.pronto.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pronto.inference.InputFieldSchema;
import dev.pronto.inference.ModelSchema;
import dev.pronto.inference.ValueRange;

/**
 * An OpenAPI 3.1 description of one model's requests, generated from its schema: the record of
 * {@code /invocations} and V1 with every input field's JSON type, valid values ({@code enum}) and
 * valid range ({@code minimum}/{@code maximum} where the model declares one closed interval), and
 * the V2 input tensors with the datatype each field expects. Stateless.
 */
final class ModelOpenApi {

    private ModelOpenApi() {
    }

    static Map<String, Object> document(String name, ModelSchema schema, String serverVersion) {
        ModelTensors tensors = ModelTensors.of(schema);
        Map<String, Object> record = record(schema);
        Map<String, Object> v2Inputs = new LinkedHashMap<>();
        v2Inputs.put("type", "array");
        List<Object> tensorSchemas = new ArrayList<>();
        for (ModelTensors.Tensor input : tensors.inputs()) {
            tensorSchemas.add(object(Map.of(
                    "name", Map.of("const", input.name()),
                    "shape", Map.of("type", "array", "items", Map.of("type", "integer"), "minItems", 1, "maxItems", 2),
                    "datatype", Map.of("const", input.type().name()),
                    "data", Map.of("type", "array", "items", Map.of("type", List.of(jsonType(input.type()), "null")))),
                    List.of("name", "shape", "datatype", "data")));
        }
        v2Inputs.put("items", Map.of("oneOf", tensorSchemas));

        Map<String, Object> paths = new LinkedHashMap<>();
        paths.put("/invocations", post("Score records with " + name, object(Map.of(
                "payload", Map.of("type", "array", "items", Map.of("$ref", "#/components/schemas/Record")),
                "pipelineFilename", Map.of("const", name),
                "implementation", Map.of("type", List.of("string", "null"))),
                List.of("payload", "pipelineFilename", "implementation"))));
        paths.put("/v1/models/" + name + ":predict", post("KServe V1 prediction with " + name, object(Map.of(
                "instances", Map.of("type", "array", "items", Map.of("$ref", "#/components/schemas/Record"))),
                List.of("instances"))));
        paths.put("/v2/models/" + name + "/infer", post("Open Inference Protocol inference with " + name,
                object(Map.of("id", Map.of("type", "string"), "inputs", v2Inputs, "outputs", Map.of("type", "array",
                        "items", object(Map.of("name", Map.of("enum", tensors.outputNames())), List.of("name")))),
                        List.of("inputs"))));

        Map<String, Object> document = new LinkedHashMap<>();
        document.put("openapi", "3.1.0");
        document.put("info", Map.of("title", "Model " + name, "version", serverVersion, "description",
                "Requests for model \"" + name + "\" (" + schema.function() + "), generated from its schema when loaded."));
        document.put("paths", paths);
        document.put("components", Map.of("schemas", Map.of("Record", record)));
        return document;
    }

    /** One record: each field may be left out or null (a missing value). */
    private static Map<String, Object> record(ModelSchema schema) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (InputFieldSchema input : schema.inputs()) {
            Map<String, Object> field = new LinkedHashMap<>();
            field.put("type", List.of(jsonType(TensorType.forField(input.dataType())), "null"));
            field.put("description", input.opType() + " " + input.dataType());
            if (!input.validValues().isEmpty()) {
                List<Object> values = new ArrayList<>(input.validValues());
                values.add(null);
                field.put("enum", values);
            }
            if (input.validRanges().size() == 1) {
                ValueRange range = input.validRanges().get(0);
                if (range.lower() != null) {
                    field.put(range.lowerClosed() ? "minimum" : "exclusiveMinimum", range.lower());
                }
                if (range.upper() != null) {
                    field.put(range.upperClosed() ? "maximum" : "exclusiveMaximum", range.upper());
                }
            }
            properties.put(input.name(), field);
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("type", "object");
        record.put("properties", properties);
        return record;
    }

    private static String jsonType(TensorType type) {
        if (type.isFloat()) {
            return "number";
        }
        if (type.isInteger()) {
            return "integer";
        }
        return type == TensorType.BOOL ? "boolean" : "string";
    }

    private static Map<String, Object> object(Map<String, Object> properties, List<String> required) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("type", "object");
        object.put("properties", new LinkedHashMap<>(properties));
        object.put("required", required);
        return object;
    }

    private static Map<String, Object> post(String summary, Map<String, Object> body) {
        return Map.of("post", Map.of("summary", summary,
                "requestBody", Map.of("required", true, "content", Map.of("application/json", Map.of("schema", body))),
                "responses", Map.of("200", Map.of("description", "predictions"))));
    }
}
