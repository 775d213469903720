package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pronto.inference.InferenceEngine;
import io.javalin.Javalin;

/**
 * A real Prometheus (Debian's {@code prometheus} package, installed by {@code .ci/install-test-deps})
 * scrapes a real server; the counts are read back through Prometheus's query API, never by parsing
 * our own exposition. {@code promtool} checks the exposition and the alert rules in {@code deploy/}.
 */
class PrometheusIT {

    private static final int REQUESTS = 7;
    private static final int MISSING = 3;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    static Path dir;
    static ServerMetrics metrics;
    static InferenceEngine engine;
    static TestServer server;
    static Process prometheus;
    static URI prometheusBase;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/prometheus")),
                "Prometheus is not installed: run .ci/install-test-deps as root");
        Path root = Files.createDirectories(dir.resolve("models"));
        TestServer.copy(TestServer.IRIS, root, "iris/model.pmml");
        metrics = ServerMetrics.of(MetricsSettings.defaults());
        engine = InferenceEngine.builder().config(Map.of("storage.nas.root", root.toString(), "cache.max-models", "10"))
                .meterRegistry(metrics.registry()).modelName("iris", "iris/model.pmml").build();
        ServerState state = new ServerState();
        Javalin app = ServerApp.createApp(engine, state,
                AppOptions.of(ServerSettings.defaults().withModels(Map.of("iris", "iris/model.pmml"))).withMetrics(metrics));
        app.start("127.0.0.1", 0);
        state.ready();
        server = TestServer.attach(app);

        int port = freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: pronto
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(app.port()));
        prometheus = new ProcessBuilder("/usr/bin/prometheus", "--config.file=" + config,
                "--web.listen-address=127.0.0.1:" + port, "--storage.tsdb.path=" + dir.resolve("tsdb"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        prometheusBase = URI.create("http://127.0.0.1:" + port);
        await(() -> get(prometheusBase.resolve("/-/ready")).statusCode() == 200, "Prometheus ready");
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor();
        }
        if (server != null) {
            server.close();
        }
        if (engine != null) {
            engine.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    @Test
    void prometheusReadsExactlyTheRequestsLoadsHitsAndStorageErrorsTheServerSaw() throws Exception {
        String request = TestServer.SEED_EXAMPLE.replace("iris/model.pmml", "iris");
        for (int i = 0; i < REQUESTS; i++) {
            assertThat(server.post("/invocations", request).status()).isEqualTo(200);
        }
        for (int i = 0; i < MISSING; i++) {
            assertThat(server.post("/invocations", request.replace("\"iris\"", "\"nope/missing.pmml\"")).status())
                    .isEqualTo(404);
        }

        // the last counter to change; once Prometheus has it, it has scraped after every request
        await(() -> value("sum(pronto_storage_failures_total{reason=\"not_found\"})") == MISSING, "a scrape after the requests");
        assertThat(value("pronto_predictions_total{model=\"iris\",format=\"pmml\"}")).isEqualTo(REQUESTS);
        assertThat(value("pronto_prediction_records_total{model=\"iris\"}")).isEqualTo(2 * REQUESTS);
        assertThat(value("pronto_prediction_duration_seconds_count{model=\"iris\"}")).isEqualTo(REQUESTS);
        assertThat(value("pronto_model_load_seconds_count{model=\"iris\",outcome=\"success\"}")).isEqualTo(1);
        // one lookup per request: the first misses and loads the model, every other one finds it in memory
        assertThat(value("pronto_model_cache_misses_total{model=\"iris\"}")).isEqualTo(1);
        assertThat(value("pronto_model_cache_hits_total{model=\"iris\"}")).isEqualTo(REQUESTS - 1);
        // a location no model was loaded from gets no label of its own
        assertThat(value("pronto_model_load_seconds_count{model=\"other\",outcome=\"failure\"}")).isEqualTo(MISSING);
        assertThat(value("count(pronto_model_load_seconds_count{model=~\"nope.*\"})")).isZero();
        assertThat(value("pronto_http_request_duration_seconds_count{endpoint=\"/invocations\",code=\"200\"}"))
                .isEqualTo(REQUESTS);
        assertThat(value("pronto_http_request_duration_seconds_count{endpoint=\"/invocations\",code=\"404\"}"))
                .isEqualTo(MISSING);
        assertThat(value("pronto_models_loaded")).isEqualTo(1);
        assertThat(value("count(jvm_memory_used_bytes)")).isPositive();
        assertThat(value("count(jetty_threads_current)")).isPositive();
    }

    @Test
    void servesOpenMetricsToClientsThatAskAndPrometheusTextToOthers() throws Exception {
        HttpResponse<String> open = CLIENT.send(HttpRequest.newBuilder(server.base.resolve("/metrics"))
                .header("Accept", "application/openmetrics-text;version=1.0.0,text/plain;q=0.5").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(open.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/openmetrics-text"));
        assertThat(open.body()).endsWith("# EOF\n");
        TestServer.Response text = server.get("/metrics");
        assertThat(text.header("Content-Type")).startsWith("text/plain; version=0.0.4");
        assertThat(text.body()).contains("# TYPE pronto_models_loaded gauge");
    }

    @Test
    void promtoolFindsNoProblemInTheExposition() throws Exception {
        Path exposition = dir.resolve("exposition.txt");
        Files.writeString(exposition, server.get("/metrics").body());
        Run run = promtool(List.of("check", "metrics"), exposition);
        assertThat(run.status()).as(run.output()).isZero();
    }

    @Test
    void alertRulesAreValidAndFireAsTheirTestsSay() throws Exception {
        Path rules = Path.of("..", "deploy", "prometheus");
        Run check = promtool(List.of("check", "rules", rules.resolve("pronto-alerts.yml").toString()), null);
        assertThat(check.status()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS");
        Run test = promtool(List.of("test", "rules", rules.resolve("pronto-alerts.test.yml").toString()), null);
        assertThat(test.status()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }

    @Test
    void everyDashboardQueryIsPromqlThatPrometheusAccepts() throws Exception {
        JsonNode dashboard = ServerApp.MAPPER.readTree(Path.of("..", "deploy", "grafana", "pronto-dashboard.json").toFile());
        int queries = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String query = target.path("expr").asText().replace("$job", ".*").replace("$__rate_interval", "1m");
                HttpResponse<String> response = get(prometheusBase.resolve("/api/v1/query?query="
                        + URLEncoder.encode(query, StandardCharsets.UTF_8)));
                assertThat(response.statusCode()).as(panel.path("title").asText() + ": " + response.body()).isEqualTo(200);
                queries++;
            }
        }
        assertThat(queries).isGreaterThan(15);
    }

    private record Run(int status, String output) {
    }

    private static Run promtool(List<String> args, Path stdin) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/promtool"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (stdin != null) {
            builder.redirectInput(stdin.toFile());
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(process.waitFor(), output);
    }

    /** The single value of an instant query; 0 when it has no result. */
    private static double value(String query) throws IOException, InterruptedException {
        HttpResponse<String> response = get(prometheusBase.resolve("/api/v1/query?query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode result = ServerApp.MAPPER.readTree(response.body()).path("data").path("result");
        assertThat(result.size()).as(query + " → " + response.body()).isLessThanOrEqualTo(1);
        return result.isEmpty() ? 0 : Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(Condition condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + what + "; log: "
                + Files.readString(dir.resolve("prometheus.log")));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
