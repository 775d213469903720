package dev.pronto.inference.toolkit;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Fails with {@link LimitExceededException} once more than a given number of bytes has been read:
 * for reading untrusted input (model files, request bodies, decompressed pickles) without trusting
 * its declared size. Not thread-safe, like the stream it wraps.
 */
public final class BoundedInputStream extends FilterInputStream {

    private final long limit;
    private long count;

    /** Wraps {@code in}, allowing at most {@code limit} bytes to be read or skipped. */
    public BoundedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        count(skipped);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        // a reset would make the count wrong
        return false;
    }

    private void count(long n) throws LimitExceededException {
        count += n;
        if (count > limit) {
            throw new LimitExceededException();
        }
    }

    /** Thrown by reads past the limit. */
    public static final class LimitExceededException extends IOException {

        LimitExceededException() {
            super("size limit exceeded");
        }
    }
}
