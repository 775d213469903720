package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CompactRecordsTest {

    @Test
    void recordsKeepTheirOwnKeysAndTellAbsentFromNull() {
        CompactRecords table = new CompactRecords();
        record(table, "a", 1, "b", null);
        record(table, "b", 2.5, "c", "x");

        List<Map<String, Object>> records = table.records();

        assertThat(records).hasSize(2);
        assertThat(records.get(0)).containsExactly(entry("a", 1), entry("b", null));
        assertThat(records.get(1)).containsOnly(entry("b", 2.5), entry("c", "x"));
        assertThat(records.get(1).containsKey("a")).isFalse();
        assertThat(records.get(0).containsKey("b")).isTrue();
    }

    @Test
    void aKeyTwiceInOneRecordHasNoSlotTheSecondTime() {
        CompactRecords table = new CompactRecords();
        record(table, "a", 1, "b", 2);
        table.begin();
        int a = table.slot("a");
        table.set(a, 3);

        assertThat(table.slot("a")).isEqualTo(-1);
        // the same text in another String instance is the same key
        assertThat(table.slot(new String("a"))).isEqualTo(-1);
        assertThat(table.slot("b")).isEqualTo(1);
    }

    @Test
    void aKeyTwiceInTheRecordThatIntroducesItIsFound() {
        CompactRecords table = new CompactRecords();
        table.begin();
        table.set(table.slot("a"), 1);
        table.set(table.slot("new"), null);

        assertThat(table.slot("new")).isEqualTo(-1);
    }

    @Test
    void theTableListsEveryKeyOnceAndWhichHeldABoolean() {
        CompactRecords table = new CompactRecords();
        record(table, "a", 1, "b", "x");
        record(table, "c", true, "a", 2);
        record(table, "a", 3, "b", "y");

        CompactRecords.Rows rows = table.records();

        assertThat(rows.fieldCount()).isEqualTo(3);
        assertThat(List.of(rows.field(0), rows.field(1), rows.field(2))).containsExactly("a", "b", "c");
        assertThat(rows.heldBoolean(0)).isFalse();
        assertThat(rows.heldBoolean(2)).isTrue();
        assertThat(rows.get(2)).containsOnly(entry("a", 3), entry("b", "y"));
    }

    @Test
    void manyKeysGrowTheTable() {
        CompactRecords table = new CompactRecords();
        table.begin();
        for (int i = 0; i < 40; i++) {
            table.put("f" + i, i);
        }
        table.end();

        assertThat(table.records().get(0)).hasSize(40).containsEntry("f39", 39);
        assertThat(table.records().fieldCount()).isEqualTo(40);
    }

    private static void record(CompactRecords table, String k1, Object v1, String k2, Object v2) {
        table.begin();
        table.put(k1, v1);
        table.put(k2, v2);
        table.end();
    }
}
