package dev.pronto.inference;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable map that keeps insertion order, backed by two arrays. Predictions hold a handful of
 * entries each and are made once per record, so a compact copy with linear lookup costs less than
 * a {@code LinkedHashMap} plus an unmodifiable view. Null values are allowed (a missing result).
 */
final class FrozenOrderedMap<K, V> extends AbstractMap<K, V> {

    private static final FrozenOrderedMap<Object, Object> EMPTY = new FrozenOrderedMap<>(new Object[0], new Object[0], 0);

    private final Object[] keys;
    private final Object[] values;
    private final int size;
    private Set<Entry<K, V>> entries;

    /** Takes ownership of the arrays: the caller must not change them afterwards. */
    FrozenOrderedMap(Object[] keys, Object[] values, int size) {
        this.keys = keys;
        this.values = values;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    static <K, V> Map<K, V> copyOf(Map<? extends K, ? extends V> map, String name) {
        Objects.requireNonNull(map, name);
        if (map instanceof FrozenOrderedMap<?, ?> || map instanceof DerivedOrderedMap<?> || map instanceof ProbabilityRow) {
            return (Map<K, V>) map;
        }
        if (map.isEmpty()) {
            return (Map<K, V>) EMPTY;
        }
        Object[] keys = new Object[map.size()];
        Object[] values = new Object[keys.length];
        int i = 0;
        for (Map.Entry<? extends K, ? extends V> entry : map.entrySet()) {
            keys[i] = Objects.requireNonNull(entry.getKey(), () -> name + " has a null key");
            values[i] = entry.getValue();
            i++;
        }
        return new FrozenOrderedMap<>(keys, values, i);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        int index = indexOf(key);
        return index < 0 ? null : (V) values[index];
    }

    private int indexOf(Object key) {
        for (int i = 0; i < size; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        Set<Entry<K, V>> set = entries;
        if (set == null) {
            set = new AbstractSet<>() {
                @Override
                public Iterator<Entry<K, V>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < size;
                        }

                        @Override
                        @SuppressWarnings("unchecked")
                        public Entry<K, V> next() {
                            if (next >= size) {
                                throw new NoSuchElementException();
                            }
                            int i = next++;
                            return new SimpleImmutableEntry<>((K) keys[i], (V) values[i]);
                        }
                    };
                }

                @Override
                public int size() {
                    return size;
                }
            };
            entries = set;
        }
        return set;
    }
}
