package dev.pronto.inference.batch;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import dev.pronto.inference.ErrorCategory;

/**
 * Cuts a stream of CSV or JSON Lines bytes into chunks of whole rows without parsing them, so that
 * parsing can happen on other threads. A chunk ends after a line break outside any quoted cell: for
 * CSV the scanner follows the quoting exactly as {@link CsvRecordReader} reads it (a quote opens a
 * cell only at its start, a doubled quote inside stays inside), so a quoted line break never ends a
 * chunk. It counts line breaks ({@code \n}, {@code \r\n}, {@code \r}) as the readers do, so each
 * chunk knows the line it starts on and error messages keep the input's line numbers.
 *
 * <p>Memory stays bounded: a chunk holds at most the rows asked for and is cut early past
 * {@value #CHUNK_BYTES} bytes; one row longer than {@value #MAX_ROW_BYTES} bytes (an unclosed quote
 * swallowing the rest of a large file) is refused instead of buffered.
 *
 * <p>Not thread-safe: one thread reads.
 */
final class ChunkSplitter {

    /** Bytes after which a chunk ends at the next row boundary, whatever its row count. */
    static final int CHUNK_BYTES = 512 * 1024;
    /** The longest row kept in memory. */
    static final int MAX_ROW_BYTES = 64 * 1024 * 1024;

    /** Rows of input with the line of their first byte (1-based, as editors count). */
    record Chunk(byte[] bytes, long firstLine) {
    }

    // CSV quoting states between bytes
    private static final int CELL_START = 0;
    private static final int UNQUOTED = 1;
    private static final int QUOTED = 2;
    private static final int QUOTE_SEEN = 3;

    private final InputStream in;
    private final boolean quotes;
    private byte[] buffer = new byte[CHUNK_BYTES * 2];
    private int start;
    private int scanned;
    private int limit;
    private boolean eof;
    private int state = CELL_START;
    /** Whether the row being scanned has a byte other than line breaks (blank lines are not rows). */
    private boolean rowHasContent;
    private int rows;
    /** The line of {@code buffer[start]}, and of {@code buffer[scanned]}. */
    private long chunkLine = 1;
    private long line = 1;
    private long rowLine = 1;

    /**
     * @param quotes whether to follow CSV quoting (false for JSON Lines, whose strings hold no raw line breaks)
     */
    ChunkSplitter(InputStream in, boolean quotes) {
        this.in = in;
        this.quotes = quotes;
    }

    /**
     * The next chunk of at most {@code maxRows} non-blank rows, or {@code null} at the end of the input.
     * A chunk may hold blank lines only (at the end of the input).
     *
     * @throws BadRecordException for a row longer than {@value #MAX_ROW_BYTES} bytes (not skippable)
     */
    Chunk next(int maxRows) throws IOException {
        while (true) {
            while (scanned < limit) {
                byte b = buffer[scanned];
                if (b == '\n' || b == '\r') {
                    if (b == '\r') {
                        if (scanned + 1 == limit && !eof) {
                            break; // a \n may follow in the bytes not read yet
                        }
                        if (scanned + 1 < limit && buffer[scanned + 1] == '\n') {
                            scanned++; // the \n of this \r\n ends the line
                            continue;
                        }
                    }
                    scanned++;
                    line++;
                    if (state != QUOTED) {
                        state = CELL_START;
                        if (rowHasContent) {
                            rowHasContent = false;
                            rows++;
                        }
                        rowLine = line;
                        if (rows >= maxRows || scanned - start >= CHUNK_BYTES) {
                            return cut();
                        }
                    }
                    continue;
                }
                rowHasContent = true;
                if (quotes) {
                    state = step(state, b);
                }
                scanned++;
            }
            if (eof) {
                return scanned > start ? cut() : null;
            }
            fill();
        }
    }

    private static int step(int state, byte b) {
        return switch (state) {
            case CELL_START -> b == '"' ? QUOTED : b == ',' ? CELL_START : UNQUOTED;
            case QUOTED -> b == '"' ? QUOTE_SEEN : QUOTED;
            // a doubled quote stays in the cell; other text after a closing quote is the reader's error to report
            case QUOTE_SEEN -> b == '"' ? QUOTED : b == ',' ? CELL_START : UNQUOTED;
            default -> b == ',' ? CELL_START : UNQUOTED;
        };
    }

    private Chunk cut() {
        Chunk chunk = new Chunk(Arrays.copyOfRange(buffer, start, scanned), chunkLine);
        start = scanned;
        chunkLine = line;
        rows = 0;
        return chunk;
    }

    /** Reads more bytes, first making room: dropping what was cut, else growing up to the longest row. */
    private void fill() throws IOException {
        if (limit == buffer.length) {
            if (start > 0) {
                System.arraycopy(buffer, start, buffer, 0, limit - start);
                scanned -= start;
                limit -= start;
                start = 0;
            } else if (buffer.length >= MAX_ROW_BYTES) {
                throw new BadRecordException(ErrorCategory.INVALID_REQUEST, rowLine, null, -1, "the row is longer than "
                        + (MAX_ROW_BYTES >> 20) + " MiB" + (quotes ? " (is a quoted cell never closed?)" : ""), false);
            } else {
                buffer = Arrays.copyOf(buffer, Math.min(MAX_ROW_BYTES, buffer.length * 2));
            }
        }
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
    }

    /** Closes the stream. */
    void close() throws IOException {
        in.close();
    }
}
