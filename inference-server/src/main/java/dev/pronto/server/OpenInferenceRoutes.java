package dev.pronto.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pronto.inference.BatchPrediction;
import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.ModelHandle;
import dev.pronto.inference.ModelInfo;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * The Open Inference Protocol ("V2", as KServe, Triton and MLServer speak it) over REST, with the
 * model repository extension, on the same engine as {@code /invocations}. Models are addressed by
 * their configured names ({@link ModelNames}); the tabular mapping is {@link ModelTensors}. Errors
 * have the protocol's {@code {"error": "..."}} shape, written by {@link HttpErrors}. An inference
 * request's tensors are scored as the engine's columns ({@link InferRequest}) and answered from its
 * {@link BatchPrediction} ({@link InferResponse}). See {@code docs/http-api.md}.
 */
final class OpenInferenceRoutes {

    /** The server name in {@code GET /v2}. */
    static final String SERVER_NAME = "pronto";

    private final InferenceEngine engine;
    private final ModelRepository repository;
    private final ScoringExecutor scoring;
    private final ServerState state;
    private final InvocationParser parser;
    private final int maxRecords;

    OpenInferenceRoutes(InferenceEngine engine, ModelRepository repository, ScoringExecutor scoring, ServerState state,
            InvocationParser parser, int maxRecords) {
        this.engine = engine;
        this.repository = repository;
        this.scoring = scoring;
        this.state = state;
        this.parser = parser;
        this.maxRecords = maxRecords;
    }

    void register(RoutesConfig routes) {
        routes.get("/v2", this::serverMetadata);
        routes.get("/v2/health/live", ctx -> ServerApp.writeJson(ctx, Map.of("live", true)));
        routes.get("/v2/health/ready", this::serverReady);
        routes.get("/v2/models/{name}", ctx -> metadata(ctx, null));
        routes.get("/v2/models/{name}/versions/{version}", ctx -> metadata(ctx, ctx.pathParam("version")));
        routes.get("/v2/models/{name}/ready", ctx -> modelReady(ctx, null));
        routes.get("/v2/models/{name}/versions/{version}/ready", ctx -> modelReady(ctx, ctx.pathParam("version")));
        routes.post("/v2/models/{name}/infer", ctx -> infer(ctx, null));
        routes.post("/v2/models/{name}/versions/{version}/infer", ctx -> infer(ctx, ctx.pathParam("version")));
        routes.post("/v2/repository/index", this::index);
        routes.post("/v2/repository/models/{name}/load", ctx -> {
            repository.load(ctx.pathParam("name"));
            ServerApp.writeJson(ctx, Map.of());
        });
        routes.post("/v2/repository/models/{name}/unload", ctx -> {
            repository.unload(ctx.pathParam("name"));
            ServerApp.writeJson(ctx, Map.of());
        });
    }

    /** The server's version, as {@code GET /version} reports it. */
    static String serverVersion() {
        return BuildInfo.current().version();
    }

    private void serverMetadata(Context ctx) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", SERVER_NAME);
        body.put("version", serverVersion());
        body.put("extensions", List.of("model_repository"));
        ServerApp.writeJson(ctx, body);
    }

    private void serverReady(Context ctx) throws IOException {
        ServerState.Phase phase = state.phase();
        if (phase != ServerState.Phase.READY) {
            throw new ApiException(503, "not_ready", "the server is " + phase.name().toLowerCase(java.util.Locale.ROOT));
        }
        ServerApp.writeJson(ctx, Map.of("ready", true));
    }

    private void metadata(Context ctx, String version) throws IOException {
        ModelNames.Entry entry = repository.resolve(ctx.pathParam("name"), version);
        ModelInfo info = repository.info(entry);
        ModelTensors tensors = ModelTensors.of(info.schema());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", entry.name());
        List<String> versions = repository.versions(entry.name());
        if (!versions.isEmpty()) {
            body.put("versions", version == null ? versions : List.of(entry.version()));
        }
        body.put("platform", info.format());
        body.put("inputs", describe(tensors.inputs()));
        body.put("outputs", describe(tensors.outputs()));
        ServerApp.writeJson(ctx, body);
    }

    private static List<Map<String, Object>> describe(List<ModelTensors.Tensor> tensors) {
        List<Map<String, Object>> described = new ArrayList<>();
        for (ModelTensors.Tensor tensor : tensors) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("name", tensor.name());
            t.put("datatype", tensor.type().name());
            t.put("shape", tensor.classes().isEmpty() ? List.of(-1) : List.of(-1, tensor.classes().size()));
            if (!tensor.classes().isEmpty()) {
                t.put("parameters", Map.of("classes", tensor.classes()));
            }
            described.add(t);
        }
        return described;
    }

    private void modelReady(Context ctx, String version) throws IOException {
        String name = ctx.pathParam("name");
        ModelNames.Entry entry = repository.resolve(name, version);
        if (!repository.isLoaded(entry)) {
            throw new ApiException(503, "model_not_ready", "model \"" + name + "\"" + (version == null ? "" : " version "
                    + version) + " is not loaded yet; a request for it loads it");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("ready", true);
        ServerApp.writeJson(ctx, body);
    }

    private void infer(Context ctx, String version) throws IOException {
        ServerApp.requireJson(ctx);
        ModelNames.Entry entry = repository.resolve(ctx.pathParam("name"), version);
        JsonNode body = parser.parseTree(ctx.bodyInputStream(), ctx.req().getContentLengthLong());
        // one lookup: the tensors are read against the schema of the version that scores them
        ModelHandle model = scoring.handle(engine, entry.location());
        ModelTensors tensors = ModelTensors.of(model.info().schema());
        InferRequest request = InferRequest.parse(body, tensors, maxRecords);
        BatchPrediction result = model.predict(request.columns());
        ctx.status(200).contentType("application/json");
        InferResponse.write(ctx.outputStream(), ServerApp.MAPPER, entry.name(), entry.version(), request.id(), tensors,
                request.outputs(), result);
    }

    private void index(Context ctx) throws IOException {
        byte[] bytes = ctx.bodyAsBytes();
        // the body is optional: {"ready": true} lists only the models ready for inference
        boolean readyOnly = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank() ? false
                : parser.parseTree(new java.io.ByteArrayInputStream(bytes), bytes.length).path("ready").asBoolean(false);
        List<Map<String, Object>> models = new ArrayList<>();
        for (ModelRepository.IndexEntry entry : repository.index(readyOnly)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", entry.name());
            if (entry.version() != null) {
                m.put("version", entry.version());
            }
            m.put("state", entry.state());
            m.put("reason", entry.reason());
            models.add(m);
        }
        ServerApp.writeJson(ctx, models);
    }
}
