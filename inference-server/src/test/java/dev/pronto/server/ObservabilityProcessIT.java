package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The jar's logs as operators shape them and its traces under the OpenTelemetry Java agent, each in a
 * real process: JSON lines without probe requests, a user's logback configuration, and the agent's
 * {@code /invocations} span in the client's trace.
 */
class ObservabilityProcessIT {

    private static final Path MODELS = Path.of("..", "examples", "models").toAbsolutePath().normalize();
    private static final Path AGENT = Path.of("target", "otel", "opentelemetry-javaagent.jar").toAbsolutePath();
    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final String TRACEPARENT = "00-" + TRACE + "-b7ad6b7169203331-01";
    private static final String USER_CONFIG = """
            <configuration>
              <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>USER rid=%X{requestId} tid=%X{traceId} otel=%X{trace_id} %logger: %msg%n</pattern></encoder>
              </appender>
              <root level="INFO"><appender-ref ref="out"/></root>
            </configuration>
            """;

    @TempDir
    Path dir;

    @Test
    void jsonLogsCarryTheRequestAndTraceIdsAndLeaveProbesOut() throws Exception {
        Path logs = dir.resolve("logs");
        ServerProcess.writeConfig(dir, """
                [NAS]
                NAS_local_folder_path = %s
                [Logs]
                log_file_path = %s
                log_format = json
                access_log_probes = false
                [Server]
                host = 127.0.0.1
                port = 0
                """.formatted(MODELS, logs), null);
        List<JsonNode> console;
        try (ServerProcess server = ServerProcess.start(dir, List.of())) {
            int port = server.awaitPort();
            server.awaitLine("\"ready\"");
            assertThat(ServerProcess.send(get(port, "/ping")).statusCode()).isEqualTo(200);
            assertThat(ServerProcess.send(get(port, "/health/ready")).statusCode()).isEqualTo(200);
            assertThat(invoke(port).statusCode()).isEqualTo(200);

            assertThat(server.stop()).isEqualTo(143);
            console = jsonLines(server.output());
        }

        // the console writes JSON lines too; the assertions below read the file channel, which has every line
        // up to "stopped" (the console has been seen to lose the lines logged after SIGTERM, in text format too)
        assertThat(console).anySatisfy(line -> assertThat(line.path("formattedMessage").asText()).isEqualTo("ready"));
        List<JsonNode> written;
        try (var files = Files.list(logs)) {
            written = jsonLines(Files.readAllLines(files.findFirst().orElseThrow()));
        }
        JsonNode access = only(written, line -> line.path("loggerName").asText().equals(AccessLog.LOGGER));
        assertThat(access.path("formattedMessage").asText()).startsWith("POST /invocations 200 ").endsWith("id=json-1");
        assertThat(access.path("mdc").path("requestId").asText()).isEqualTo("json-1");
        assertThat(access.path("mdc").path("traceId").asText()).isEqualTo(TRACE);
        assertThat(access.path("level").asText()).isEqualTo("INFO");
        assertThat(access.toString()).contains("\"path\"", "/invocations", "\"durationMs\"");
        // the model load ran on a scoring thread, with the request's ids
        JsonNode load = only(written, line -> line.path("formattedMessage").asText().startsWith("loaded model"));
        assertThat(load.path("threadName").asText()).startsWith("pronto-scoring-");
        assertThat(load.path("mdc").path("traceId").asText()).isEqualTo(TRACE);
        assertThat(written).anySatisfy(line -> assertThat(line.path("formattedMessage").asText()).isEqualTo("stopped"));
    }

