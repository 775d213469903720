package dev.pronto.inference.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ChunkSplitterTest {

    private static final String CSV = "a,b\n\"x\ny\",1\r\n\n2,\"q\"\"\r\"\r3,4";

    /** A stream that hands out one byte per read, so that every byte is at the end of what was read. */
    private static InputStream trickling(String text) {
        InputStream bytes = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
        return new InputStream() {
            @Override
            public int read() throws IOException {
                return bytes.read();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                return bytes.read(buffer, offset, Math.min(1, length));
            }
        };
    }

    private static List<String> chunks(ChunkSplitter splitter, int rows) throws IOException {
        List<String> chunks = new ArrayList<>();
        for (ChunkSplitter.Chunk chunk = splitter.next(rows); chunk != null; chunk = splitter.next(rows)) {
            chunks.add(chunk.firstLine() + ":" + new String(chunk.bytes(), StandardCharsets.UTF_8));
        }
        return chunks;
    }

    @Test
    void chunksEndAfterWholeRowsOutsideQuotesAndKnowTheirFirstLine() throws IOException {
        assertThat(chunks(new ChunkSplitter(trickling(CSV), true), 1))
                .containsExactly("1:a,b\n", "2:\"x\ny\",1\r\n", "4:\n2,\"q\"\"\r\"\r", "7:3,4");
        assertThat(chunks(new ChunkSplitter(new ByteArrayInputStream(CSV.getBytes(StandardCharsets.UTF_8)), true), 2))
                .containsExactly("1:a,b\n\"x\ny\",1\r\n", "4:\n2,\"q\"\"\r\"\r3,4");
    }

    @Test
    void quotesOnlyOpenAtTheStartOfACellAndNotInJsonLines() throws IOException {
        assertThat(chunks(new ChunkSplitter(trickling("1,a\"b\n2,\"c\"d\n3\n"), true), 1))
                .containsExactly("1:1,a\"b\n", "2:2,\"c\"d\n", "3:3\n");
        assertThat(chunks(new ChunkSplitter(trickling("{\"a\":\"\\\"\"}\n\n{}\r\n"), false), 1))
                .containsExactly("1:{\"a\":\"\\\"\"}\n", "2:\n{}\r\n");
    }

    @Test
    void chunksReadRowByRowGiveTheRecordsOfTheWholeStream() throws IOException {
        String csv = "x,n,colour\n1,2,\"a\nb\"\r\n\r\n3,4,c\r5,6,\"d\"\"\"\n";
        List<Object> whole = new ArrayList<>();
        try (RecordReader in = RecordReader.open(RecordFormat.CSV, RecordIoTest.utf8(csv), RecordIoTest.SCHEMA, true)) {
            for (Object record = in.next(); record != null; record = in.next()) {
                whole.add(record + "@" + in.line());
            }
        }
        ChunkSplitter splitter = new ChunkSplitter(trickling(csv), true);
        CsvRecordReader.Columns columns = CsvRecordReader.header(splitter.next(1), CellTypes.of(RecordIoTest.SCHEMA));
        List<Object> chunked = new ArrayList<>();
        for (ChunkSplitter.Chunk chunk = splitter.next(1); chunk != null; chunk = splitter.next(1)) {
            RecordReader in = new CsvRecordReader(chunk, columns);
            for (Object record = in.next(); record != null; record = in.next()) {
                chunked.add(record + "@" + in.line());
            }
        }
        assertThat(chunked).hasSize(3).isEqualTo(whole);
        assertThat(whole.get(2).toString()).endsWith("@6");
    }
}
