package dev.pronto.inference;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The class probabilities of one record as a read-only view of its row in a batch's probability
 * matrix (row-major, one column per class), which all the predictions of the batch share. A batch
 * runtime gives its probabilities as such a matrix; viewing it costs one small object per record,
 * where copying it costs a map, two arrays and a boxed number per class (measured in docs/onnx.md).
 * Each read boxes the value it returns.
 *
 * <p>Immutable as long as nobody writes to the matrix, which {@link Prediction.Builder#probabilities(List,
 * double[], int)} demands of its caller.
 */
final class ProbabilityRow extends AbstractMap<Object, Double> {

    private final List<Object> classes;
    private final double[] matrix;
    private final int offset;

    ProbabilityRow(List<Object> classes, double[] matrix, int offset) {
        this.classes = classes;
        this.matrix = matrix;
        this.offset = offset;
    }

    @Override
    public int size() {
        return classes.size();
    }

    @Override
    public boolean containsKey(Object key) {
        return classes.contains(key);
    }

    @Override
    public Double get(Object key) {
        int column = classes.indexOf(key);
        return column < 0 ? null : matrix[offset + column];
    }

    @Override
    public Set<Object> keySet() {
        // the class list is immutable and shared: a view of it, not a set built per record
        return new AbstractSet<>() {
            @Override
            public Iterator<Object> iterator() {
                return classes.iterator();
            }

            @Override
            public int size() {
                return classes.size();
            }

            @Override
            public boolean contains(Object key) {
                return classes.contains(key);
            }
        };
    }

    @Override
    public Set<Entry<Object, Double>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<Object, Double>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < classes.size();
                    }

                    @Override
                    public Entry<Object, Double> next() {
                        if (next >= classes.size()) {
                            throw new NoSuchElementException();
                        }
                        int column = next++;
                        return new SimpleImmutableEntry<>(classes.get(column), matrix[offset + column]);
                    }
                };
            }

            @Override
            public int size() {
                return classes.size();
            }
        };
    }
}
