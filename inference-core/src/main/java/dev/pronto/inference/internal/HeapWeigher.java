package dev.pronto.inference.internal;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures the heap an object graph takes: a loaded model's weight for {@code cache.max-weight}.
 *
 * <p>Counts every object reachable from the root once: through instance fields, array elements, and
 * the elements, keys and values of JDK collections and maps, whose own fields the module system
 * keeps private (their hidden parts, such as an {@code ArrayList}'s array or a {@code HashMap}'s
 * nodes, are estimated from their size). Sizes follow a 64-bit HotSpot JVM with compressed
 * references: a 12-byte header, 4-byte references, 16-byte array headers, 8-byte alignment. Classes,
 * enum constants and other JDK objects whose fields cannot be read are counted but not walked,
 * which keeps objects shared by the whole JVM (class loaders, threads) out of the weight.
 *
 * <p>An estimate, not a heap dump: field packing, strings outside Latin-1 and objects held only
 * inside unreadable JDK objects are approximations; memory outside the Java heap (a native library's
 * tensors) is not seen at all. Measured against the heap in use after a GC, see
 * {@code docs/performance.md}. Thread-safe; call it on a graph nobody changes meanwhile, such as a
 * pipeline that has just loaded and is not yet shared.
 */
final class HeapWeigher {

    /** A walk stops here and reports what it has counted, so that no model can make a load walk for minutes. */
    static final int MAX_OBJECTS = 5_000_000;

    private static final int HEADER = 12;
    private static final int ARRAY_HEADER = 16;
    private static final int REFERENCE = 4;
    /** Per class, computed once; a ClassValue so that classes of unloaded class loaders are not kept. */
    private static final ClassValue<Layout> LAYOUTS = new ClassValue<>() {
        @Override
        protected Layout computeValue(Class<?> type) {
            return layout(type);
        }
    };

    private HeapWeigher() {
    }

    /**
     * What one class's instances take and which of their fields lead to other objects.
     *
     * @param shallowBytes the size of one instance, aligned
     * @param references the reference fields this walker may read, in the class and its superclasses
     * @param sealed whether some reference fields could not be read (a JDK class or subclass of one)
     */
    private record Layout(long shallowBytes, List<Field> references, boolean sealed) {
    }

    /** The bytes of heap the graph from {@code root} takes, as estimated above. */
    static long weigh(Object root) {
        IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Object> pending = new ArrayDeque<>();
        pending.push(root);
        long bytes = 0;
        while (!pending.isEmpty() && seen.size() < MAX_OBJECTS) {
            Object object = pending.pop();
            if (seen.put(object, Boolean.TRUE) != null) {
                continue;
            }
            bytes += visit(object, pending);
        }
        return bytes;
    }

    /** Counts one object, and queues the objects it refers to. */
    private static long visit(Object object, ArrayDeque<Object> pending) {
        Class<?> type = object.getClass();
        if (object instanceof Class || object instanceof Enum || object instanceof ClassLoader || object instanceof Thread) {
            return 0; // shared by the whole JVM, not by this model
        }
        if (type.isArray()) {
            return array(object, type.getComponentType(), pending);
        }
        Layout layout = LAYOUTS.get(type);
        long bytes = layout.shallowBytes();
        for (Field field : layout.references()) {
            Object value = read(field, object);
            if (value != null) {
                pending.push(value);
            }
        }
        if (layout.sealed()) {
            bytes += hiddenParts(object, pending);
        }
        return bytes;
    }

    private static long array(Object array, Class<?> component, ArrayDeque<Object> pending) {
        int length = Array.getLength(array);
        if (!component.isPrimitive()) {
            for (Object element : (Object[]) array) {
                if (element != null) {
                    pending.push(element);
                }
            }
        }
        return align(ARRAY_HEADER + (long) length * size(component));
    }

    /**
     * The parts of a JDK object its fields do not let us reach: the characters of a string, the
     * contents of collections and maps with their estimated storage (an array slot per element, and
     * for maps and sets a 32-byte node per entry).
     */
    private static long hiddenParts(Object object, ArrayDeque<Object> pending) {
        if (object instanceof String text) {
            return align(ARRAY_HEADER + text.length());
        }
        if (object instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                pushIfPresent(entry.getKey(), pending);
                pushIfPresent(entry.getValue(), pending);
            }
            return align(ARRAY_HEADER + (long) REFERENCE * map.size() * 4 / 3) + 32L * map.size();
        }
        if (object instanceof Collection<?> collection) {
            int size = 0;
            for (Object element : collection) {
                pushIfPresent(element, pending);
                size++;
            }
            long nodes = collection instanceof java.util.Set || collection instanceof java.util.LinkedList ? 32L * size : 0;
            return align(ARRAY_HEADER + (long) REFERENCE * size) + nodes;
        }
        return 0;
    }

    private static void pushIfPresent(Object value, ArrayDeque<Object> pending) {
        if (value != null) {
            pending.push(value);
        }
    }

    private static Layout layout(Class<?> type) {
        long fields = 0;
        List<Field> references = new ArrayList<>();
        boolean sealed = false;
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                fields += size(field.getType());
                if (!field.getType().isPrimitive()) {
                    if (field.trySetAccessible()) {
                        references.add(field);
                    } else {
                        sealed = true;
                    }
                }
            }
        }
        return new Layout(align(HEADER + fields), List.copyOf(references), sealed);
    }

    private static Object read(Field field, Object object) {
        try {
            return field.get(object);
        } catch (IllegalAccessException e) {
            return null; // trySetAccessible said yes; nothing to count if it changes its mind
        }
    }

    private static int size(Class<?> type) {
        if (!type.isPrimitive()) {
            return REFERENCE;
        }
        if (type == long.class || type == double.class) {
            return 8;
        }
        if (type == int.class || type == float.class) {
            return 4;
        }
        if (type == short.class || type == char.class) {
            return 2;
        }
        return 1;
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }
}
