package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.pronto.server.security.BearerTokens;
import dev.pronto.server.security.Role;
import dev.pronto.server.security.SecuritySettings;

/**
 * Bearer tokens over a real socket: 401 without a token or with an unknown one, 403 for a score
 * token on an admin endpoint, 200 with the right one; probes stay open; no token reaches a log.
 */
class BearerTokensOverHttpTest {

    private static final String SCORE_TOKEN = "score-7f3a9c2e1b5d4a60";
    private static final String ADMIN_TOKEN = "admin-0c9e8d7b6a5f4e31";

    @TempDir
    static Path root;
    private static TestServer server;

    @BeforeAll
    static void start() {
        BearerTokens tokens = BearerTokens.of(Map.of(
                Role.SCORE, List.of(BearerTokens.hash(SCORE_TOKEN)),
                Role.ADMIN, List.of("sha256:" + BearerTokens.hash(ADMIN_TOKEN).toUpperCase())));
        server = TestServer.iris(root, AppOptions.defaults().withSecurity(SecuritySettings.off().withTokens(tokens)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TestServer.Response invoke(String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.base.resolve("/invocations"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(TestServer.SEED_EXAMPLE, StandardCharsets.UTF_8));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return server.send(request);
    }

    private static TestServer.Response get(String path, String token) {
        return server.send(HttpRequest.newBuilder(server.base.resolve(path)).header("Authorization", "Bearer " + token).GET());
    }

    @Test
    void scoringWithoutATokenIs401WithABearerChallenge() {
        TestServer.Response response = invoke(null);

        TestServer.assertError(response, 401, "unauthorized", null, null);
        assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"pronto\"");
        assertThat(response.error().get("message").asText()).contains("Authorization: Bearer");
    }

    @Test
    void anUnknownTokenOrAnotherSchemeIs401() {
        TestServer.Response unknown = invoke("Bearer not-a-token-we-know");
        TestServer.Response basic = invoke("Basic dXNlcjpwYXNz");

        TestServer.assertError(unknown, 401, "unauthorized", null, null);
        assertThat(unknown.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"pronto\", error=\"invalid_token\"");
        assertThat(unknown.body()).doesNotContain("not-a-token-we-know");
        TestServer.assertError(basic, 401, "unauthorized", null, null);
    }

    @Test
    void aScoreTokenScoresAndTheSchemeIsCaseInsensitive() {
        TestServer.Response response = invoke("Bearer " + SCORE_TOKEN);
        TestServer.Response lowerCase = invoke("bearer " + SCORE_TOKEN);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("predictions").toString()).isEqualTo("[0,2]");
        assertThat(lowerCase.status()).isEqualTo(200);
    }

    @Test
    void aScoreTokenOnAnAdminEndpointIs403NamingTheRoles() {
        TestServer.Response models = get("/models", SCORE_TOKEN);
        TestServer.Response model = get("/models/iris", SCORE_TOKEN);

        TestServer.assertError(models, 403, "forbidden", null, null);
        assertThat(models.error().get("message").asText()).isEqualTo(
                "the bearer token has the score role; GET /models needs the admin role");
        TestServer.assertError(model, 403, "forbidden", null, null);
    }

    @Test
    void anAdminTokenReadsModelsAndScoresToo() {
        TestServer.Response models = get("/models/iris", ADMIN_TOKEN);
        TestServer.Response scored = invoke("Bearer " + ADMIN_TOKEN);

        assertThat(models.status()).as(models.body()).isEqualTo(200);
        assertThat(models.json().get("name").asText()).isEqualTo("iris");
        assertThat(scored.status()).isEqualTo(200);
    }

    @Test
    void probesStayOpen() {
        assertThat(server.get("/ping").status()).isEqualTo(200);
        assertThat(server.get("/health/live").status()).isEqualTo(200);
        assertThat(server.get("/health/ready").status()).isEqualTo(200);
    }

    @Test
    void anUnknownPathNeedsTheAdminRoleSoNoEndpointIsOpenByAccident() {
        TestServer.assertError(server.get("/nothing-here"), 401, "unauthorized", null, null);
        TestServer.assertError(get("/nothing-here", SCORE_TOKEN), 403, "forbidden", null, null);
        TestServer.assertError(get("/nothing-here", ADMIN_TOKEN), 404, "not_found", null, null);
    }

    /**
     * Our loggers at DEBUG, everything else at INFO. (Jetty's own DEBUG logging prints request headers,
     * bearer tokens included: docs/security.md says to keep {@code org.eclipse.jetty} at INFO or above.)
     */
    @Test
    void noTokenReachesTheLogsEvenAtDebug() {
        Logger rootLogger = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger ours = (Logger) LoggerFactory.getLogger("dev.pronto");
        Level level = rootLogger.getLevel();
        Level ourLevel = ours.getLevel();
        List<String> lines = new CopyOnWriteArrayList<>();
        AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                lines.add(event.getFormattedMessage() + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage()));
            }
        };
        capture.start();
        rootLogger.addAppender(capture);
        rootLogger.setLevel(Level.INFO);
        ours.setLevel(Level.DEBUG);
        try {
            invoke("Bearer " + SCORE_TOKEN);
            invoke("Bearer wrong-" + ADMIN_TOKEN);
            get("/models", SCORE_TOKEN);
            get("/models", ADMIN_TOKEN);
        } finally {
            rootLogger.setLevel(level);
            ours.setLevel(ourLevel);
            rootLogger.detachAppender(capture);
        }

        assertThat(lines).anyMatch(line -> line.contains("/invocations"));
        assertThat(lines).noneMatch(line -> line.contains(SCORE_TOKEN) || line.contains(ADMIN_TOKEN));
    }
}
