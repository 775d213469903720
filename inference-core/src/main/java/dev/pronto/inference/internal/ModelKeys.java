package dev.pronto.inference.internal;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelFormat;
import dev.pronto.inference.ModelLocation;

/**
 * Turns location texts, as callers send them, into cache keys: parses the location, checks that a
 * storage serves its scheme, and picks the format (named, or by file extension). Remembers each
 * successful resolution, so that the hot path skips parsing; without a format the text itself is
 * the map key, so the common call allocates nothing.
 *
 * <p>Thread-safe.
 */
public final class ModelKeys {

    /** Bound on remembered location texts; far above the models a service uses, cheap to rebuild. */
    private static final int MAX_RESOLVED_LOCATIONS = 4096;

    private final ProviderRegistry providers;
    private final ConcurrentHashMap<String, ModelCache.Key> byExtension = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Resolution, ModelCache.Key> withFormat = new ConcurrentHashMap<>();

    private record Resolution(String location, ModelFormat format) {
    }

    public ModelKeys(ProviderRegistry providers) {
        this.providers = providers;
    }

    /** The key of the model at the location, its format chosen by the file extension. */
    public ModelCache.Key of(String location) {
        Objects.requireNonNull(location, "location");
        ModelCache.Key key = byExtension.get(location);
        if (key == null) {
            ModelLocation parsed = parse(location);
            key = new ModelCache.Key(parsed, formatByExtension(parsed));
            remember(byExtension, location, key);
        }
        return key;
    }

    /**
     * The key of the model at the location, loaded by the given format.
     *
     * @throws InferenceException with category {@code INVALID_REQUEST} if the format is not installed
     */
    public ModelCache.Key of(String location, ModelFormat format) {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(format, "format");
        Resolution resolution = new Resolution(location, format);
        ModelCache.Key key = withFormat.get(resolution);
        if (key == null) {
            if (providers.loader(format.name()) == null) {
                throw new InferenceException(ErrorCategory.INVALID_REQUEST, "no pipeline of format \"" + format
                        + "\" is installed; installed: " + providers.formats());
            }
            key = new ModelCache.Key(parse(location), format.name());
            remember(withFormat, resolution, key);
        }
        return key;
    }

    private static <K> void remember(ConcurrentHashMap<K, ModelCache.Key> resolved, K text, ModelCache.Key key) {
        if (resolved.size() >= MAX_RESOLVED_LOCATIONS) {
            resolved.clear();
        }
        resolved.put(text, key);
    }

    private ModelLocation parse(String location) {
        ModelLocation parsed = ModelLocation.parse(location);
        if (providers.storage(parsed.scheme()) == null) {
            throw new InferenceException(ErrorCategory.INVALID_REQUEST, "no storage serves the scheme \"" + parsed.scheme()
                    + "\" of model location \"" + location + "\"; available: " + providers.schemes(),
                    ModelLocation.FIELD, -1, null);
        }
        return parsed;
    }

    private String formatByExtension(ModelLocation location) {
        String format = providers.formatOfExtension(location.extension());
        if (format == null) {
            throw new InferenceException(ErrorCategory.INVALID_REQUEST, "cannot tell the format of model \"" + location
                    + "\": its file extension is not one of " + providers.extensions()
                    + ", and no format was named; installed formats: " + providers.formats(), ModelLocation.FIELD, -1, null);
        }
        return format;
    }
}
