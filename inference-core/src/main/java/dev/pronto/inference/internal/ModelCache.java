package dev.pronto.inference.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 *   <li><b>Bounded:</b> at most {@code maxModels} models; the least recently used is evicted.</li>
 *   <li><b>Revalidated:</b> a model is checked for a newer version at most once per
 *       {@code revalidateInterval}, in the background, while the current version keeps serving. A new
 *       version is loaded and verified beside the old one and swapped in atomically; if it fails, the
 *       old one keeps serving and the failure is reported in its info.</li>
 * </ul>
 *
 * <p>Thread-safe. The hot path ({@link #get} of a loaded model) takes no lock and does no I/O.
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

    private final class Entry {
        final Key key;
        final CompletableFuture<LoadedModel> firstLoad = new CompletableFuture<>();
        final AtomicBoolean revalidating = new AtomicBoolean();
        volatile LoadedModel current;
        volatile long lastUsedNanos;
        volatile long nextCheckNanos;
        volatile String lastRevalidationError;

        Entry(Key key) {
            this.key = key;
        }
    }

    private final Loader loader;
    private final int maxModels;
    private final long revalidateIntervalNanos;
    private final LongSupplier clock;
    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
    private final ExecutorService revalidator;

    /**
     * @param maxModels the most models kept; at least 1
     * @param revalidateInterval how often a model is checked for a newer version; zero turns
     *     background checks off ({@link #revalidateAll()} still works)
     */
    public ModelCache(Loader loader, int maxModels, Duration revalidateInterval) {
        this(loader, maxModels, revalidateInterval, System::nanoTime);
    }

    ModelCache(Loader loader, int maxModels, Duration revalidateInterval, LongSupplier clock) {
        if (maxModels < 1) {
            throw new IllegalArgumentException("maxModels must be at least 1: " + maxModels);
        }
        this.loader = loader;
        this.maxModels = maxModels;
        this.revalidateIntervalNanos = revalidateInterval.toNanos();
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
                return loadFirst(created);
            }
        }
        Entry entry = found;
        LoadedModel model = entry.current;
        if (model == null) {
            model = await(entry);
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
        return model == null ? Optional.empty() : Optional.of(use(entry, model));
    }

    /** Marks the entry used now and schedules its revalidation when due. */
    private LoadedModel use(Entry entry, LoadedModel model) {
        long now = clock.getAsLong();
        entry.lastUsedNanos = now;
        if (revalidateIntervalNanos > 0 && now - entry.nextCheckNanos >= 0 && entry.revalidating.compareAndSet(false, true)) {
            try {
                revalidator.execute(() -> revalidate(entry));
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                entry.revalidating.set(false);
            }
        }
        return entry.lastRevalidationError == null ? model : withRevalidationError(entry);
    }

    /** The loaded models, most recently used first, with any revalidation error attached. */
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
            result.add(withRevalidationError(entry));
        }
        return result;
    }

    /** The loaded model for the key, without loading or touching it. */
    public Optional<LoadedModel> peek(Key key) {
        Entry entry = entries.get(key);
        return entry == null || entry.current == null ? Optional.empty() : Optional.of(withRevalidationError(entry));
    }

    /** Checks every loaded model for a newer version now, in the calling thread. */
    public void revalidateAll() {
        for (Entry entry : entries.values()) {
            if (entry.current != null) {
                while (!entry.revalidating.compareAndSet(false, true)) {
                    Thread.onSpinWait();
                }
                revalidate(entry);
            }
        }
    }

    /** Removes a model from the cache; returns whether it was there. */
    public boolean evict(Key key) {
        Entry entry = entries.remove(key);
        if (entry != null && entry.current != null) {
            entry.current.pipeline().close();
        }
        return entry != null;
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
        entry.current = model;
        entry.firstLoad.complete(model);
        evictBeyondLimit(entry);
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

    private void evictBeyondLimit(Entry keep) {
        while (entries.size() > maxModels) {
            Entry oldest = null;
            for (Entry candidate : entries.values()) {
                if (candidate != keep && candidate.current != null
                        && (oldest == null || candidate.lastUsedNanos - oldest.lastUsedNanos < 0)) {
                    oldest = candidate;
                }
            }
            if (oldest == null) {
                return; // the rest are still loading; they are counted again when they finish
            }
            if (entries.remove(oldest.key, oldest)) {
                log.info("evicted model {} (cache holds at most {} models)", oldest.key, maxModels);
                oldest.current.pipeline().close();
            }
        }
    }

    private void revalidate(Entry entry) {
        try {
            LoadedModel current = entry.current;
            LoadedModel next = loader.reloadIfChanged(entry.key, current);
            if (next != current) {
                entry.current = next;
                log.info("replaced model {}: version {} -> {}, sha256 {} -> {}", entry.key,
                        current.object().version(), next.object().version(), current.info().sha256(), next.info().sha256());
                if (next.pipeline() != current.pipeline()) {
                    current.pipeline().close();
                }
            }
            entry.lastRevalidationError = null;
        } catch (RuntimeException e) {
            String reason = e instanceof InferenceException ? e.getMessage() : e.getClass().getSimpleName();
            if (!reason.equals(entry.lastRevalidationError)) {
                log.warn("model {}: revalidation failed, the loaded version keeps serving: {}", entry.key, reason, e);
            }
            entry.lastRevalidationError = reason;
        } finally {
            entry.nextCheckNanos = clock.getAsLong() + revalidateIntervalNanos;
            entry.revalidating.set(false);
        }
    }

    private static LoadedModel withRevalidationError(Entry entry) {
        LoadedModel model = entry.current;
        String error = entry.lastRevalidationError;
        if (error == null) {
            return model;
        }
        var info = model.info();
        return new LoadedModel(model.pipeline(), new dev.pronto.inference.ModelInfo(info.location(), info.format(),
                info.schema(), info.sha256(), info.sizeBytes(), info.version(), info.loadedAt(), info.loadTime(),
                Optional.of(error)), model.object());
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
        for (Map.Entry<Key, Entry> e : entries.entrySet()) {
            if (e.getValue().current != null) {
                e.getValue().current.pipeline().close();
            }
        }
        entries.clear();
    }
}
