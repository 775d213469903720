package dev.pronto.inference;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Function;

/**
 * An immutable ordered map whose keys are a fixed list shared by many maps and whose values are
 * derived from the keys on access. A pipeline's result fields are the same names for every record,
 * and most callers never read them, so nothing per key is computed or copied up front.
 *
 * <p>The value function must be pure and thread-safe: it may be called more than once per key and
 * from several threads.
 */
final class DerivedOrderedMap<V> extends AbstractMap<String, V> {

    private final List<String> keys;
    private final Function<String, ? extends V> values;

    DerivedOrderedMap(List<String> keys, Function<String, ? extends V> values) {
        this.keys = keys;
        this.values = values;
    }

    @Override
    public int size() {
        return keys.size();
    }

    @Override
    public boolean containsKey(Object key) {
        return keys.contains(key);
    }

    @Override
    public V get(Object key) {
        return key instanceof String name && keys.contains(name) ? values.apply(name) : null;
    }

    @Override
    public Set<Entry<String, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, V>> iterator() {
                Iterator<String> names = keys.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return names.hasNext();
                    }

                    @Override
                    public Entry<String, V> next() {
                        if (!names.hasNext()) {
                            throw new NoSuchElementException();
                        }
                        String name = names.next();
                        return new SimpleImmutableEntry<>(name, values.apply(name));
                    }
                };
            }

            @Override
            public int size() {
                return keys.size();
            }
        };
    }
}