    @Test
    void aLogbackConfigurationNamedInTheLogsSectionReplacesItsChannels() throws Exception {
        Path userConfig = Files.writeString(dir.resolve("my-logback.xml"), USER_CONFIG);
        ServerProcess.writeConfig(dir, """
                [NAS]
                NAS_local_folder_path = %s
                [Logs]
                log_format = json
                access_log_probes = false
                logback_config = %s
                [Server]
                host = 127.0.0.1
                port = 0
                """.formatted(MODELS, userConfig), null);
        try (ServerProcess server = ServerProcess.start(dir, List.of())) {
            int port = server.awaitPort();
            server.awaitLine("Main: ready");
            assertThat(invoke(port).statusCode()).isEqualTo(200);
            assertThat(ServerProcess.send(get(port, "/ping")).statusCode()).isEqualTo(200);

            server.awaitLine("GET /ping 200");
            assertThat(server.output()).contains("USER rid= tid= otel= dev.pronto.server.Main: logging configured by "
                    + "[Logs] logback_config = " + userConfig + "; the other [Logs] settings are not used");
            assertThat(server.output()).anySatisfy(line -> assertThat(line)
                    .startsWith("USER rid=json-1 tid=" + TRACE + " otel= dev.pronto.server.access: POST /invocations 200 "));
        }
    }

    @Test
    void theOpenTelemetryAgentPutsTheInvocationsSpanInTheClientsTrace() throws Exception {
        assertThat(AGENT).as("copied by maven-dependency-plugin in pre-integration-test").exists();
        Path userConfig = Files.writeString(dir.resolve("logback.xml"), USER_CONFIG);
        // -Dlogback.configurationFile wins over [Logs] logback_config, whose missing file would stop startup
        ServerProcess.writeConfig(dir, """
                [NAS]
                NAS_local_folder_path = %s
                [Logs]
                logback_config = %s
                [Server]
                host = 127.0.0.1
                port = 0
                """.formatted(MODELS, dir.resolve("missing.xml")), null);
        try (ServerProcess server = ServerProcess.start(dir, List.of("-javaagent:" + AGENT,
                "-Dotel.service.name=pronto-it", "-Dotel.traces.exporter=logging", "-Dotel.metrics.exporter=none",
                "-Dotel.logs.exporter=none", "-Dlogback.configurationFile=" + userConfig))) {
            int port = server.awaitPort();
            server.awaitLine("Main: ready");
            HttpResponse<String> answer = invoke(port);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.headers().firstValue(TraceContext.HEADER)).contains(TRACE);

            String span = server.awaitLine(" SERVER [tracer");
            assertThat(span).contains(TRACE, "/invocations");
            // the agent's own MDC keys beside ours, in the operator's pattern
            String access = server.awaitLine("dev.pronto.server.access: POST /invocations 200");
            assertThat(access).startsWith("USER rid=json-1 tid=" + TRACE + " otel=" + TRACE + " ");
        }
    }

    private static HttpRequest.Builder get(int port, String path) {
        return HttpRequest.newBuilder(ServerProcess.uri(port, path)).GET();
    }

    private static HttpResponse<String> invoke(int port) throws Exception {
        return ServerProcess.send(HttpRequest.newBuilder(ServerProcess.uri(port, "/invocations"))
                .header("Content-Type", "application/json").header("X-Request-Id", "json-1")
                .header("traceparent", TRACEPARENT).header("tracestate", "rojo=00f067aa0ba902b7")
                .POST(HttpRequest.BodyPublishers.ofString(TestServer.SEED_EXAMPLE)));
    }

    /** Every line from the first JSON one on, each of which must be a JSON object. */
    private static List<JsonNode> jsonLines(List<String> lines) throws Exception {
        List<JsonNode> json = new ArrayList<>();
        for (String line : lines) {
            if (json.isEmpty() && !line.startsWith("{")) {
                continue; // the bundled console configuration's text (ConsoleLogging), before the configuration is read
            }
            json.add(ServerApp.MAPPER.readTree(line));
        }
        assertThat(json).isNotEmpty();
        return json;
    }

    private static JsonNode only(List<JsonNode> lines, java.util.function.Predicate<JsonNode> which) {
        List<JsonNode> found = lines.stream().filter(which).toList();
        assertThat(found).as("in %s", lines).hasSize(1);
        return found.get(0);
    }
}
