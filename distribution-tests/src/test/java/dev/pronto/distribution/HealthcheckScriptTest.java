package dev.pronto.distribution;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the image's HEALTHCHECK script against a real HTTP socket on this machine: healthy exactly
 * when {@code /health/ready} answers 200.
 */
class HealthcheckScriptTest {
    private final AtomicInteger readyStatus = new AtomicInteger(200);
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/health/ready", exchange -> {
            exchange.sendResponseHeaders(readyStatus.get(), -1);
            exchange.close();
        });
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void healthyWhenReadyAnswers200() throws Exception {
        assertThat(runHealthcheck(server.getAddress().getPort())).isZero();
    }

    @Test
    void unhealthyWhenReadyAnswers503() throws Exception {
        readyStatus.set(503);
        assertThat(runHealthcheck(server.getAddress().getPort())).isEqualTo(1);
    }

    @Test
    void unhealthyWhenNothingListens() throws Exception {
        int port = server.getAddress().getPort();
        server.stop(0);
        assertThat(runHealthcheck(port)).isNotZero();
    }

    private static int runHealthcheck(int port) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", ProjectLayout.root().resolve("deploy/docker/healthcheck.sh").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PORT", Integer.toString(port));
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("healthcheck.sh finished").isTrue();
        return process.exitValue();
    }
}
