package dev.pronto.server;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The records of one request, each a read-only map over an array of values, with the field names
 * kept once for the whole request instead of once per record. A {@link HashMap} per record spends
 * most of its heap on its table and entry nodes (about 1.7 KB for 42 fields, before the values);
 * the array holds only the values.
 *
 * <p>Not thread-safe while records are being added; the records themselves are immutable once
 * built and may be read from any thread.
 */
final class CompactRecords {

    /** Marks a field this record does not have, which differs from one it has as {@code null}. */
    private static final Object ABSENT = new Object();

    private final Map<String, Integer> slots = new HashMap<>();
    private String[] names = new String[16];
    private Object[] scratch = new Object[16];
    private int used;

    /** Starts a record: every field absent until {@link #put} sets it. */
    void begin() {
        Arrays.fill(scratch, 0, slots.size(), ABSENT);
        used = 0;
    }

    /** Sets a field of the current record. */
    void put(String field, Object value) {
        Integer slot = slots.get(field);
        if (slot == null) {
            slot = slots.size();
            slots.put(field, slot);
            if (slot == names.length) {
                names = Arrays.copyOf(names, slot * 2);
                scratch = Arrays.copyOf(scratch, slot * 2);
            }
            names[slot] = field;
        }
        scratch[slot] = value;
        used = Math.max(used, slot + 1);
    }

    /** Ends the current record and returns it. */
    Map<String, Object> end() {
        Object[] values = Arrays.copyOf(scratch, used);
        int size = 0;
        for (Object value : values) {
            if (value != ABSENT) {
                size++;
            }
        }
        return new Record(this, values, size);
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
