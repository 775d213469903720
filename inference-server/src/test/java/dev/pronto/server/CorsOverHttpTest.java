package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pronto.server.security.BearerTokens;
import dev.pronto.server.security.CorsSettings;
import dev.pronto.server.security.Role;
import dev.pronto.server.security.SecuritySettings;

/**
 * CORS over a real socket, as a browser would ask: preflights answered from the allow-list (before
 * any token check, as browsers send none), actual requests marked for allowed origins only.
 */
class CorsOverHttpTest {

    private static final String APP = "https://app.example.com";
    private static final String TOKEN = "cors-test-token-51b2";

    @TempDir
    static Path root;
    private static TestServer server;
    private static TestServer corsOff;

    @BeforeAll
    static void start() {
        TestServer.copy(TestServer.IRIS, root, "iris/model.pmml");
        SecuritySettings security = SecuritySettings.off()
                .withCors(CorsSettings.allowing(List.of(APP, "http://localhost:3000")))
                .withTokens(BearerTokens.of(Map.of(Role.SCORE, List.of(BearerTokens.hash(TOKEN)))));
        server = TestServer.overFolder(root, AppOptions.defaults().withSecurity(security), Map.of());
        corsOff = TestServer.overFolder(root, ServerSettings.defaults());
    }

    @AfterAll
    static void stop() {
        server.close();
        corsOff.close();
    }

    private static TestServer.Response preflight(TestServer target, String origin, String method, String headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.base.resolve("/invocations"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", method);
        if (headers != null) {
            request.header("Access-Control-Request-Headers", headers);
        }
        return target.send(request);
    }

    private static TestServer.Response post(TestServer target, String origin, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.base.resolve("/invocations"))
                .header("Content-Type", "application/json")
                .header("Origin", origin)
                .POST(HttpRequest.BodyPublishers.ofString(TestServer.SEED_EXAMPLE, StandardCharsets.UTF_8));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return target.send(request);
    }

    @Test
    void aPreflightFromAnAllowedOriginIsAnsweredWithoutAToken() {
        TestServer.Response response = preflight(server, APP, "POST", "content-type, authorization");

        assertThat(response.status()).isEqualTo(204);
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo(APP);
        assertThat(response.header("Access-Control-Allow-Methods")).isEqualTo("GET, POST");
        assertThat(response.header("Access-Control-Allow-Headers")).isEqualTo("Content-Type, Authorization, X-Request-Id");
        assertThat(response.header("Access-Control-Max-Age")).isEqualTo("600");
        assertThat(response.header("Vary")).contains("Origin");
        assertThat(response.header("X-Request-Id")).isNotBlank();
    }

    @Test
    void aPreflightFromAnotherOriginIsRefusedWithoutCorsHeaders() {
        TestServer.Response response = preflight(server, "https://evil.example.net", "POST", "content-type");

        TestServer.assertError(response, 403, "cors_refused", null, null);
        assertThat(response.error().get("message").asText()).isEqualTo(
                "origin \"https://evil.example.net\" is not allowed to call this server");
        assertThat(response.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void aPreflightForAMethodOrHeaderOffTheListIsRefusedNamingIt() {
        TestServer.Response method = preflight(server, APP, "DELETE", null);
        TestServer.Response header = preflight(server, APP, "POST", "content-type, x-debug");

        TestServer.assertError(method, 403, "cors_refused", null, null);
        assertThat(method.error().get("message").asText()).startsWith("method DELETE is not allowed");
        TestServer.assertError(header, 403, "cors_refused", null, null);
        assertThat(header.error().get("message").asText()).startsWith("request header \"x-debug\" is not allowed");
    }

    @Test
    void anActualRequestFromAnAllowedOriginIsMarkedForTheBrowser() {
        TestServer.Response response = post(server, "http://localhost:3000", TOKEN);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("predictions").toString()).isEqualTo("[0,2]");
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo("http://localhost:3000");
        assertThat(response.header("Access-Control-Expose-Headers")).contains("X-Request-Id");
        assertThat(response.header("Vary")).contains("Origin");
    }

    @Test
    void aRefusalStillCarriesCorsHeadersSoThePageCanReadIt() {
        TestServer.Response response = post(server, APP, null);

        TestServer.assertError(response, 401, "unauthorized", null, null);
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo(APP);
    }

    @Test
    void anActualRequestFromAnotherOriginGetsNoCorsHeaders() {
        TestServer.Response response = post(server, "https://evil.example.net", TOKEN);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void withCorsOffNoResponseHasCorsHeaders() {
        TestServer.Response preflight = preflight(corsOff, APP, "POST", "content-type");
        TestServer.Response actual = post(corsOff, APP, null);

        assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
        assertThat(preflight.status()).isNotEqualTo(204);
        assertThat(actual.status()).isEqualTo(200);
        assertThat(actual.header("Access-Control-Allow-Origin")).isNull();
    }
}
