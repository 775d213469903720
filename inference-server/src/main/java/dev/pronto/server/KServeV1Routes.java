package dev.pronto.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.InputFieldSchema;
import dev.pronto.inference.ModelSchema;
import dev.pronto.inference.Prediction;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * KServe's V1 protocol: {@code GET /v1/models}, {@code GET /v1/models/{name}} and
 * {@code POST /v1/models/{name}:predict} with {@code {"instances": [...]}}, each instance a record
 * as an object, or as an array of values in the model's input order. The answer is
 * {@code {"predictions": [...]}}, one predicted value per instance; with
 * {@code "parameters": {"output_fields": true}} also {@code "outputs"}, every target and output
 * field per instance (class probabilities among them). Errors are {@code {"error": "..."}}.
 */
final class KServeV1Routes {

    private static final String PREDICT = ":predict";
    private static final List<String> FIELDS = List.of("instances", "parameters");

    private final InferenceEngine engine;
    private final ModelRepository repository;
    private final ScoringExecutor scoring;
    private final InvocationParser parser;
    private final int maxRecords;

    KServeV1Routes(InferenceEngine engine, ModelRepository repository, ScoringExecutor scoring, InvocationParser parser,
            int maxRecords) {
        this.engine = engine;
        this.repository = repository;
        this.scoring = scoring;
        this.parser = parser;
        this.maxRecords = maxRecords;
    }

    void register(RoutesConfig routes) {
        routes.get("/v1/models", ctx -> ServerApp.writeJson(ctx, Map.of("models", repository.names().names())));
        routes.get("/v1/models/{name}", this::model);
        // "{name}:predict" is one path segment; Javalin has no suffix syntax for it, so the handler splits it
        routes.post("/v1/models/{name}", this::predict);
    }

    private void model(Context ctx) throws IOException {
        String name = ctx.pathParam("name");
        ModelNames.Entry entry = repository.resolve(name, null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("ready", repository.isLoaded(entry));
        ServerApp.writeJson(ctx, body);
    }

    private void predict(Context ctx) throws IOException {
        String segment = ctx.pathParam("name");
        if (!segment.endsWith(PREDICT)) {
            throw new ApiException(404, "not_found", "no endpoint POST " + ctx.path() + "; V1 predicts at POST /v1/models/"
                    + "{name}:predict");
        }
        ServerApp.requireJson(ctx);
        ModelNames.Entry entry = repository.resolve(segment.substring(0, segment.length() - PREDICT.length()), null);
        JsonNode body = parser.parseTree(ctx.bodyInputStream(), ctx.req().getContentLengthLong());
        boolean outputFields = checkRequest(body);
        List<Map<String, Object>> records = records(body.get("instances"), repository.info(entry).schema());
        List<Prediction> predictions = scoring.predict(engine, entry.location(), records);
        ctx.status(200).contentType("application/json");
        try (JsonGenerator out = ServerApp.MAPPER.createGenerator(ctx.outputStream())) {
            out.writeStartObject();
            out.writeArrayFieldStart("predictions");
            for (Prediction prediction : predictions) {
                out.writeObject(prediction.value());
            }
            out.writeEndArray();
            if (outputFields) {
                out.writeArrayFieldStart("outputs");
                for (Prediction prediction : predictions) {
                    out.writeObject(prediction.fields());
                }
                out.writeEndArray();
            }
            out.writeEndObject();
        }
    }

    /** Checks the request's fields; returns whether it asks for the output fields. */
    private boolean checkRequest(JsonNode body) {
        InvocationParser.requireFields(body, FIELDS, "instances");
        JsonNode instances = body.path("instances");
        if (!instances.isArray() || instances.isEmpty()) {
            throw invalid("\"instances\" must be a non-empty array of records");
        }
        if (instances.size() > maxRecords) {
            throw new ApiException(413, "too_many_records", "the request holds " + instances.size()
                    + " instances; the server scores at most " + maxRecords + " per request");
        }
        JsonNode parameters = body.path("parameters");
        if (!parameters.isMissingNode() && !parameters.isObject()) {
            throw invalid("\"parameters\" must be an object");
        }
        return parameters.path("output_fields").asBoolean(false);
    }

    private static List<Map<String, Object>> records(JsonNode instances, ModelSchema schema) {
        List<InputFieldSchema> inputs = schema.inputs();
        List<Map<String, Object>> records = new ArrayList<>(instances.size());
        for (int i = 0; i < instances.size(); i++) {
            JsonNode instance = instances.get(i);
            Map<String, Object> record = new HashMap<>(inputs.size() * 2);
            if (instance.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> fields = instance.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    record.put(field.getKey(), value(field.getValue(), field.getKey(), i));
                }
            } else if (instance.isArray()) {
                if (instance.size() != inputs.size()) {
                    throw invalid("instance " + i + " holds " + instance.size() + " values; the model reads "
                            + inputs.size() + ", in this order: " + inputs.stream().map(InputFieldSchema::name).toList());
                }
                for (int f = 0; f < inputs.size(); f++) {
                    record.put(inputs.get(f).name(), value(instance.get(f), inputs.get(f).name(), i));
                }
            } else {
                throw invalid("instance " + i + " must be an object of field values or an array in input order");
            }
            records.add(record);
        }
        return records;
    }

    private static Object value(JsonNode node, String field, int instance) {
        if (node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        throw new ApiException(400, "invalid_request", "instance " + instance + ", field \"" + field
                + "\": expected a number, string, boolean or null, not " + (node.isArray() ? "an array" : "an object"),
                field, instance);
    }

    private static ApiException invalid(String message) {
        return new ApiException(400, "invalid_request", message);
    }
}
