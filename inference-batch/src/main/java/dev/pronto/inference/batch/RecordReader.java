package dev.pronto.inference.batch;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import dev.pronto.inference.ModelSchema;

/**
 * Records read one at a time from a stream, so that input of any size is scored in bounded memory.
 *
 * <pre>{@code
 * try (RecordReader in = RecordReader.open(RecordFormat.CSV, stream, info.schema(), true)) {
 *     for (Map<String, Object> record = in.next(); record != null; record = in.next()) { ... }
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one reader per stream. Closing closes the stream.
 */
public interface RecordReader extends Closeable {

    /**
     * The next record, keyed by field name, or {@code null} at the end of the input.
     *
     * @throws BadRecordException for a row that is not a record (naming its line and column); when
     *     {@link BadRecordException#skippable()}, the next call reads the following row
     * @throws IOException when the stream fails
     */
    Map<String, Object> next() throws IOException;

    /** The line where the record last returned or refused starts, counting from 1; 0 before the first. */
    long line();

    /**
     * A reader of the given format, of UTF-8 bytes.
     *
     * @param schema the model's schema: CSV cells of numeric and boolean input fields become numbers
     *     and booleans, and without a header the cells are the model's inputs in its order
     * @param header for CSV, whether the first row names the columns; ignored for JSON Lines
     */
    static RecordReader open(RecordFormat format, InputStream in, ModelSchema schema, boolean header) {
        return switch (format) {
            case CSV -> new CsvRecordReader(in, CellTypes.of(schema), header);
            case JSONL -> new JsonLinesRecordReader(in);
        };
    }
}
