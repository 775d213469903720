package dev.pronto.inference.batch;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;

import dev.pronto.inference.Prediction;

/**
 * Writes predictions row by row as CSV (a header row, then RFC 4180 rows; missing values as empty
 * cells) or JSON Lines (one object per row with the same keys, missing values as null), in the
 * columns of {@link PredictionColumns}. Numbers keep their full precision; integer labels stay integers.
 *
 * <p>Not thread-safe. Closing flushes and closes the stream.
 */
public abstract sealed class PredictionWriter implements Flushable, Closeable {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    final PredictionColumns columns;

    private PredictionWriter(PredictionColumns columns) {
        this.columns = columns;
    }

    /** A writer of the format to the stream, UTF-8; a CSV writer writes the header row first. */
    public static PredictionWriter open(RecordFormat format, OutputStream out, PredictionColumns columns) throws IOException {
        PredictionWriter writer = rows(format, out, columns);
        if (writer instanceof Csv csv) {
            csv.writeRow(columns.header());
        }
        return writer;
    }

    /** A writer of rows only, without a header: for a chunk of rows that another writer puts in place. */
    static PredictionWriter rows(RecordFormat format, OutputStream out, PredictionColumns columns) throws IOException {
        return switch (format) {
            case CSV -> new Csv(out, columns);
            case JSONL -> new JsonLines(FACTORY.createGenerator(out), out, columns);
        };
    }

    /**
     * Writes one row.
     *
     * @param id the value of the id column of the input row, ignored without an id column
     */
    public abstract void write(Object id, Prediction prediction) throws IOException;

    /** The format written. */
    RecordFormat format() {
        return this instanceof Csv ? RecordFormat.CSV : RecordFormat.JSONL;
    }

    /** Writes rows that a {@link #rows} writer of the same format and columns formatted, after what this one wrote. */
    abstract void writeFormatted(byte[] rows) throws IOException;

    private static final class Csv extends PredictionWriter {
        /** Characters gathered before they are encoded and written. */
        private static final int DRAIN_CHARS = 16 * 1024;

        private final OutputStream out;
        private final StringBuilder text = new StringBuilder(DRAIN_CHARS + 1024);

        Csv(OutputStream out, PredictionColumns columns) {
            super(columns);
            this.out = out;
        }

        @Override
        public void write(Object id, Prediction prediction) throws IOException {
            writeRow(columns.values(id, prediction));
        }

        private void writeRow(List<?> values) throws IOException {
            for (int c = 0; c < values.size(); c++) {
                if (c > 0) {
                    text.append(',');
                }
                Object value = values.get(c);
                // StringBuilder.append(double) writes the characters of Double.toString without a String per number
                if (value instanceof Double number) {
                    text.append(number.doubleValue());
                } else if (value instanceof Integer number) {
                    text.append(number.intValue());
                } else if (value != null) {
                    appendCell(text, value.toString());
                }
            }
            text.append('\n');
            if (text.length() >= DRAIN_CHARS) {
                drain();
            }
        }

        private static void appendCell(StringBuilder row, String text) {
            boolean quote = text.isEmpty() || text.equals("NA") || text.equals("N/A");
            for (int i = 0; i < text.length() && !quote; i++) {
                char ch = text.charAt(i);
                quote = ch == ',' || ch == '"' || ch == '\n' || ch == '\r';
            }
            if (!quote) {
                row.append(text);
                return;
            }
            // quoted so that a reader (ours, pandas) gets the text back rather than a missing value
            row.append('"').append(text.replace("\"", "\"\"")).append('"');
        }

        private void drain() throws IOException {
            if (!text.isEmpty()) {
                out.write(text.toString().getBytes(StandardCharsets.UTF_8));
                text.setLength(0);
            }
        }

        @Override
        void writeFormatted(byte[] rows) throws IOException {
            drain();
            out.write(rows);
        }

        @Override
        public void flush() throws IOException {
            drain();
            out.flush();
        }

        @Override
        public void close() throws IOException {
            drain();
            out.close();
        }
    }

    private static final class JsonLines extends PredictionWriter {
        private final JsonGenerator out;
        private final OutputStream stream;
        private final List<String> header;

        JsonLines(JsonGenerator out, OutputStream stream, PredictionColumns columns) {
            super(columns);
            this.out = out;
            this.stream = stream;
            this.header = columns.header();
            out.setRootValueSeparator(null);
        }

        @Override
        public void write(Object id, Prediction prediction) throws IOException {
            List<Object> values = columns.values(id, prediction);
            out.writeStartObject();
            for (int c = 0; c < header.size(); c++) {
                out.writeFieldName(header.get(c));
                Object value = values.get(c);
                if (value instanceof Double number) {
                    out.writeNumber(number);
                } else if (value instanceof Integer number) {
                    out.writeNumber(number);
                } else if (value instanceof Long number) {
                    out.writeNumber(number);
                } else if (value instanceof Boolean flag) {
                    out.writeBoolean(flag);
                } else if (value == null) {
                    out.writeNull();
                } else if (value instanceof Number number) {
                    out.writeNumber(number.toString());
                } else {
                    out.writeString(value.toString());
                }
            }
            out.writeEndObject();
            out.writeRaw('\n');
        }

        @Override
        void writeFormatted(byte[] rows) throws IOException {
            out.flush();
            stream.write(rows);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
