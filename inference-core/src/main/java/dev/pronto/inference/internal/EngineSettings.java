package dev.pronto.inference.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.toolkit.ProviderProperties;

/**
 * The engine's own configuration keys, read and checked once when the engine is built. Tests
 * construct it directly; {@link #from(Map)} reads it from the engine's configuration map.
 *
 * @param maxModels {@code cache.max-models}: models kept in memory
 * @param maxWeight {@code cache.max-weight}: estimated bytes of heap the models in memory may take
 *     ({@link LoadedModel#weight()}); {@link Long#MAX_VALUE} for no bound
 * @param revalidateInterval {@code cache.revalidate-interval}: how often a loaded model is checked,
 *     zero for never
 * @param maxModelBytes {@code model.max-bytes}: the largest model file read
 * @param failedLoadBackoff {@code model.failed-load-backoff}: how long a version that failed to load is
 *     refused without being read again
 */
public record EngineSettings(int maxModels, long maxWeight, Duration revalidateInterval, long maxModelBytes,
        Duration failedLoadBackoff) {

    public static final String MAX_MODELS = "cache.max-models";
    public static final String MAX_WEIGHT = "cache.max-weight";
    public static final String REVALIDATE_INTERVAL = "cache.revalidate-interval";
    public static final String MAX_MODEL_BYTES = "model.max-bytes";
    public static final String FAILED_LOAD_BACKOFF = "model.failed-load-backoff";
    private static final Set<String> KEYS = Set.of(MAX_MODELS, MAX_WEIGHT, REVALIDATE_INTERVAL, MAX_MODEL_BYTES,
            FAILED_LOAD_BACKOFF);

    /** The defaults: 20 models, no bound on their weight, a check every 10 s, files up to 256 MiB. */
    public static final EngineSettings DEFAULTS = new EngineSettings(20, Long.MAX_VALUE, Duration.ofSeconds(10), 256L << 20,
            Duration.ofSeconds(30));

    /** As the canonical constructor, with the default {@link #failedLoadBackoff()}. */
    public EngineSettings(int maxModels, long maxWeight, Duration revalidateInterval, long maxModelBytes) {
        this(maxModels, maxWeight, revalidateInterval, maxModelBytes, Duration.ofSeconds(30));
    }

    /** Rejects out-of-range values, naming the key. */
    public EngineSettings {
        check(maxModels >= 1, MAX_MODELS, "at least 1");
        check(maxWeight >= 1, MAX_WEIGHT, "at least 1");
        check(!revalidateInterval.isNegative(), REVALIDATE_INTERVAL, "not negative");
        check(maxModelBytes >= 1 && maxModelBytes <= Integer.MAX_VALUE - 8, MAX_MODEL_BYTES,
                "from 1 to " + (Integer.MAX_VALUE - 8));
        check(!failedLoadBackoff.isNegative(), FAILED_LOAD_BACKOFF, "not negative");
    }

    /**
     * Reads the engine's keys from its configuration; keys under {@code storage.} and
     * {@code pipeline.} belong to providers and are ignored here.
     *
     * @throws InferenceException with category {@code CONFIGURATION} and the offending key as its
     *     {@link InferenceException#field() field}, for an unknown key or an invalid value
     */
    public static EngineSettings from(Map<String, String> config) {
        for (String key : config.keySet()) {
            if (!key.startsWith("storage.") && !key.startsWith("pipeline.") && !KEYS.contains(key)) {
                throw new InferenceException(ErrorCategory.CONFIGURATION, "unknown configuration key: " + key, key, -1, null);
            }
        }
        ProviderProperties keys = new ProviderProperties("", config);
        return new EngineSettings(
                read(MAX_MODELS, () -> keys.getInt(MAX_MODELS, DEFAULTS.maxModels, 1, 100_000)),
                read(MAX_WEIGHT, () -> keys.getLong(MAX_WEIGHT, DEFAULTS.maxWeight, 1, Long.MAX_VALUE)),
                read(REVALIDATE_INTERVAL, () -> keys.getDuration(REVALIDATE_INTERVAL, DEFAULTS.revalidateInterval)),
                read(MAX_MODEL_BYTES, () -> keys.getLong(MAX_MODEL_BYTES, DEFAULTS.maxModelBytes, 1, Integer.MAX_VALUE - 8)),
                read(FAILED_LOAD_BACKOFF, () -> keys.getDuration(FAILED_LOAD_BACKOFF, DEFAULTS.failedLoadBackoff)));
    }

    private static <T> T read(String key, Supplier<T> value) {
        try {
            return value.get();
        } catch (IllegalArgumentException e) {
            throw new InferenceException(ErrorCategory.CONFIGURATION, e.getMessage(), key, -1, e);
        }
    }

    private static void check(boolean valid, String key, String expected) {
        if (!valid) {
            throw new InferenceException(ErrorCategory.CONFIGURATION, key + ": expected a value " + expected, key, -1, null);
        }
    }
}
