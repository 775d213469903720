package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 findings 1 and 2 over real sockets: clients that send bodies slowly, or many large bodies
 * at once, get 503 (with {@code Retry-After}) or 408 instead of freezing the server or exhausting
 * its heap, and the probes keep answering meanwhile.
 */
class AdmissionTest {

    @TempDir
    Path root;

    /** Finding 1: about 250 connections sending a body a byte at a time froze every endpoint. */
    @Test
    void slowBodiesLeaveThreadsForHealth() throws Exception {
        TestServer.copy(TestServer.IRIS, root, "iris/model.pmml");
        List<RawHttp> slow = new ArrayList<>();
        try (TestServer server = TestServer.overFolder(root, ServerSettings.defaults())) {
            for (int i = 0; i < 270; i++) {
                RawHttp connection = new RawHttp(server.base.getPort());
                slow.add(connection);
                connection.send(RawHttp.postHead(1000) + "{");
            }
            Thread.sleep(1000);

            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> live = client.send(HttpRequest.newBuilder(URI.create(server.base + "/health/live"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(live.statusCode()).isEqualTo(200);

            // those beyond the bound were answered at once, without their body
            List<RawHttp> answered = new ArrayList<>();
            for (RawHttp connection : slow) {
                if (connection.socket.getInputStream().available() > 0) {
                    answered.add(connection);
                }
            }
            assertThat(answered).hasSizeGreaterThanOrEqualTo(270 - ProtectionSettings.DEFAULT_MAX_CONCURRENT_INVOCATIONS - 10);
            RawHttp.Answer refused = answered.get(0).read();
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isNotBlank();
            assertThat(refused.body()).contains("\"code\":\"overloaded\"");
        } finally {
            slow.forEach(RawHttp::close);
        }
    }

    /** A body sent slower than the minimum rate is cut off with 408 once the grace period is over. */
    @Test
    void bodySlowerThanMinimumRateIs408() throws Exception {
        Trickled trickled = trickle(RawHttp.postHead(1000), "{", 40);

        assertRefusedAsTooSlow(trickled.answer());
        assertThat(trickled.afterHead()).isLessThan(Duration.ofSeconds(5));
    }

    /**
     * The same for a CSV body, which is read after its model is found: 408, where the exception escaped the
     * record path as a 500 before.
     */
    @Test
    void csvBodySlowerThanMinimumRateIs408Too() throws Exception {
        Trickled trickled = trickle("POST /invocations?pipelineFilename=iris/model.pmml HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: text/csv\r\nContent-Length: 1000\r\n\r\n", "sepal_length", 150);

        assertRefusedAsTooSlow(trickled.answer());
    }

    /** The answer to a trickled body, and how long after the request's head it came. */
    private record Trickled(RawHttp.Answer answer, Duration afterHead) {
    }

    /**
     * Against a server that wants 100 bytes a second after a second: sends the head and the body's start, then
     * a byte every 200 ms until the server answers, at most {@code bytes} of them.
     */
    private Trickled trickle(String head, String start, int bytes) throws Exception {
        TestServer.copy(TestServer.IRIS, root, "iris/model.pmml");
        ProtectionSettings protection = ProtectionSettings.defaults().withMinBodyRate(100, Duration.ofSeconds(1));
        try (TestServer server = TestServer.overFolder(root, AppOptions.defaults().withProtection(protection), Map.of());
                RawHttp connection = new RawHttp(server.base.getPort())) {
            connection.send(head);
            long started = System.nanoTime();
            RawHttp.Answer answer = null;
            connection.send(start);
            for (int i = 0; i < bytes && answer == null; i++) {
                connection.send(" ");
                Thread.sleep(200);
                if (connection.socket.getInputStream().available() > 0) {
                    answer = connection.read();
                }
            }
            return new Trickled(answer, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private static void assertRefusedAsTooSlow(RawHttp.Answer answer) {
        assertThat(answer).isNotNull();
        assertThat(answer.status()).isEqualTo(408);
        assertThat(answer.body()).contains("\"code\":\"body_too_slow\"");
        assertThat(answer.header("Connection")).isEqualTo("close");
    }

    /** Finding 2: large requests in parallel ran the heap out; past the byte bound they now wait outside. */
    @Test
    void requestsPastTheByteBoundAre503UntilOthersFinish() throws Exception {
        TestServer.copy(TestServer.IRIS, root, "iris/model.pmml");
        byte[] body = irisBody(600);
        ServerSettings settings = ServerSettings.defaults().withLimits(body.length + 1000, 10_000, Duration.ofSeconds(30));
        ProtectionSettings protection = ProtectionSettings.defaults().withInFlight(100, body.length * 3L / 2);
        try (TestServer server = TestServer.overFolder(root, AppOptions.of(settings).withProtection(protection), Map.of());
                RawHttp first = new RawHttp(server.base.getPort())) {
            first.send(RawHttp.postHead(body.length));
            first.send(java.util.Arrays.copyOf(body, body.length / 2));
            // a head start, so that the first is admitted (and holds its bytes) before the second arrives
            Thread.sleep(2000);

            try (RawHttp second = new RawHttp(server.base.getPort())) {
                second.send(RawHttp.postHead(body.length));
                second.send(java.util.Arrays.copyOf(body, body.length / 2));
                RawHttp.Answer refused = second.read();
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.header("Retry-After")).isNotBlank();
                assertThat(refused.body()).contains("\"code\":\"overloaded\"");
            }

            first.send(java.util.Arrays.copyOfRange(body, body.length / 2, body.length));
            assertThat(first.read().status()).isEqualTo(200);
            assertThat(server.post("/invocations", new String(body, StandardCharsets.UTF_8)).status()).isEqualTo(200);
        }
    }

    /** A seed request of {@code records} iris records. */
    static byte[] irisBody(int records) {
        StringBuilder payload = new StringBuilder("{\"pipelineFilename\": \"iris/model.pmml\", \"implementation\": \"x\", "
                + "\"payload\": [");
        for (int i = 0; i < records; i++) {
            payload.append(i == 0 ? "" : ",").append("{\"sepal_length\": 5.1, \"sepal_width\": 3.5, "
                    + "\"petal_length\": 1.4, \"petal_width\": 0.2}");
        }
        return payload.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
