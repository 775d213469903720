package dev.pronto.inference.batch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.pronto.inference.ErrorCategory;

/**
 * CSV as RFC 4180 writes it (quotes around cells holding commas, quotes or line breaks, a quote
 * doubled inside them), read row by row from UTF-8 bytes. Line ends may be {@code \n}, {@code \r\n}
 * or {@code \r}; blank lines are skipped. An unquoted empty cell, {@code NA} or {@code N/A} is a
 * missing value (null), as pandas reads them; a quoted cell is always text.
 *
 * <p>It parses whole rows in memory: a stream is cut into chunks of rows by a {@link ChunkSplitter},
 * and {@link BatchScorer} hands single chunks to reader instances on its worker threads. Cells are
 * read from the bytes in place: numbers are parsed without a String per cell.
 *
 * <p>Problems and their status: a row with the wrong number of cells, or text after a closing quote,
 * is {@code INVALID_REQUEST} and skippable; a cell that is not a number for a numeric field is
 * {@code INVALID_RECORD} and skippable; a quote never closed is {@code INVALID_REQUEST} and ends the input.
 */
final class CsvRecordReader implements RecordReader {

    /** Rows per chunk when reading a stream. */
    private static final int STREAM_ROWS = 1000;

    /**
     * The columns of the rows: their names and how their cells are read.
     *
     * @param fromHeader whether a header row named them (else they are the model's inputs), for messages
     */
    record Columns(List<String> names, CellTypes.Kind[] kinds, boolean fromHeader) {
        static Columns of(List<String> names, CellTypes types, boolean fromHeader) {
            CellTypes.Kind[] kinds = new CellTypes.Kind[names.size()];
            for (int c = 0; c < names.size(); c++) {
                kinds[c] = types.kind(names.get(c));
            }
            return new Columns(List.copyOf(names), kinds, fromHeader);
        }
    }

    private final ChunkSplitter source;
    private final CellTypes types;
    private Columns columns;
    private byte[] buffer = new byte[0];
    private int position;
    private int limit;
    /** The line the scanner is on, counting from 1. */
    private long currentLine = 1;
    private long recordLine;
    private int records;

    // the row being scanned: cell i is buffer[starts[i], ends[i]), unescaped in place
    private int cellCount;
    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private boolean[] quoted = new boolean[16];

    /** A reader of a whole stream; with {@code header}, the first row names the columns. */
    CsvRecordReader(InputStream in, CellTypes types, boolean header) {
        this.source = new ChunkSplitter(in, true);
        this.types = types;
        this.columns = header ? null : Columns.of(types.inputOrder(), types, false);
    }

    /** A reader of one chunk's rows, in columns already known. */
    CsvRecordReader(ChunkSplitter.Chunk chunk, Columns columns) {
        this.source = null;
        this.types = null;
        this.columns = columns;
        load(chunk);
    }

    /**
     * The columns a header chunk names, or {@code null} when it holds no row (an empty input).
     *
     * @throws BadRecordException when the header is not a row, or names a column twice
     */
    static Columns header(ChunkSplitter.Chunk chunk, CellTypes types) {
        CsvRecordReader reader = new CsvRecordReader(chunk, null);
        return reader.readRow() ? reader.headerColumns(types) : null;
    }

    @Override
    public Map<String, Object> next() throws IOException {
        if (columns == null) {
            ChunkSplitter.Chunk first = source.next(1);
            if (first == null) {
                return null;
            }
            load(first);
            if (!readRow()) {
                return null;
            }
            columns = headerColumns(types);
        }
        while (!readRow()) {
            ChunkSplitter.Chunk chunk = source == null ? null : source.next(STREAM_ROWS);
            if (chunk == null) {
                return null;
            }
            load(chunk);
        }
        int index = records++;
        List<String> names = columns.names();
        if (cellCount != names.size()) {
            throw new BadRecordException(ErrorCategory.INVALID_REQUEST, recordLine, null, index, cellCount
                    + " cells, but " + (columns.fromHeader() ? "the header names " : "the model reads ") + names.size()
                    + " columns", true);
        }
        Map<String, Object> record = new HashMap<>(names.size() * 2);
        CellTypes.Kind[] kinds = columns.kinds();
        for (int c = 0; c < names.size(); c++) {
            int from = starts[c];
            int to = ends[c];
            if (!quoted[c] && missing(from, to)) {
                record.put(names.get(c), null);
                continue;
            }
            Object value = CellTypes.value(kinds[c], buffer, from, to);
            if (value == null) {
                throw new BadRecordException(ErrorCategory.INVALID_RECORD, recordLine, names.get(c), index, "expected "
                        + CellTypes.describe(kinds[c]) + ", got \"" + text(from, to) + "\"", true);
            }
            record.put(names.get(c), value);
        }
        return record;
    }

