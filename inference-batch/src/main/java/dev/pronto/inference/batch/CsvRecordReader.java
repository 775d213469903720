package dev.pronto.inference.batch;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.pronto.inference.ErrorCategory;

/**
 * CSV as RFC 4180 writes it (quotes around cells holding commas, quotes or line breaks, a quote
 * doubled inside them), read row by row. Line ends may be {@code \n}, {@code \r\n} or {@code \r};
 * blank lines are skipped. An unquoted empty cell, {@code NA} or {@code N/A} is a missing value
 * (null), as pandas reads them; a quoted cell is always text.
 *
 * <p>Problems and their status: a row with the wrong number of cells, or text after a closing quote,
 * is {@code INVALID_REQUEST} and skippable; a cell that is not a number for a numeric field is
 * {@code INVALID_RECORD} and skippable; a quote never closed is {@code INVALID_REQUEST} and ends the input.
 */
final class CsvRecordReader implements RecordReader {

    private static final Set<String> MISSING = Set.of("", "NA", "N/A");
    private static final int END = -1;

    private final Reader in;
    private final CellTypes types;
    private final char[] buffer = new char[64 * 1024];
    private int position;
    private int limit;
    /** The line the scanner is on, counting from 1. */
    private long currentLine = 1;
    private long recordLine;
    private int records;
    private List<String> columns;
    private CellTypes.Kind[] kinds;
    private final boolean header;

    // the row being scanned: cells and whether each was quoted
    private final List<String> cells = new ArrayList<>();
    private final List<Boolean> quoted = new ArrayList<>();
    private final StringBuilder cell = new StringBuilder();

    CsvRecordReader(Reader in, CellTypes types, boolean header) {
        this.in = in;
        this.types = types;
        this.header = header;
    }

    @Override
    public Map<String, Object> next() throws IOException {
        if (columns == null && !readColumns()) {
            return null;
        }
        if (!readRow()) {
            return null;
        }
        int index = records++;
        if (cells.size() != columns.size()) {
            throw new BadRecordException(ErrorCategory.INVALID_REQUEST, recordLine, null, index, cells.size()
                    + " cells, but " + (header ? "the header names " : "the model reads ") + columns.size()
                    + " columns", true);
        }
        Map<String, Object> record = new HashMap<>(columns.size() * 2);
        for (int c = 0; c < columns.size(); c++) {
            String text = cells.get(c);
            if (!quoted.get(c) && MISSING.contains(text)) {
                record.put(columns.get(c), null);
                continue;
            }
            Object value = CellTypes.value(kinds[c], text);
            if (value == null) {
                throw new BadRecordException(ErrorCategory.INVALID_RECORD, recordLine, columns.get(c), index, "expected "
                        + CellTypes.describe(kinds[c]) + ", got \"" + text + "\"", true);
            }
            record.put(columns.get(c), value);
        }
        return record;
    }

    @Override
    public long line() {
        return recordLine;
    }

    private boolean readColumns() throws IOException {
        if (!header) {
            setColumns(types.inputOrder());
            return true;
        }
        if (!readRow()) {
            return false;
        }
        Set<String> seen = new HashSet<>();
        for (String name : cells) {
            if (!seen.add(name)) {
                throw new BadRecordException(ErrorCategory.INVALID_REQUEST, recordLine, name, -1,
                        "the header names the column twice", false);
            }
        }
        setColumns(List.copyOf(cells));
        return true;
    }

    private void setColumns(List<String> names) {
        columns = names;
        kinds = new CellTypes.Kind[names.size()];
        for (int c = 0; c < names.size(); c++) {
            kinds[c] = types.kind(names.get(c));
        }
    }

    /** Scans the next non-blank row into {@link #cells}; false at the end of the input. */
    private boolean readRow() throws IOException {
        cells.clear();
        quoted.clear();
        int ch = read();
        while (ch == '\n' || ch == '\r') {
            lineBreak(ch);
            ch = read();
        }
        if (ch == END) {
            return false;
        }
        recordLine = currentLine;
        String problem = null;
        while (true) {
            cell.setLength(0);
            boolean isQuoted = ch == '"';
            if (isQuoted) {
                ch = quotedCell();
                while (ch != ',' && ch != '\n' && ch != '\r' && ch != END) {
                    problem = problem != null ? problem : "text after the closing quote of cell " + (cells.size() + 1);
                    ch = read();
                }
            } else {
                while (ch != ',' && ch != '\n' && ch != '\r' && ch != END) {
                    cell.append((char) ch);
                    ch = read();
                }
            }
            cells.add(cell.toString());
            quoted.add(isQuoted);
            if (ch != ',') {
                break;
            }
            ch = read();
        }
        if (ch != END) {
            lineBreak(ch);
        }
        if (problem != null) {
            throw new BadRecordException(ErrorCategory.INVALID_REQUEST, recordLine, null, records++, problem, true);
        }
        return true;
    }

    /** Reads a quoted cell after its opening quote; returns the character after the closing quote. */
    private int quotedCell() throws IOException {
        while (true) {
            int ch = read();
            if (ch == END) {
                throw new BadRecordException(ErrorCategory.INVALID_REQUEST, recordLine, null, records,
                        "a quoted cell opened on this line is never closed (unbalanced quotes)", false);
            }
            if (ch == '"') {
                int next = read();
                if (next != '"') {
                    return next;
                }
            } else if (ch == '\n' || (ch == '\r' && peek() != '\n')) {
                currentLine++;
            }
            cell.append((char) ch);
        }
    }

    /** Finishes a line break that started with {@code ch} (the {@code \n} of a {@code \r\n}). */
    private void lineBreak(int ch) throws IOException {
        currentLine++;
        if (ch == '\r' && peek() == '\n') {
            position++;
        }
    }

    private int read() throws IOException {
        if (position == limit && !fill()) {
            return END;
        }
        return buffer[position++];
    }

    private int peek() throws IOException {
        if (position == limit && !fill()) {
            return END;
        }
        return buffer[position];
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
