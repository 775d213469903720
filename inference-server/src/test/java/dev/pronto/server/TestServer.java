package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pronto.inference.InferenceEngine;
import io.javalin.Javalin;

/**
 * A started {@link ServerApp} on a free port of 127.0.0.1, and a client that talks to it through a
 * real socket. Closing stops the app; the engine belongs to the test.
 */
final class TestServer implements AutoCloseable {

    /** The bundled example model, as the server's users get it. */
    static final Path IRIS = Path.of("..", "examples", "models", "iris", "model.pmml");
    static final String SEED_EXAMPLE = """
            {"payload": [{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2},
                         {"sepal_length": 2.1, "sepal_width": 5.5, "petal_length": 6.4, "petal_width": 0.2}],
             "pipelineFilename": "iris/model.pmml", "implementation": "Logistic Regression"}""";

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    final Javalin app;
    final ServerState state;
    final URI base;
    /** The engine this server made for itself and closes, or null if the test owns it. */
    final InferenceEngine ownEngine;

    private TestServer(Javalin app, ServerState state, InferenceEngine ownEngine) {
        this.app = app;
        this.state = state;
        this.base = URI.create("http://127.0.0.1:" + app.port());
        this.ownEngine = ownEngine;
    }

    /** Serves the test's engine; closing the server leaves the engine open. */
    static TestServer start(InferenceEngine engine, ServerSettings settings) {
        return start(engine, AppOptions.of(settings), null);
    }

    /** Serves the models in a folder (the default model root) with an engine of its own. */
    static TestServer overFolder(Path root, ServerSettings settings) {
        return overFolder(root, AppOptions.of(settings), Map.of());
    }

    /** As {@link #overFolder(Path, ServerSettings)}, with more engine configuration. */
    static TestServer overFolder(Path root, ServerSettings settings, Map<String, String> engineConfig) {
        return overFolder(root, AppOptions.of(settings), engineConfig);
    }

    /**
     * As {@link #overFolder(Path, ServerSettings, Map)}, with other options (plain HTTP: TLS tests make
     * their own client).
     */
    static TestServer overFolder(Path root, AppOptions options, Map<String, String> engineConfig) {
        Map<String, String> config = new java.util.HashMap<>(engineConfig);
        config.put("storage.nas.root", root.toString());
        config.putIfAbsent("cache.max-models", "100");
        InferenceEngine engine = InferenceEngine.create(config);
        return start(engine, options, engine);
    }

    /** The bundled iris model copied to {@code root/iris/model.pmml} and served under the name {@code iris}. */
    static TestServer iris(Path root, ServerSettings settings) {
        return iris(root, AppOptions.of(settings));
    }

    /**
     * As {@link #iris(Path, ServerSettings)}, with other options; the name {@code iris} is added to theirs.
     * The model is loaded before the server is used, as the server loads its {@code [Models]} before it is
     * ready: a test's first request then scores, where it would otherwise pay a cold load under the
     * request timeout (on a loaded machine, longer than it).
     */
    static TestServer iris(Path root, AppOptions options) {
        copy(IRIS, root, "iris/model.pmml");
        Map<String, String> models = new java.util.LinkedHashMap<>(options.settings().models());
        models.put("iris", "iris/model.pmml");
        TestServer server = overFolder(root, options.withSettings(options.settings().withModels(models)), Map.of());
        server.ownEngine.model("iris/model.pmml");
        return server;
    }

    private static TestServer start(InferenceEngine engine, AppOptions options, InferenceEngine ownEngine) {
        ServerState state = new ServerState();
        Javalin app = ServerApp.createApp(engine, state, options);
        app.start("127.0.0.1", 0);
        state.ready();
        return new TestServer(app, state, ownEngine);
    }

    /** A client for an app the test started itself, in the given state. */
    static TestServer attach(Javalin app) {
        return new TestServer(app, null, null);
    }

    /** Copies a model file into {@code root/relative}. */
    static void copy(Path model, Path root, String relative) {
        try {
            write(Files.readAllBytes(model), root, relative);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes bytes into {@code root/relative}. */
    static void write(byte[] content, Path root, String relative) {
        try {
            Path target = root.resolve(relative);
            Files.createDirectories(target.getParent());
            Files.write(target, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    Response post(String path, String json) {
        return post(path, json, "application/json");
    }

    Response post(String path, String body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request);
    }

    /** Posts a body of unknown length, sent chunked. */
    Response postChunked(String path, InputStream body) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)));
    }

    /** Sends raw bytes through a socket, for requests no HTTP client would send; returns the whole answer. */
    String raw(String request) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", base.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = CLIENT.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * With the model's store stopped: posts the request 100 times, revalidating every 25, and checks
     * that every answer equals {@code first}, that {@code /models} says the one model may be stale, and
     * that the server stays ready.
     */
    void assertKeepsServingStale(InferenceEngine engine, String request, Response first) {
        int failed = 0;
        for (int i = 0; i < 100; i++) {
            Response response = post("/invocations", request);
            if (response.status() != 200 || !response.json().equals(first.json())) {
                failed++;
            }
            if (i % 25 == 0) {
                engine.revalidate();
            }
        }

        assertThat(failed).isZero();
        JsonNode models = get("/models").json().get("models");
        assertThat(models).hasSize(1);
        assertThat(models.get(0).get("lastRevalidationError").asText()).contains("could not be reached");
        assertThat(get("/health/ready").status()).isEqualTo(200);
    }

    @Override
    public void close() {
        app.stop();
        if (ownEngine != null) {
            ownEngine.close();
        }
    }

    /**
     * Checks an error response: status, JSON error body with exactly the documented parts, the
     * request id matching the header, and no trace of stack frames or class names.
     */
    static void assertError(Response response, int status, String code, String field, Integer record) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        JsonNode error = response.error();
        List<String> parts = new ArrayList<>();
        error.fieldNames().forEachRemaining(parts::add);
        assertThat(parts).containsExactly("code", "message", "field", "record", "requestId");
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.get("field").isNull() ? null : error.get("field").asText()).isEqualTo(field);
        assertThat(error.get("record").isNull() ? null : error.get("record").asInt()).isEqualTo(record);
        assertThat(error.get("requestId").asText()).isEqualTo(response.header("X-Request-Id"));
        assertThat(response.body()).doesNotContain("Exception", "\tat ", "dev.pronto", "java.", "org.");
    }

    /** A response with its body parsed as JSON. */
    record Response(HttpResponse<String> raw) {

        int status() {
            return raw.statusCode();
        }

        String body() {
            return raw.body();
        }

        JsonNode json() {
            try {
                return ServerApp.MAPPER.readTree(raw.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + raw.body(), e);
            }
        }

        JsonNode error() {
            return json().path("error");
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }
}
