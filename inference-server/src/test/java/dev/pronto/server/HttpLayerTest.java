package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * Issue 13 findings 7, 8 and 9 over real sockets: every refusal of the HTTP layer has an access log
 * line with its request id, compressed bodies are decoded within the size limit, and a body over the
 * limit is answered 413 in a way clients that send it whole still read.
 */
class HttpLayerTest {

    private static final long MAX_BODY = 4096;
    private static final String ACCESS = "dev.pronto.server.access";

    @TempDir
    static Path root;
    private static TestServer server;

    @BeforeAll
    static void start() {
        TestServer.copy(TestServer.IRIS, root, "iris/model.pmml");
        server = TestServer.overFolder(root, ServerSettings.defaults().withLimits(MAX_BODY, 100, Duration.ofSeconds(30)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Finding 7: 400, 414, 431 and 505 from Jetty carried a request id that the access log never showed. */
    @Test
    void refusalsOfTheHttpLayerHaveAnAccessLogLine() throws Exception {
        ListAppender<ILoggingEvent> log = FailureIsolationTest.capture(ACCESS);
        ch.qos.logback.classic.Logger access = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ACCESS);
        ch.qos.logback.classic.Level before = access.getLevel();
        access.setLevel(ch.qos.logback.classic.Level.INFO);
        try {
            List<String> requests = List.of(
                    "GET /%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                    "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                    "GET /ping HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "a".repeat(64 * 1024) + "\r\nConnection: close\r\n\r\n",
                    "GET /ping HTTP/3.0\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            for (String request : requests) {
                String answer = server.raw(request);
                int status = Integer.parseInt(answer.substring(9, 12));
                assertThat(status).isIn(400, 414, 431, 505);
                String id = answer.lines().filter(line -> line.toLowerCase().startsWith("x-request-id:"))
                        .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElseThrow();
                long lines = 0;
                for (int i = 0; i < 50 && lines == 0; i++) {
                    lines = log.list.stream().filter(e -> e.getFormattedMessage().contains("id=" + id)).count();
                    Thread.sleep(20);
                }
                assertThat(lines).as(answer).isEqualTo(1);
                assertThat(log.list.stream().filter(e -> e.getFormattedMessage().contains("id=" + id))
                        .findFirst().orElseThrow().getFormattedMessage()).contains(" " + status + " ");
            }
        } finally {
            access.setLevel(before);
            FailureIsolationTest.release(log, ACCESS);
        }
    }

    /** Finding 8: a gzip body got 400 malformed_json. */
    @Test
    void gzipAndDeflateBodiesAreDecoded() {
        byte[] json = TestServer.SEED_EXAMPLE.getBytes(StandardCharsets.UTF_8);
        for (String encoding : List.of("gzip", "deflate")) {
            TestServer.Response response = server.send(HttpRequest.newBuilder(server.base.resolve("/invocations"))
                    .header("Content-Type", "application/json").header("Content-Encoding", encoding)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(compress(json, encoding))));

            assertThat(response.status()).as(encoding + ": " + response.body()).isEqualTo(200);
            assertThat(response.json().get("predictions").toString()).isEqualTo("[0,2]");
        }
    }

    /** Finding 8: {@code Content-Encoding: br} on a plain body got 200, read as if it were not encoded. */
    @Test
    void otherEncodingsAre415() {
        TestServer.Response response = server.send(HttpRequest.newBuilder(server.base.resolve("/invocations"))
                .header("Content-Type", "application/json").header("Content-Encoding", "br")
                .POST(HttpRequest.BodyPublishers.ofString(TestServer.SEED_EXAMPLE)));

        TestServer.assertError(response, 415, "unsupported_encoding", null, null);
    }

    /** The size limit holds for the decoded bytes: a small gzip body cannot expand past it. */
    @Test
    void decodedBytesOverTheLimitAre413() {
        String large = TestServer.SEED_EXAMPLE.replace("\"implementation\"", "\"pad\": \"" + " ".repeat(100_000)
                + "\", \"implementation\"");
        byte[] gzip = compress(large.getBytes(StandardCharsets.UTF_8), "gzip");
        assertThat((long) gzip.length).isLessThan(MAX_BODY);

        TestServer.Response response = server.send(HttpRequest.newBuilder(server.base.resolve("/invocations"))
                .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip)));

        TestServer.assertError(response, 413, "body_too_large", null, null);
    }

    @Test
    void corruptCompressedBodyIs400() {
        TestServer.Response response = server.send(HttpRequest.newBuilder(server.base.resolve("/invocations"))
                .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofString(TestServer.SEED_EXAMPLE)));

        TestServer.assertError(response, 400, "malformed_body", null, null);
    }

    /**
     * Finding 9: a client that sends a too-large body whole before reading (urllib, requests) saw a
     * broken pipe, as the server closed at once; it now reads the 413.
     */
    @Test
    void tooLargeBodySentWholeStillReadsThe413() throws Exception {
        byte[] body = new byte[8 * 1024 * 1024];
        java.util.Arrays.fill(body, (byte) ' ');
        try (RawHttp connection = new RawHttp(server.base.getPort())) {
            connection.send(RawHttp.postHead(body.length));
            for (int offset = 0; offset < body.length; offset += 64 * 1024) {
                connection.send(java.util.Arrays.copyOfRange(body, offset, offset + 64 * 1024));
            }
            RawHttp.Answer answer = connection.read();

            assertThat(answer.status()).isEqualTo(413);
            assertThat(answer.body()).contains("\"code\":\"body_too_large\"");
            assertThat(answer.header("Connection")).isEqualTo("close");
        }
    }

    static byte[] compress(byte[] data, String encoding) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var compressing = encoding.equals("gzip") ? new GZIPOutputStream(out) : new DeflaterOutputStream(out)) {
            compressing.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
