package dev.pronto.inference;

import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.function.Supplier;

/**
 * An immutable list computed on first access. A tree ensemble's leaf ids are one per tree and per
 * record, and only a request that asks for them ({@code isLeafNumber}) reads them, so collecting
 * them for every prediction is wasted work.
 *
 * <p>Thread-safe: the supplier must be pure and thread-safe, as two threads reading the list first
 * at once may both call it; each publishes an immutable copy of the same contents.
 */
final class DeferredList extends AbstractList<String> implements RandomAccess {

    private final Supplier<List<String>> contents;
    private volatile List<String> computed;

    DeferredList(Supplier<List<String>> contents) {
        this.contents = Objects.requireNonNull(contents, "contents");
    }

    private List<String> contents() {
        List<String> list = computed;
        if (list == null) {
            list = List.copyOf(contents.get());
            computed = list;
        }
        return list;
    }

    @Override
    public String get(int index) {
        return contents().get(index);
    }

    @Override
    public int size() {
        return contents().size();
    }
}
