package dev.pronto.inference.batch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import dev.pronto.inference.ErrorCategory;

/**
 * JSON Lines: one JSON object of field values per line, blank lines skipped. Values are taken as a
 * JSON request's payload takes them ({@link JsonValues}). A line that is not such an object is
 * {@code INVALID_REQUEST}, and skippable: the next line is read on.
 */
final class JsonLinesRecordReader implements RecordReader {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    private final BufferedReader in;
    private long currentLine;
    private long recordLine;
    private int records;

    /** A reader of a whole stream of UTF-8. */
    JsonLinesRecordReader(InputStream in) {
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 64 * 1024);
    }

    /** A reader of one chunk's lines, numbered from the chunk's first line. */
    JsonLinesRecordReader(ChunkSplitter.Chunk chunk) {
        this.in = new BufferedReader(new StringReader(new String(chunk.bytes(), StandardCharsets.UTF_8)));
        this.currentLine = chunk.firstLine() - 1;
    }

    @Override
    public Map<String, Object> next() throws IOException {
        String text;
        do {
            text = in.readLine();
            currentLine++;
            if (text == null) {
                return null;
            }
        } while (text.isBlank());
        recordLine = currentLine;
        int index = records++;
        try (JsonParser line = FACTORY.createParser(text)) {
            if (line.nextToken() != JsonToken.START_OBJECT) {
                throw bad(index, null, "expected a JSON object of field values, not " + JsonValues.describe(line.currentToken()));
            }
            Map<String, Object> record = new HashMap<>();
            for (String field = line.nextFieldName(); field != null; field = line.nextFieldName()) {
                JsonToken token = line.nextToken();
                if (!JsonValues.isScalar(token)) {
                    throw bad(index, field, "expected a number, string, boolean or null, not " + JsonValues.describe(token));
                }
                record.put(field, JsonValues.scalar(line, token));
            }
            if (line.nextToken() != null) {
                throw bad(index, null, "more than one JSON value on the line");
            }
            return record;
        } catch (JsonProcessingException e) {
            throw bad(index, null, "not valid JSON: " + e.getOriginalMessage() + " (column "
                    + e.getLocation().getColumnNr() + ")");
        }
    }

    private BadRecordException bad(int index, String field, String message) {
        return new BadRecordException(ErrorCategory.INVALID_REQUEST, recordLine, field, index, message, true);
    }

    @Override
    public long line() {
        return recordLine;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
