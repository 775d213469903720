package dev.pronto.inference.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Indexes providers by the keys they claim (schemes, formats, file extensions): explicitly given
 * providers first, then those {@link ServiceLoader} finds for keys still free.
 *
 * <p>Two different classes claiming one key among the discovered providers, or among the explicit
 * ones, is a configuration error naming both; the same class found twice (a jar on the class path
 * twice) counts once.
 */
public final class ProviderIndex {

    private ProviderIndex() {
    }

    /** Loads every provider of {@code type} that {@code classLoader} can see. */
    public static <P> List<P> discover(Class<P> type, ClassLoader classLoader) {
        List<P> found = new ArrayList<>();
        try {
            for (P provider : ServiceLoader.load(type, classLoader)) {
                found.add(provider);
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("cannot load a " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
        return found;
    }

    /**
     * Builds the index.
     *
     * @param what what a key is, for messages ("scheme", "format", "file extension")
     * @param explicit providers the application passed in, which override discovered ones
     * @param discovered providers found with {@link ServiceLoader}
     * @param keys the keys each provider claims
     * @return providers by key, sorted by key
     * @throws IllegalStateException naming both classes if two claim one key
     */
    public static <P> Map<String, P> index(String what, List<? extends P> explicit, List<? extends P> discovered,
            Function<P, Collection<String>> keys) {
        Map<String, P> fromExplicit = claim(what, explicit, keys);
        Map<String, P> result = new TreeMap<>(claim(what, discovered, keys));
        result.putAll(fromExplicit);
        return result;
    }

    private static <P> Map<String, P> claim(String what, List<? extends P> providers, Function<P, Collection<String>> keys) {
        Map<String, P> claimed = new LinkedHashMap<>();
        for (P provider : providers) {
            for (String key : keys.apply(provider)) {
                P previous = claimed.putIfAbsent(key, provider);
                if (previous != null && previous.getClass() != provider.getClass()) {
                    throw new IllegalStateException("two providers claim the " + what + " \"" + key + "\": "
                            + previous.getClass().getName() + " and " + provider.getClass().getName()
                            + "; remove one from the class path or pass the one to use to the engine builder");
                }
            }
        }
        return claimed;
    }
}
