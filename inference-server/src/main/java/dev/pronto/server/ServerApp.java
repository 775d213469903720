package dev.pronto.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.eclipse.jetty.server.handler.GracefulHandler;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelFormat;
import dev.pronto.inference.ModelHandle;
import dev.pronto.inference.ModelInfo;
import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.ModelSchema;
import dev.pronto.inference.Prediction;
import dev.pronto.inference.batch.PredictionColumns;
import dev.pronto.inference.batch.PredictionWriter;
import dev.pronto.inference.batch.RecordFormat;
import dev.pronto.server.security.EdgeSecurity;
import io.javalin.Javalin;
import io.javalin.http.Context;

/**
 * The HTTP surface: the seed's {@code GET /ping} and {@code POST /invocations}, health probes, the
 * model listing and {@code GET /version}, on Javalin. See {@code docs/http-api.md}.
 *
 * <pre>{@code
 * Javalin app = ServerApp.createApp(engine, state, AppOptions.of(settings));
 * app.start("127.0.0.1", 8080);
 * }</pre>
 *
 * <p>Handlers parse a request, call one engine method and write the answer; failures are thrown
 * and turned into responses by {@link HttpErrors} alone.
 */
public final class ServerApp {

    private static final String JSON = "application/json";

    /** One mapper for the whole server; Jackson mappers are thread-safe once configured. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // the same doubles (both round-trip exactly), parsed and written several times faster than by the JDK
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .build();

    private final InferenceEngine engine;
    private final ServerSettings settings;
    private final ServerState state;
    private final InvocationParser parser;
    private final RecordRequests recordRequests;
    private final ScoringExecutor scoring;
    private final Admission admission;
    private final ProtectionSettings protection;
    private final RecordCheck recordCheck;
    private final Map<String, String> namesByLocation;
    private final FormatLabels formatLabels;
    private final KerasRequests keras;
    private final ModelRepository repository;

    private ServerApp(InferenceEngine engine, ServerSettings settings, ProtectionSettings protection, ServerState state) {
        this.engine = engine;
        this.settings = settings;
        this.state = state;
        this.protection = protection;
        this.parser = new InvocationParser(MAPPER, settings);
        this.recordRequests = new RecordRequests(settings);
        this.scoring = new ScoringExecutor(settings.requestTimeout());
        this.admission = new Admission(protection, settings.maxBodyBytes());
        this.recordCheck = new RecordCheck(protection.unknownKeys());
        Map<String, String> names = new LinkedHashMap<>();
        settings.models().forEach((name, location) -> names.putIfAbsent(ModelLocation.parse(location).toString(), name));
        this.namesByLocation = names;
        this.formatLabels = new FormatLabels(engine.formats());
        this.keras = new KerasRequests(engine);
        this.repository = ModelRepository.of(engine, settings, scoring);
    }

    /**
     * Creates the app, not yet started; the caller starts and stops it. Stopping it waits for
     * requests in flight up to the Jetty stop timeout, then stops the scoring threads; the engine
     * stays open, as the caller owns it.
     *
     * @param engine the engine that loads and scores models; shared, not closed by the app
     * @param state the phase that the probes report
     * @param options limits and model names, protection, edge security (bearer tokens, TLS and CORS, see
     *     {@code docs/security.md}) and the meters served at {@code GET /metrics} when enabled
     * @throws InferenceException if a configured model location is malformed
     * @throws IllegalArgumentException if the TLS files cannot be used, naming the file
     */
    public static Javalin createApp(InferenceEngine engine, ServerState state, AppOptions options) {
        ServerSettings settings = options.settings();
        ServerMetrics metrics = options.metrics();
        ServerApp app = new ServerApp(engine, settings, options.protection(), state);
        var jetty = new java.util.concurrent.atomic.AtomicReference<org.eclipse.jetty.server.Server>();
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = settings.maxBodyBytes();
            config.http.defaultContentType = JSON;
            config.http.prefer405over404 = true;
            // on Java 21+ each request runs on a virtual thread: measured under wrk on 2 cores, 5-7 % more requests
            // per second and half the context switches of Jetty's platform thread pool (docs/performance.md);
            // on Java 17 Javalin's default pool stays
            config.concurrency.useVirtualThreads = Runtime.version().feature() >= 21;
            config.jetty.modifyServer(server -> {
                // lets requests in flight finish when the server stops, instead of cutting them off, for at
                // most the drain timeout: by default the request timeout, capped below the platforms' SIGKILL
                server.insertHandler(new GracefulHandler());
                server.setStopTimeout(settings.drainTimeout().toMillis());
                server.setErrorHandler(new HttpErrors.JettyErrors(MAPPER));
                jetty.set(server);
            });
            // the connectors exist once the server started
            config.events.serverStarted(() -> metrics.bindJetty(jetty.get()));
            config.events.serverStopped(app.scoring::close);
            // versioned models are found before the server is ready, then looked for in the background
            config.events.serverStarted(app.repository::start);
            config.events.serverStopped(app.repository::close);
            config.routes.before(RequestMdc::open);
            EdgeSecurity.install(config, options.security());
            config.routes.get("/ping", HttpErrors.guarded(app::ping));
            config.routes.get("/health/live", ctx -> status(ctx, 200, "live"));
            config.routes.get("/health/ready", HttpErrors.guarded(app::ready));
            config.routes.post("/invocations", HttpErrors.guarded(app::invocations));
            config.routes.get("/version", ctx -> writeJson(ctx, BuildInfo.current()));
            config.routes.get("/models", HttpErrors.guarded(app::models));
            if (metrics.enabled()) {
                // not guarded by admission control: a scrape must answer most when the server is busiest
                config.routes.get("/metrics", metrics::scrape);
            }
            // before /models/<name>, whose <name> would also match "iris/iris.pickle/pmml"
            config.routes.get("/models/<name>/pmml", HttpErrors.guarded(app::convertedPmml));
            new ApiDescription(app.repository).register(config.routes);
            config.routes.get("/models/<name>", HttpErrors.guarded(app::model));
            app.registerProtocols(config.routes);
            HttpErrors.register(config.routes, MAPPER);
            config.requestLogger.http((ctx, millis) -> {
                metrics.request(ctx, millis);
                AccessLog.write(ctx, millis);
            });
        });
    }

    /** KServe V1, the Open Inference Protocol (V2) with its repository extension, and the API description. */
    private void registerProtocols(io.javalin.config.RoutesConfig routes) {
        new OpenInferenceRoutes(engine, repository, scoring, state, parser, settings.maxRecords()).register(routes);
        new KServeV1Routes(engine, repository, scoring, parser, settings.maxRecords()).register(routes);
    }

    private void ping(Context ctx) throws IOException {
        ServerState.Phase phase = state.phase();
        status(ctx, phase == ServerState.Phase.READY ? 200 : 503, phase.name().toLowerCase(Locale.ROOT));
    }

    /**
     * Like {@code /ping}, and while ready also lists the models serving a copy that may be stale
     * (their store could not be checked, or a newer version failed to load). They still serve, so
     * the probe stays 200: taking the pod out of service would not bring the store back.
     */
    private void ready(Context ctx) throws IOException {
        ServerState.Phase phase = state.phase();
        if (phase != ServerState.Phase.READY) {
            ping(ctx);
            return;
        }
        List<Map<String, String>> stale = new ArrayList<>();
        for (ModelInfo info : engine.models()) {
            engine.status(info).problem().ifPresent(reason ->
                    stale.add(Map.of("location", info.location().toString(), "reason", reason)));
        }
        ctx.status(200);
        writeJson(ctx, stale.isEmpty() ? Map.of("status", "ready") : Map.of("status", "ready", "staleModels", stale));
    }

    private void invocations(Context ctx) throws IOException {
        String type = ctx.contentType();
        // the common case, said exactly, settles the type without splitting and lower-casing the header
        Optional<RecordFormat> lines = JSON.equals(type) ? Optional.empty() : RecordFormat.ofMediaType(type);
        if (lines.isEmpty()) {
            requireJson(type);
        }
        long declared = ctx.req().getContentLengthLong();
        String encoding = ctx.header("Content-Encoding");
        // a compressed body may decode to the size limit whatever it declares; so may one of unknown length
        long bodyBytes = declared < 0 || RequestBodies.isEncoded(encoding) ? settings.maxBodyBytes()
                : Math.min(declared, settings.maxBodyBytes());
        try (Admission.Ticket ticket = admission.admit(bodyBytes)) {
            InputStream body = RequestBodies.open(ctx.bodyInputStream(), encoding, protection.minBodyBytesPerSecond(),
                    protection.bodyGracePeriod().toNanos());
            if (lines.isPresent()) {
                recordInvocations(ctx, lines.get(), body, declared);
                return;
            }
            Invocation request = parser.parse(body, declared);
            String location = location(request.pipelineFilename());
            if (KerasRequests.isKeras(request.implementation())) {
                respond(ctx, request, location, keras(request, location));
                return;
            }
            notForNetworks(request);
            ModelHandle model = model(location, formatLabels.formatNamedBy(request.implementation()));
            recordCheck.check(request.records(), model.info().schema());
            respond(ctx, request, location, model.predict(request.records()));
        }
    }

    /** What a {@code pipelineFilename} names: a version of a versioned model, a configured name's location, or itself. */
    private String location(String name) {
        return repository.versionedLocation(name).orElseGet(() -> settings.models().getOrDefault(name, name));
    }

    private static void respond(Context ctx, Invocation request, String location, List<Prediction> predictions)
            throws IOException {
        if (request.leafNumbers()) {
            InvocationResponse.requireLeafNumbers(predictions, location);
        }
        ctx.status(200).contentType(JSON);
        InvocationResponse.write(ctx.outputStream(), MAPPER, predictions, request.leafNumbers(), request.outputFields());
    }

    /** The legacy Keras request: two models, either of which may have to load, so always on the scoring pool. */
    private List<Prediction> keras(Invocation request, String location) {
        String network = request.modelFilename() == null ? null
                : location(request.modelFilename());
        return scoring.call(() -> keras.predict(location, network, request.records()));
    }

    private static void notForNetworks(Invocation request) {
        if (request.modelFilename() != null) {
            throw ApiException.badField("invalid_request", "requestArguments." + InvocationParser.MODEL_FILENAME,
                    "requestArguments." + InvocationParser.MODEL_FILENAME + " names the network of a request with"
                    + " implementation \"" + KerasRequests.IMPLEMENTATION + "\" only");
        }
    }

    /** A CSV or JSON Lines body: the model's schema types the cells, so the model is found before the body is read. */
    private void recordInvocations(Context ctx, RecordFormat format, InputStream body, long declared) throws IOException {
        String name = RecordRequests.modelName(ctx);
        String location = location(name);
        ModelHandle model = model(location, formatLabels.formatNamedBy(ctx.queryParam("implementation")));
        ModelSchema schema = model.info().schema();
        RecordRequests.Parsed parsed = recordRequests.parse(ctx, format, body, declared, name, schema);
        Invocation request = parsed.invocation();
        recordCheck.check(request.records(), schema);
        List<Prediction> predictions = model.predict(request.records());
        if (parsed.answer().isEmpty()) {
            ctx.status(200).contentType(JSON);
            InvocationResponse.write(ctx.outputStream(), MAPPER, predictions, false, request.outputFields());
            return;
        }
        ctx.status(200).contentType(parsed.answer().get().mediaType());
        PredictionColumns columns = PredictionColumns.of(schema, parsed.idColumn(), request.outputFields());
        try (PredictionWriter out = PredictionWriter.open(parsed.answer().get(), ctx.outputStream(), columns)) {
            for (int i = 0; i < predictions.size(); i++) {
                out.write(parsed.ids().isEmpty() ? null : parsed.ids().get(i), predictions.get(i));
            }
        }
    }

    // a model in memory is checked and scored on this thread: a hand-off to the pool would cost two context
    // switches per request, and scoring is bounded by the record limit; only a call that must load the model
    // goes to the pool, which the request stops waiting for after the request timeout. One lookup: the schema
    // checked is that of the version that scores
    private ModelHandle model(String location, Optional<ModelFormat> format) {
        return scoring.handle(engine, location, format);
    }

    private void models(Context ctx) throws IOException {
        List<Map<String, Object>> models = new ArrayList<>();
        for (ModelInfo info : engine.models()) {
            models.add(describe(info));
        }
        writeJson(ctx, Map.of("models", models));
    }

    private void model(Context ctx) throws IOException {
        writeJson(ctx, describe(find(ctx.pathParam("name"))));
    }

    /**
     * The PMML document a model was converted to (from a scikit-learn pickle, say), for inspection;
     * {@code {name}} is resolved as by {@link #model}.
     */
    private void convertedPmml(Context ctx) throws IOException {
        ModelInfo info = find(ctx.pathParam("name"));
        String location = info.location().toString();
        // the model is in memory under this location and format, so this reads it from there; only an
        // eviction in between could make it load again
        byte[] pmml = scoring.call(() -> engine.convertedPmml(location, ModelFormat.of(info.format()))).orElseThrow(() -> new ApiException(404,
                "no_converted_pmml", "model \"" + location + "\" (format " + info.format() + ") was not converted to PMML: "
                        + "the stored file is the document it evaluates", null, -1));
        ctx.status(200).contentType("application/xml");
        ctx.header("Content-Disposition", "inline; filename=\"" + documentName(info.location()) + "\"");
        ctx.outputStream().write(pmml);
    }

    /**
     * A configured model, loaded if it is not in memory, or a model in memory by its location.
     *
     * @throws ApiException 404 when {@code name} is neither
     */
    private ModelInfo find(String name) {
        String configured = repository.versionedLocation(name).orElseGet(() -> settings.models().get(name));
        return configured != null
                ? scoring.call(() -> engine.model(configured))
                : loaded(name).orElseThrow(() -> new ApiException(404, "model_not_found", "no model named \"" + name
                        + "\" is configured, and no model with that location is loaded", null, -1));
    }

    /** {@code iris.pickle} → {@code iris.pmml}, reduced to characters that need no quoting in a header. */
    private static String documentName(ModelLocation location) {
        String file = location.fileName();
        int dot = file.lastIndexOf('.');
        String stem = (dot > 0 ? file.substring(0, dot) : file).replaceAll("[^A-Za-z0-9._-]", "_");
        return (stem.isEmpty() ? "model" : stem) + ".pmml";
    }

    /** A model in memory whose location is {@code text}; never loads one, so GET has no side effects. */
    private Optional<ModelInfo> loaded(String text) {
        String canonical;
        try {
            canonical = ModelLocation.parse(text).toString();
        } catch (InferenceException e) {
            return Optional.empty();
        }
        return engine.models().stream().filter(info -> info.location().toString().equals(canonical)).findFirst();
    }

    private Map<String, Object> describe(ModelInfo info) {
        Map<String, Object> model = new LinkedHashMap<>();
        // the name (with modelVersion, name@modelVersion) that finds the model at /models/{name} and as
        // pipelineFilename: a configured name or a version of a versioned model, else its location
        Optional<ModelNames.Entry> named = repository.entryAt(info.location());
        model.put("name", named.map(ModelNames.Entry::name)
                .orElseGet(() -> namesByLocation.getOrDefault(info.location().toString(), info.location().toString())));
        named.map(ModelNames.Entry::version).ifPresent(version -> model.put("modelVersion", version));
        model.put("location", info.location().toString());
        model.put("format", info.format());
        model.put("sha256", info.sha256());
        model.put("sizeBytes", info.sizeBytes());
        model.put("version", info.version());
        model.put("loadedAt", info.loadedAt().toString());
        model.put("loadTimeMs", info.loadTime().toMillis());
        // the name predates ModelStatus: a failed check or a storage serving a possibly stale copy
        model.put("lastRevalidationError", engine.status(info).problem().orElse(null));
        named.flatMap(entry -> repository.versionState(entry.name())).filter(now -> !now.failed().isEmpty())
                .ifPresent(now -> model.put("unavailableVersions", now.failed()));
        model.put("schema", info.schema());
        return model;
    }

    static void requireJson(Context ctx) {
        requireJson(ctx.contentType());
    }

    private static void requireJson(String type) {
        if (JSON.equals(type)) {
            return;
        }
        String mediaType = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals(JSON)) {
            throw new ApiException(415, "unsupported_media_type", "the request body must have Content-Type "
                    + "application/json, text/csv or application/jsonlines" + (type == null ? "; the request has no Content-Type" : ", not " + mediaType));
        }
    }

    private static void status(Context ctx, int status, String phase) throws IOException {
        ctx.status(status);
        writeJson(ctx, Map.of("status", phase));
    }

    static void writeJson(Context ctx, Object body) throws IOException {
        ctx.contentType(JSON);
        MAPPER.writeValue(ctx.outputStream(), body);
    }
}
