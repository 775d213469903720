package dev.pronto.inference.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelLocation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The engine's meters, in the {@link MeterRegistry} the application passed to the engine's builder,
 * or nowhere when it passed none. Every meter and label is listed in {@code docs/observability.md}.
 *
 * <h2>Bounded labels</h2>
 * The {@code model} label is the operator's name for a configured location, else the location, but
 * a location gets its own label only once a model was loaded from it, and only for the first
 * {@value #MAX_MODEL_LABELS} such locations: clients choose locations, and a client sending made-up
 * ones must not grow the registry without bound. Everything else is counted under {@code other}. A
 * version of a model served from a folder of numbered versions is labelled {@code <name>@<version>}.
 *
 * <h2>Hot path</h2>
 * {@link #model} is one lookup in a concurrent map by the cache key the caller already holds, and
 * {@link ModelMeters#scored} two counter increments and one histogram record: no lock, no allocation.
 *
 * <p>Thread-safe.
 */
public final class EngineMetrics {

    /** Locations that get a {@code model} label of their own, beyond the configured names. */
    public static final int MAX_MODEL_LABELS = 100;
    /** The {@code model} label of everything beyond the bound. */
    public static final String OTHER = "other";

    /** Histogram buckets from 50 µs: a tree or a regression scores a record in microseconds. */
    static final Duration[] SCORING_BUCKETS = durations(0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
            0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10);
    /** Loads read a file and parse it: milliseconds to minutes. */
    static final Duration[] LOAD_BUCKETS = durations(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120);

    private static final EngineMetrics NONE = new EngineMetrics(null, Map.of(), Map.of());

    private final MeterRegistry registry;
    private final Map<ModelLocation, String> namesByLocation;
    /** Folders of numbered versions by their model's name, see {@link #in(MeterRegistry, Map, Map)}. */
    private final Map<ModelLocation, String> versionFolders;
    private final ConcurrentHashMap<ModelCache.Key, ModelMeters> byKey = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ModelMeters> others = new ConcurrentHashMap<>();
    private final ModelMeters disabled = new ModelMeters();
    /** Locations labelled by admit(), at most MAX_MODEL_LABELS. */
    private final java.util.concurrent.atomic.AtomicInteger admitted = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.List<Gauge> gauges = new java.util.concurrent.CopyOnWriteArrayList<>();

    private EngineMetrics(MeterRegistry registry, Map<ModelLocation, String> namesByLocation,
            Map<ModelLocation, String> versionFolders) {
        this.registry = registry;
        this.namesByLocation = Map.copyOf(namesByLocation);
        this.versionFolders = Map.copyOf(versionFolders);
    }

    /** Meters that record nothing, for an engine built without a registry. */
    public static EngineMetrics none() {
        return NONE;
    }

    /**
     * Meters in {@code registry}.
     *
     * @param namesByLocation the operator's model names by canonical location, used as the {@code model} label
     */
    public static EngineMetrics in(MeterRegistry registry, Map<ModelLocation, String> namesByLocation) {
        return new EngineMetrics(registry, namesByLocation, Map.of());
    }

    /**
     * Meters in {@code registry}, where a model stored as {@code <folder>/<version>/<file>} in one of
     * {@code versionFolders} is labelled {@code <name>@<version>}, outside the bound on location labels:
     * a version policy keeps their number small.
     *
     * @param versionFolders model names by the canonical location of the folder of their numbered versions
     */
    public static EngineMetrics in(MeterRegistry registry, Map<ModelLocation, String> namesByLocation,
            Map<ModelLocation, String> versionFolders) {
        return new EngineMetrics(registry, namesByLocation, versionFolders);
    }

    /** The meters of one model: its own when labelled (see the class comment), else those of {@code other}. */
    public ModelMeters model(ModelCache.Key key) {
        if (registry == null) {
            return disabled;
        }
        ModelMeters meters = byKey.get(key);
        if (meters != null) {
            return meters;
        }
        String name = namesByLocation.get(key.location());
        if (name != null) {
            // configured names are few and fixed: each gets its meters on first use
            return byKey.computeIfAbsent(key, k -> new ModelMeters(name, k.format()));
        }
        return others.computeIfAbsent(key.format(), format -> new ModelMeters(OTHER, format));
    }

    /** Gives a location its own {@code model} label once a model was loaded from it, within the bound. */
    void admit(ModelCache.Key key) {
        if (registry == null || byKey.containsKey(key) || namesByLocation.containsKey(key.location())) {
            return; // configured names are labelled by model() itself
        }
        String version = versionLabel(key.location());
        if (version != null) {
            byKey.computeIfAbsent(key, k -> new ModelMeters(version, k.format()));
            return;
        }
        if (admitted.get() >= MAX_MODEL_LABELS) {
            return;
        }
        byKey.computeIfAbsent(key, k -> {
            admitted.incrementAndGet();
            return new ModelMeters(k.location().toString(), k.format());
        });
    }

    /** {@code name@version} for a model in a numbered folder of a version folder, else {@code null}. */
    private String versionLabel(ModelLocation location) {
        if (versionFolders.isEmpty()) {
            return null;
        }
        String path = location.path();
        int file = path.lastIndexOf('/');
        int version = file <= 0 ? -1 : path.lastIndexOf('/', file - 1);
        if (version <= 0 || !path.substring(version + 1, file).matches("[0-9]{1,18}")) {
            return null;
        }
        String name = versionFolders.get(new ModelLocation(location.scheme(), location.container(), path.substring(0, version)));
        return name == null ? null : name + "@" + Long.parseLong(path.substring(version + 1, file));
    }

    /** Counts one request to a storage, and its failure if {@code failure} is not {@code null}. */
    void storageRequest(String scheme, String operation, InferenceException failure) {
        if (registry == null) {
            return;
        }
        registry.counter("pronto.storage.requests", "scheme", scheme, "operation", operation).increment();
        if (failure != null) {
            registry.counter("pronto.storage.failures", "scheme", scheme, "operation", operation,
                    "reason", reason(failure.category())).increment();
        }
    }

    /** Publishes the number of models in memory and of those serving a possibly stale copy, read when scraped. */
    public void gauges(Supplier<Number> loaded, Supplier<Number> stale) {
        if (registry == null) {
            return;
        }
        gauges.add(Gauge.builder("pronto.models.loaded", loaded).description("models in memory").register(registry));
        gauges.add(Gauge.builder("pronto.models.stale", stale)
                .description("models in memory serving a copy that may be out of date").register(registry));
    }

    /**
     * Removes the gauges, which read the engine: a closed engine must not be read, and a new engine in
     * the same registry then registers its own. Counters stay, as counters of a registry do.
     */
    public void close() {
        if (registry != null) {
            gauges.forEach(registry::remove);
        }
    }

    private static String reason(ErrorCategory category) {
        return category.name().toLowerCase(Locale.ROOT);
    }

    private static Duration[] durations(double... seconds) {
        Duration[] durations = new Duration[seconds.length];
        for (int i = 0; i < seconds.length; i++) {
            durations[i] = Duration.ofNanos(Math.round(seconds[i] * 1e9));
        }
        return durations;
    }

    /** The meters of one {@code model} label and format; meters of rare events are looked up when they happen. */
    public final class ModelMeters {
        private final String model;
        private final String format;
        private final Counter predictions;
        private final Counter records;
        private final Timer duration;
        private final Counter hits;

        private ModelMeters() {
            this.model = OTHER;
            this.format = OTHER;
            this.predictions = null;
            this.records = null;
            this.duration = null;
            this.hits = null;
        }

        private ModelMeters(String model, String format) {
            this.model = model;
            this.format = format;
            this.predictions = Counter.builder("pronto.predictions").tags("model", model, "format", format)
                    .description("scoring calls that succeeded, whatever their number of records").register(registry);
            this.records = Counter.builder("pronto.prediction.records").tags("model", model, "format", format)
                    .description("records scored").register(registry);
            this.duration = Timer.builder("pronto.prediction.duration").tags("model", model, "format", format)
                    .description("time to score the records of one call, model in memory")
                    .serviceLevelObjectives(SCORING_BUCKETS).register(registry);
            this.hits = Counter.builder("pronto.model.cache.hits").tags("model", model, "format", format)
                    .description("calls that found the model in memory").register(registry);
        }

        /**
         * Whether these meters record anything: without a registry the hot path skips its clock
         * reads (two {@code nanoTime} calls are a measurable share of a one-record call).
         */
        public boolean recording() {
            return predictions != null;
        }

        /** Counts a call that scored {@code count} records in {@code nanos}. */
        public void scored(int count, long nanos) {
            if (predictions != null) {
                predictions.increment();
                records.increment(count);
                duration.record(nanos, TimeUnit.NANOSECONDS);
            }
        }

        /** Counts a scoring call that failed, by the category of its failure. */
        public void failed(InferenceException failure) {
            if (predictions != null) {
                registry.counter("pronto.prediction.errors", "model", model, "format", format,
                        "category", reason(failure.category())).increment();
            }
        }

        /** Counts a call that found the model in memory. */
        public void hit() {
            if (hits != null) {
                hits.increment();
            }
        }

        /** Counts a call that had to load the model, or wait for its load. */
        void miss() {
            if (predictions != null) {
                registry.counter("pronto.model.cache.misses", "model", model, "format", format).increment();
            }
        }

        /** Records one load of the model, first or after a change, with its outcome. */
        void loaded(long nanos, boolean succeeded) {
            if (predictions != null) {
                Timer.builder("pronto.model.load").tags("model", model, "format", format,
                        "outcome", succeeded ? "success" : "failure").description("model loads: read, parse, verify")
                        .serviceLevelObjectives(LOAD_BUCKETS).register(registry).record(nanos, TimeUnit.NANOSECONDS);
            }
        }

        /** Counts one check for a newer version: {@code unchanged}, {@code replaced} or {@code failed}. */
        void revalidated(String outcome) {
            if (predictions != null) {
                registry.counter("pronto.model.revalidations", "model", model, "format", format, "outcome", outcome)
                        .increment();
            }
        }

        /** Counts the model's eviction from memory. */
        void evicted() {
            if (predictions != null) {
                registry.counter("pronto.model.evictions", "model", model, "format", format).increment();
            }
        }
    }
}