    @Override
    public long line() {
        return recordLine;
    }

    private void load(ChunkSplitter.Chunk chunk) {
        buffer = chunk.bytes();
        position = 0;
        limit = buffer.length;
        currentLine = chunk.firstLine();
    }

    private Columns headerColumns(CellTypes types) {
        Set<String> seen = new HashSet<>();
        String[] names = new String[cellCount];
        for (int c = 0; c < cellCount; c++) {
            names[c] = text(starts[c], ends[c]);
            if (!seen.add(names[c])) {
                throw new BadRecordException(ErrorCategory.INVALID_REQUEST, recordLine, names[c], -1,
                        "the header names the column twice", false);
            }
        }
        return Columns.of(List.of(names), types, true);
    }

    /** An unquoted empty cell, NA or N/A. */
    private boolean missing(int from, int to) {
        int length = to - from;
        return length == 0
                || length == 2 && buffer[from] == 'N' && buffer[from + 1] == 'A'
                || length == 3 && buffer[from] == 'N' && buffer[from + 1] == '/' && buffer[from + 2] == 'A';
    }

    private String text(int from, int to) {
        return new String(buffer, from, to - from, StandardCharsets.UTF_8);
    }

    /** Scans the next non-blank row of the chunk into the cells; false at the chunk's end. */
    private boolean readRow() {
        cellCount = 0;
        while (position < limit && (buffer[position] == '\n' || buffer[position] == '\r')) {
            lineBreak();
        }
        if (position >= limit) {
            return false;
        }
        recordLine = currentLine;
        String problem = null;
        while (true) {
            int from = position;
            if (position < limit && buffer[position] == '"') {
                quotedCell();
                if (!atCellEnd()) {
                    problem = "text after the closing quote of cell " + cellCount;
                    while (!atCellEnd()) {
                        position++;
                    }
                }
            } else {
                while (!atCellEnd()) {
                    position++;
                }
                addCell(from, position, false);
            }
            if (position == limit || buffer[position] != ',') {
                break;
            }
            position++;
        }
        if (position < limit) {
            lineBreak();
        }
        if (problem != null) {
            throw new BadRecordException(ErrorCategory.INVALID_REQUEST, recordLine, null, records++, problem, true);
        }
        return true;
    }

    private boolean atCellEnd() {
        if (position == limit) {
            return true;
        }
        byte b = buffer[position];
        return b == ',' || b == '\n' || b == '\r';
    }

    /**
     * Reads a quoted cell from its opening quote to just after its closing quote, unescaping doubled
     * quotes in place. A chunk ends outside quotes unless the input ended, so its end is an unclosed quote.
     */
    private void quotedCell() {
        position++;
        int from = position;
        int write = position;
        while (true) {
            if (position == limit) {
                throw new BadRecordException(ErrorCategory.INVALID_REQUEST, recordLine, null, records,
                        "a quoted cell opened on this line is never closed (unbalanced quotes)", false);
            }
            byte b = buffer[position++];
            if (b == '"') {
                if (position == limit || buffer[position] != '"') {
                    break;
                }
                position++;
            } else if (b == '\n' || b == '\r' && (position == limit || buffer[position] != '\n')) {
                currentLine++;
            }
            buffer[write++] = b;
        }
        addCell(from, write, true);
    }

    private void addCell(int from, int to, boolean isQuoted) {
        if (cellCount == starts.length) {
            starts = Arrays.copyOf(starts, cellCount * 2);
            ends = Arrays.copyOf(ends, cellCount * 2);
            quoted = Arrays.copyOf(quoted, cellCount * 2);
        }
        starts[cellCount] = from;
        ends[cellCount] = to;
        quoted[cellCount++] = isQuoted;
    }

    /** Steps over a line break ({@code \r\n} as one). */
    private void lineBreak() {
        byte b = buffer[position++];
        currentLine++;
        if (b == '\r' && position < limit && buffer[position] == '\n') {
            position++;
        }
    }

    @Override
    public void close() throws IOException {
        if (source != null) {
            source.close();
        }
    }
}
