package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Issue 13: the heap a decoded request holds per record, measured on the heavy request
 * (10,000 records of 42 numeric fields), with records as the parser builds them and as they were
 * built before, a {@link HashMap} each.
 */
class RecordHeapTest {

    private static final int RECORDS = 10_000;
    private static final int FIELDS = 42;

    @Test
    void compactRecordsHoldLessThanHalfTheHeapOfHashMaps() {
        byte[] body = body();
        InvocationParser parser = new InvocationParser(ServerApp.MAPPER, ServerSettings.defaults()
                .withLimits(body.length + 1, RECORDS, java.time.Duration.ofSeconds(30)));

        long before = usedHeap();
        Invocation compact = parser.parse(new ByteArrayInputStream(body), body.length);
        long compactBytes = usedHeap() - before;

        before = usedHeap();
        List<Map<String, Object>> maps = new ArrayList<>(RECORDS);
        for (Map<String, Object> record : compact.records()) {
            // as the parser built them before: a HashMap per record, with values of its own
            Map<String, Object> map = new HashMap<>();
            record.forEach((key, value) -> map.put(key, value instanceof Double d ? Double.valueOf(d.doubleValue()) : value));
            maps.add(map);
        }
        long mapBytes = usedHeap() - before;

        System.out.printf("heap per record of %d numeric fields: HashMap %d bytes, compact %d bytes (values included)%n",
                FIELDS, mapBytes / RECORDS, compactBytes / RECORDS);
        assertThat(compact.records()).hasSize(RECORDS);
        assertThat(maps.get(RECORDS - 1)).isEqualTo(compact.records().get(RECORDS - 1));
        assertThat(compactBytes).isLessThan(mapBytes / 2);
    }

    private static byte[] body() {
        StringBuilder json = new StringBuilder("{\"pipelineFilename\": \"m.pmml\", \"implementation\": \"x\", \"payload\": [");
        for (int r = 0; r < RECORDS; r++) {
            json.append(r == 0 ? "{" : ",{");
            for (int f = 0; f < FIELDS; f++) {
                json.append(f == 0 ? "" : ",").append("\"field_").append(f).append("\":").append(r * 0.5 + f);
            }
            json.append('}');
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
