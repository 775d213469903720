package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The minimum body rate counts the time the server waits for a body's bytes, not the time it spends elsewhere. */
class RequestBodiesTest {

    private static final long MIN_RATE = 1024;

    @Test
    void aBodyThatHasArrivedIsNotTooSlowHoweverLateTheServerReadsIt() throws Exception {
        byte[] csv = "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n".getBytes(StandardCharsets.UTF_8);
        InputStream body = RequestBodies.open(new ByteArrayInputStream(csv), null, MIN_RATE, Duration.ofSeconds(1).toNanos());

        // the server busy past the grace period before its first read, as when the CSV's model loads first
        // (RecordInvocationsTest got 408 body_too_slow for its first request on a loaded machine)
        Thread.sleep(1500);

        assertThat(body.readAllBytes()).isEqualTo(csv);
    }

    @Test
    void aClientThatSendsTooSlowlyIsStillCutOff() {
        InputStream body = RequestBodies.open(new Trickle(), null, MIN_RATE, Duration.ofMillis(100).toNanos());

        // a byte every 20 ms is 50 bytes per second: refused once the reads have waited past the grace period
        assertThatThrownBy(() -> body.readNBytes(10_000)).isInstanceOf(RequestBodies.TooSlowException.class)
                .hasMessage("the request body arrived slower than 1024 bytes per second");
    }

    /** A socket whose client sends one byte every 20 ms: each read waits for it. */
    private static final class Trickle extends InputStream {
        @Override
        public int read() throws IOException {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            return ' ';
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            buffer[offset] = (byte) read();
            return 1;
        }
    }
}
