package dev.pronto.server;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * Opens a request body for reading: decoded as its {@code Content-Encoding} says, and watched for a
 * client that sends it too slowly. The size limit is applied by the caller to the decoded bytes, so
 * a small compressed body cannot expand past it.
 */
final class RequestBodies {

    private RequestBodies() {
    }

    /** Whether the body is sent compressed, and so may decode to more bytes than it declares. */
    static boolean isEncoded(String contentEncoding) {
        return !encoding(contentEncoding).equals("identity");
    }

    /**
     * The body, decoded.
     *
     * @param contentEncoding the {@code Content-Encoding} header, or {@code null}
     * @throws ApiException 415 {@code unsupported_encoding} for an encoding other than {@code gzip},
     *     {@code deflate} or {@code identity}
     */
    static InputStream open(InputStream raw, String contentEncoding, long minBytesPerSecond, long graceNanos) {
        InputStream watched = minBytesPerSecond > 0 ? new MinimumRate(raw, minBytesPerSecond, graceNanos) : raw;
        return switch (encoding(contentEncoding)) {
            case "identity" -> watched;
            case "gzip", "x-gzip" -> gzip(watched);
            // HTTP's "deflate" is the zlib format (RFC 9110 §8.4.1.2), which InflaterInputStream reads
            case "deflate" -> new InflaterInputStream(watched);
            default -> throw new ApiException(415, "unsupported_encoding", "the request body's Content-Encoding \""
                    + contentEncoding.trim() + "\" is not supported; send it as gzip, deflate or unencoded");
        };
    }

    /**
     * A gzip stream, whose constructor already reads the header: what can go wrong then is answered as
     * the parser answers it later in the body.
     */
    private static InputStream gzip(InputStream body) {
        try {
            return new GZIPInputStream(body, 8192);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new ApiException(400, "malformed_body", "the request body could not be decoded as its Content-Encoding "
                    + "says: it is not gzip data", null, -1);
        } catch (TooSlowException e) {
            throw e.answer();
        } catch (IOException e) {
            throw new ApiException(400, "malformed_json", "the request body could not be read completely", null, -1);
        }
    }

    private static String encoding(String header) {
        if (header == null || header.isBlank()) {
            return "identity";
        }
        // one coding only: a chain of codings ("gzip, br") is refused as a whole, by its text
        return header.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Thrown when a body arrives slower than the minimum rate. Whoever reads the body turns it into
     * {@link #answer()}: as a plain {@link IOException} it would end as a 500.
     */
    static final class TooSlowException extends IOException {
        TooSlowException(String message) {
            super(message, null);
        }

        /** The answer: 408, and the connection closed, as the rest of the body is never read. */
        ApiException answer() {
            return new ApiException(408, "body_too_slow", getMessage() + "; the connection is closed", null, -1);
        }
    }

    /**
     * Fails a read once the body, after the grace period, has arrived at a lower average rate than
     * the minimum. Jetty's idle timeout restarts with every byte, so without this a client sending
     * a byte a second holds a thread for as long as it likes. The clock runs only while a read waits
     * for bytes: the time the server spends between reads (finding or loading the model that types a
     * CSV body before any of it is read, a busy CPU) is not the client's, and a body that has
     * arrived whole is never too slow however late it is read.
     */
    private static final class MinimumRate extends FilterInputStream {

        private final long minBytesPerSecond;
        private final long graceNanos;
        private long waitedNanos;
        private long received;

        MinimumRate(InputStream in, long minBytesPerSecond, long graceNanos) {
            super(in);
            this.minBytesPerSecond = minBytesPerSecond;
            this.graceNanos = graceNanos;
        }

        @Override
        public int read() throws IOException {
            long started = System.nanoTime();
            int b = super.read();
            count(b < 0 ? 0 : 1, started);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            long started = System.nanoTime();
            int n = super.read(buffer, offset, length);
            count(Math.max(n, 0), started);
            return n;
        }

        private void count(long n, long started) throws TooSlowException {
            received += n;
            waitedNanos += System.nanoTime() - started;
            if (waitedNanos > graceNanos && received < minBytesPerSecond * (waitedNanos / 1_000_000_000.0)) {
                throw new TooSlowException("the request body arrived slower than " + minBytesPerSecond
                        + " bytes per second");
            }
        }
    }
}
