package dev.pronto.inference.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelLocation;

/**
 * Loaded models in memory, keyed by canonical location and format.
 *
 * <ul>
 *   <li><b>Single flight:</b> concurrent first requests for one model cause exactly one load; the
 *       others wait for it and all see its result or its failure. A failed load is not cached.</li>
 *   <li><b>Bounded:</b> at most {@code maxModels} models and at most {@code maxWeight} estimated
 *       bytes ({@link LoadedModel#weight()}); the least recently used go first. The model just
 *       loaded is never the one evicted, so one model heavier than the bound still serves, alone.</li>
 *   <li><b>Revalidated:</b> a model is checked for a newer version at most once per
 *       {@code revalidateInterval}, in the background, while the current version keeps serving. A new
 *       version is loaded and verified beside the old one and swapped in atomically; if it fails, the
 *       old one keeps serving and the failure is kept for {@link #lastCheck}. At most one check per
 *       model runs at a time; {@link #revalidateAll()} waits for a running one, then checks again.</li>
 * </ul>
 *
 * <p>Thread-safe. The hot path ({@link #get} or {@link #getIfLoaded} of a loaded model) takes no
 * lock, does no I/O and allocates nothing unless a check is due.
 */
public final class ModelCache implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelCache.class);

    /** A model's identity in the cache: where it is stored and which pipeline format reads it. */
    public record Key(ModelLocation location, String format) {
        @Override
        public String toString() {
            return location + " (" + format + ")";
        }
    }

    /** Loads models for the cache; called without any cache lock held. */
    public interface Loader {
        /** Loads the current version of a model. */
        LoadedModel load(Key key);

        /**
         * Returns {@code current} if the stored model is unchanged, otherwise the newly loaded version.
         *
         * @throws InferenceException if the store cannot be read or the new version fails to load
         */
        LoadedModel reloadIfChanged(Key key, LoadedModel current);
    }

    /**
     * The outcome of the last check of a model for a newer version.
     *
     * @param at when it finished
     * @param error why it failed, or {@code null} if it succeeded
     */
    public record Check(Instant at, String error) {
    }

    private final class Entry {
        final Key key;
        /** Set again once loaded, as the first load gives a location its own model label. */
        volatile EngineMetrics.ModelMeters meters;
        final CompletableFuture<LoadedModel> firstLoad = new CompletableFuture<>();
        /** The check running now, completed when it ends; {@code null} when none runs. */
        final AtomicReference<CompletableFuture<Void>> revalidation = new AtomicReference<>();
        volatile LoadedModel current;
        volatile long lastUsedNanos;
        volatile long nextCheckNanos;
        volatile Check lastCheck;

        Entry(Key key) {
            this.key = key;
            this.meters = metrics.model(key);
        }
    }

    private final Loader loader;
    private final EngineMetrics metrics;
    private final int maxModels;
    private final long maxWeight;
    private final long revalidateIntervalNanos;
    private final LongSupplier clock;
    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
    private final ExecutorService revalidator;

    /** A cache bounded and revalidated as the settings say. */
    public ModelCache(Loader loader, EngineSettings settings, EngineMetrics metrics) {
        this(loader, settings, metrics, System::nanoTime);
    }

    /** A cache that records no metrics. */
    ModelCache(Loader loader, EngineSettings settings, LongSupplier clock) {
        this(loader, settings, EngineMetrics.none(), clock);
    }

    /** @param clock nanoseconds, as {@link System#nanoTime()}; tests pass their own */
    ModelCache(Loader loader, EngineSettings settings, EngineMetrics metrics, LongSupplier clock) {
        this.loader = loader;
        this.metrics = metrics;
        this.maxModels = settings.maxModels();
        this.maxWeight = settings.maxWeight();
        this.revalidateIntervalNanos = settings.revalidateInterval().toNanos();
        this.clock = clock;
        this.revalidator = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pronto-model-revalidation");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Returns the loaded model for the key, loading it first if needed.
     *
     * @throws InferenceException if loading fails; every waiter sees the same failure
     */
    public LoadedModel get(Key key) {
        Entry found = entries.get(key);
        if (found == null) {
            Entry created = new Entry(key);
            found = entries.putIfAbsent(key, created);
            if (found == null) {
                LoadedModel model = loadFirst(created);
                // counted after the load, which gives the location its own model label
                metrics.model(key).miss();
                return model;
            }
        }
        Entry entry = found;
        LoadedModel model = entry.current;
        if (model == null) {
            model = await(entry);
            metrics.model(key).miss();
        } else {
            entry.meters.hit();
        }
        return use(entry, model);
    }

    /**
     * Returns the loaded model for the key if it is in memory, as {@link #get} would, without ever
     * loading it or waiting for a load in progress.
     */
    public Optional<LoadedModel> getIfLoaded(Key key) {
        Entry entry = entries.get(key);
        LoadedModel model = entry == null ? null : entry.current;
        // not counted as a hit here: servers look a model up for its schema before scoring; the engine counts
        // the scoring call that finds it
        return model == null ? Optional.empty() : Optional.of(use(entry, model));
    }

    /** Marks the entry used now and schedules its revalidation when due. */
    private LoadedModel use(Entry entry, LoadedModel model) {
        long now = clock.getAsLong();
        entry.lastUsedNanos = now;
        if (revalidateIntervalNanos > 0 && now - entry.nextCheckNanos >= 0 && entry.revalidation.get() == null) {
            CompletableFuture<Void> check = new CompletableFuture<>();
            if (entry.revalidation.compareAndSet(null, check)) {
                try {
                    revalidator.execute(() -> revalidate(entry, check));
                } catch (RejectedExecutionException closed) {
                    finish(entry, check);
                }
            }
        }
        return model;
    }

    /** The loaded models, most recently used first. */
    public List<LoadedModel> loaded() {
        List<Entry> loaded = new ArrayList<>();
        for (Entry entry : entries.values()) {
            if (entry.current != null) {
                loaded.add(entry);
            }
        }
        loaded.sort(Comparator.comparingLong((Entry e) -> e.lastUsedNanos).reversed());
        List<LoadedModel> result = new ArrayList<>(loaded.size());
        for (Entry entry : loaded) {
            result.add(entry.current);
        }
        return result;
    }

    /** The last check of the model in memory under the key; empty if it is not loaded or was never checked. */
    public Optional<Check> lastCheck(Key key) {
        Entry entry = entries.get(key);
        return entry == null || entry.current == null ? Optional.empty() : Optional.ofNullable(entry.lastCheck);
    }

    /**
     * Checks every loaded model for a newer version now, in the calling thread. A check already
     * running for a model (in the background) is waited for, not spun on, and then the model is
     * checked again: the running one may have asked the store before the caller's change.
     */
    public void revalidateAll() {
        for (Entry entry : entries.values()) {
            if (entry.current == null) {
                continue;
            }
            CompletableFuture<Void> mine = new CompletableFuture<>();
            for (CompletableFuture<Void> running; !entry.revalidation.compareAndSet(null, mine); ) {
                running = entry.revalidation.get();
                if (running != null) {
                    running.join(); // never fails: revalidate completes it in a finally
                }
            }
            revalidate(entry, mine);
        }
    }

    private LoadedModel loadFirst(Entry entry) {
        LoadedModel model;
        try {
            model = loader.load(entry.key);
        } catch (RuntimeException | Error e) {
            entries.remove(entry.key, entry);
            entry.firstLoad.completeExceptionally(e);
            throw e;
        }
        long now = clock.getAsLong();
        entry.lastUsedNanos = now;
        entry.nextCheckNanos = now + revalidateIntervalNanos;
        entry.meters = metrics.model(entry.key);
        entry.current = model;
        entry.firstLoad.complete(model);
        evictBeyondLimits(entry);
        return model;
    }

    private LoadedModel await(Entry entry) {
        try {
            return entry.firstLoad.get();
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new InferenceException(ErrorCategory.INTERNAL, "loading " + entry.key + " failed", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InferenceException(ErrorCategory.UNAVAILABLE, "interrupted while waiting for model " + entry.key.location());
        }
    }

    /**
     * Removes a model from the cache and closes its pipeline (requests holding it keep scoring, as
     * the Pipeline contract allows); returns whether it was there.
     */
    public boolean evict(Key key) {
        Entry entry = entries.remove(key);
        if (entry != null && entry.current != null) {
            entry.current.pipeline().close();
        }
        return entry != null;
    }

    /**
     * Evicts the least recently used models, never {@code keep}, until both bounds hold. Runs after a
     * load or a swap, never on the hot path, so a scan of every entry is cheap enough.
     */
    private void evictBeyondLimits(Entry keep) {
        while (true) {
            Entry oldest = null;
            long weight = 0;
            int count = 0;
            for (Entry candidate : entries.values()) {
                LoadedModel model = candidate.current;
                count++;
                if (model == null) {
                    continue; // still loading; counted again when it finishes
                }
                weight = saturatedAdd(weight, model.weight());
                if (candidate != keep && (oldest == null || candidate.lastUsedNanos - oldest.lastUsedNanos < 0)) {
                    oldest = candidate;
                }
            }
            boolean overCount = count > maxModels;
            if ((!overCount && weight <= maxWeight) || oldest == null) {
                return;
            }
            if (entries.remove(oldest.key, oldest)) {
                log.info("evicted model {} (cache holds at most {} models and {} bytes of estimated weight)",
                        oldest.key, maxModels, maxWeight);
                metrics.model(oldest.key).evicted();
                oldest.current.pipeline().close();
            }
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /** Runs one check of the entry; {@code check} is the entry's claimed revalidation, completed at the end. */
    private void revalidate(Entry entry, CompletableFuture<Void> check) {
        try {
            LoadedModel current = entry.current;
            LoadedModel next = loader.reloadIfChanged(entry.key, current);
            metrics.model(entry.key).revalidated(next == current ? "unchanged" : "replaced");
            if (next != current) {
                entry.current = next;
                log.info("replaced model {}: version {} -> {}, sha256 {} -> {}", entry.key,
                        current.object().version(), next.object().version(), current.info().sha256(), next.info().sha256());
                if (next.pipeline() != current.pipeline()) {
                    current.pipeline().close();
                }
                evictBeyondLimits(entry);
            }
            entry.lastCheck = new Check(Instant.now(), null);
        } catch (RuntimeException e) {
            // an InferenceException's message is written for clients; anything else is our defect, told only in the log
            String reason = e instanceof InferenceException ? e.getMessage() : "the check failed unexpectedly";
            metrics.model(entry.key).revalidated("failed");
            Check last = entry.lastCheck;
            if (last == null || !reason.equals(last.error())) {
                log.warn("model {}: revalidation failed, the loaded version keeps serving: {}", entry.key, reason, e);
            }
            entry.lastCheck = new Check(Instant.now(), reason);
        } finally {
            finish(entry, check);
        }
    }

    private void finish(Entry entry, CompletableFuture<Void> check) {
        entry.nextCheckNanos = clock.getAsLong() + revalidateIntervalNanos;
        entry.revalidation.set(null);
        check.complete(null);
    }

    /** Stops background revalidation and closes every loaded pipeline. */
    @Override
    public void close() {
        revalidator.shutdownNow();
        try {
            revalidator.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Entry entry : entries.values()) {
            LoadedModel model = entry.current;
            if (model != null) {
                model.pipeline().close();
            }
        }
        entries.clear();
    }
}
