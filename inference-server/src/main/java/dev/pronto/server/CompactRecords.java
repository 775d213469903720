package dev.pronto.server;

import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.RandomAccess;
import java.util.Set;

/**
 * The records of one request, each a read-only map over an array of values, with the field names
 * kept once for the whole request instead of once per record. A {@link HashMap} per record spends
 * most of its heap on its table and entry nodes (about 1.7 KB for 42 fields, before the values);
 * the array holds only the values.
 *
 * <p>The table also answers, once per request, what would otherwise be asked of every record: which
 * keys occur at all ({@link Rows#fields()}) and whether a field ever held a boolean
 * ({@link Rows#heldBoolean}), so that {@link RecordCheck} looks at each field once, not at each value.
 * A key given twice in one record is reported by {@link #slot} as it is read, which spares the JSON
 * parser its own duplicate detection (a set of names per object).
 *
 * <p>Not thread-safe while records are being added; the records themselves are immutable once
 * built and may be read from any thread.
 */
final class CompactRecords {

    /** Marks a field this record does not have, which differs from one it has as {@code null}. */
    private static final Object ABSENT = new Object();

    private final Map<String, Integer> slots = new HashMap<>();
    private final List<Map<String, Object>> records = new ArrayList<>();
    private String[] names = new String[8];
    private Object[] scratch = new Object[8];
    private boolean[] booleans = new boolean[8];
    /** The slot the next field of the current record probably has: records mostly list their keys in one order. */
    private int expected;
    private int used;

    /** Starts a record: every field absent until {@link #set} sets it. */
    void begin() {
        Arrays.fill(scratch, 0, slots.size(), ABSENT);
        used = 0;
        expected = 0;
    }

    /**
     * The slot of a field of the current record, added to the table if it is new.
     *
     * @return the slot, or {@code -1} when the current record already has this field
     */
    int slot(String field) {
        int slot = expected;
        // the parser gives one String instance per name (it interns them), so the same order as the record
        // before costs one comparison instead of a hash lookup
        if (slot >= slots.size() || names[slot] != field) {
            Integer known = slots.get(field);
            slot = known == null ? add(field) : known;
        }
        // every slot of the table is ABSENT from begin() (or add()) until this record sets it
        if (scratch[slot] != ABSENT) {
            return -1;
        }
        expected = slot + 1;
        return slot;
    }

    private int add(String field) {
        int slot = slots.size();
        slots.put(field, slot);
        if (slot == names.length) {
            names = Arrays.copyOf(names, slot * 2);
            scratch = Arrays.copyOf(scratch, slot * 2);
            booleans = Arrays.copyOf(booleans, slot * 2);
        }
        names[slot] = field;
        scratch[slot] = ABSENT;
        return slot;
    }

    /** Sets a field of the current record, at a slot {@link #slot} gave. */
    void set(int slot, Object value) {
        scratch[slot] = value;
        if (value instanceof Boolean) {
            booleans[slot] = true;
        }
        used = Math.max(used, slot + 1);
    }

    /** Sets a field of the current record; for a caller that knows the record has no such field yet. */
    void put(String field, Object value) {
        int slot = slot(field);
        if (slot < 0) {
            throw new IllegalStateException("field \"" + field + "\" set twice in one record");
        }
        set(slot, value);
    }

    /** Ends the current record and adds it to {@link #records()}. */
    void end() {
        Object[] values = Arrays.copyOf(scratch, used);
        int size = 0;
        for (Object value : values) {
            if (value != ABSENT) {
                size++;
            }
        }
        records.add(new Record(this, values, size));
    }

    /** The records ended so far, in order. */
    Rows records() {
        return new Rows(this);
    }

    /** How many records have ended. */
    int size() {
        return records.size();
    }

    /** The records of one request, with what their table knows about all of them. */
    static final class Rows extends AbstractList<Map<String, Object>> implements RandomAccess {

        private final CompactRecords table;
        private final int size;

        private Rows(CompactRecords table) {
            this.table = table;
            this.size = table.records.size();
        }

        @Override
        public Map<String, Object> get(int index) {
            if (index >= size) {
                throw new IndexOutOfBoundsException(index);
            }
            return table.records.get(index);
        }

        @Override
        public int size() {
            return size;
        }

        /** How many distinct keys the records have; their slots are {@code 0} to this, exclusive. */
        int fieldCount() {
            return table.slots.size();
        }

        /** The key of a slot. */
        String field(int slot) {
            return table.names[slot];
        }

        /** Whether some record holds a boolean in the field of this slot. */
        boolean heldBoolean(int slot) {
            return table.booleans[slot];
        }
    }

    /** One record: a view of its values through the request's field table. */
    private static final class Record extends AbstractMap<String, Object> {

        private final CompactRecords table;
        private final Object[] values;
        private final int size;

        Record(CompactRecords table, Object[] values, int size) {
            this.table = table;
            this.values = values;
            this.size = size;
        }

        private int slot(Object key) {
            Integer slot = table.slots.get(key);
            return slot == null || slot >= values.length || values[slot] == ABSENT ? -1 : slot;
        }

        @Override
        public Object get(Object key) {
            int slot = slot(key);
            return slot < 0 ? null : values[slot];
        }

        @Override
        public boolean containsKey(Object key) {
            return slot(key) >= 0;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public int size() {
                    return size;
                }

                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    return new Iterator<>() {
                        private int next = advance(0);

                        private int advance(int from) {
                            int slot = from;
                            while (slot < values.length && values[slot] == ABSENT) {
                                slot++;
                            }
                            return slot;
                        }

                        @Override
                        public boolean hasNext() {
                            return next < values.length;
                        }

                        @Override
                        public Entry<String, Object> next() {
                            if (next >= values.length) {
                                throw new NoSuchElementException();
                            }
                            Entry<String, Object> entry = new SimpleImmutableEntry<>(table.names[next], values[next]);
                            next = advance(next + 1);
                            return entry;
                        }
                    };
                }
            };
        }
    }
}
