package dev.pronto.inference.batch;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
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

    /** A writer of the format to the stream, UTF-8. */
    public static PredictionWriter open(RecordFormat format, OutputStream out, PredictionColumns columns) throws IOException {
        return switch (format) {
            case CSV -> new Csv(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024), columns);
            case JSONL -> new JsonLines(FACTORY.createGenerator(out), columns);
        };
    }

    /**
     * Writes one row.
     *
     * @param id the value of the id column of the input row, ignored without an id column
     */
    public abstract void write(Object id, Prediction prediction) throws IOException;

    private static final class Csv extends PredictionWriter {
        private final Writer out;
        private final StringBuilder row = new StringBuilder(256);

        Csv(Writer out, PredictionColumns columns) throws IOException {
            super(columns);
            this.out = out;
            writeRow(List.copyOf(columns.header()));
        }

        @Override
        public void write(Object id, Prediction prediction) throws IOException {
            writeRow(columns.values(id, prediction));
        }

        private void writeRow(List<?> values) throws IOException {
            row.setLength(0);
            for (int c = 0; c < values.size(); c++) {
                if (c > 0) {
                    row.append(',');
                }
                Object value = values.get(c);
                if (value != null) {
                    appendCell(row, value.toString());
                }
            }
            row.append('\n');
            out.append(row);
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

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    private static final class JsonLines extends PredictionWriter {
        private final JsonGenerator out;
        private final List<String> header;

        JsonLines(JsonGenerator out, PredictionColumns columns) {
            super(columns);
            this.out = out;
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
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
