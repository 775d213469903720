package dev.pronto.server;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelInfo;

/**
 * Keeps the served versions of each versioned model in step with its folder and version policy.
 *
 * <p>Each scan lists the folder, and tries the versions the policy allows, newest first: a version not
 * served yet is loaded, verified and warmed by the engine beside the ones serving, and only then made
 * available; a version that fails to load is skipped (so {@code latest 1} keeps the working version
 * before it) and its failure reported; versions leaving the policy, or the folder, are unloaded once
 * the new set is in place, and requests already scoring with them finish with the pipeline they hold.
 * A served version whose file changes in place is the engine's revalidation's business, as for any
 * model. When the folder cannot be listed, the versions serving keep serving and the error is reported.
 *
 * <p>Scans run at {@link #start()}, every {@link VersionSettings#scanInterval()} on one background
 * thread, and on {@link #scan(String)}; scans of one model never overlap. Thread-safe; readers see
 * immutable {@link Snapshot}s and never wait for a scan.
 */
final class VersionWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(VersionWatcher.class);

    /**
     * What one versioned model serves, as of its last scan. Immutable.
     *
     * @param served the locations of the versions served, by version
     * @param failed why the versions the policy wanted but could not serve failed, by version
     * @param stored every numbered version found in the folder
     * @param scanError why the last listing failed, or {@code null}
     * @param scannedAt when the last scan ended, or {@code null} before the first
     */
    record Snapshot(SortedMap<Long, String> served, SortedMap<Long, String> failed, java.util.Set<Long> stored,
            String scanError, Instant scannedAt) {

        static final Snapshot EMPTY = new Snapshot(new TreeMap<>(), new TreeMap<>(), new java.util.TreeSet<>(), null, null);

        Snapshot {
            served = Collections.unmodifiableSortedMap(new TreeMap<>(served));
            failed = Collections.unmodifiableSortedMap(new TreeMap<>(failed));
            stored = Collections.unmodifiableSortedSet(new java.util.TreeSet<>(stored));
        }

        Snapshot failedToList(String reason) {
            return new Snapshot(served, failed, stored, reason, Instant.now());
        }
    }

    /** A versioned model: its folder, its policy and what it serves now. */
    private record Watched(String name, String folder, VersionPolicy policy, AtomicReference<Snapshot> now) {
    }

    private final InferenceEngine engine;
    private final Map<String, Watched> models = new LinkedHashMap<>();
    private final long intervalMillis;
    private ScheduledExecutorService scheduler;

    VersionWatcher(InferenceEngine engine, Map<String, String> folders, VersionSettings settings) {
        this.engine = engine;
        settings.policies().forEach((name, policy) -> models.put(name,
                new Watched(name, folders.get(name), policy, new AtomicReference<>(Snapshot.EMPTY))));
        this.intervalMillis = settings.scanInterval().toMillis();
    }

    /** Whether the name is a versioned model. */
    boolean watches(String name) {
        return models.containsKey(name);
    }

    /** The model's state as of its last scan; empty for a name that is not a versioned model. */
    Optional<Snapshot> snapshot(String name) {
        Watched model = models.get(name);
        return model == null ? Optional.empty() : Optional.of(model.now().get());
    }

    /** The model's version policy. */
    VersionPolicy policy(String name) {
        return models.get(name).policy();
    }

    /** Scans every model once, in this thread, then keeps scanning in the background if an interval is set. */
    synchronized void start() {
        if (scheduler != null || models.isEmpty()) {
            return;
        }
        models.keySet().forEach(this::scan);
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pronto-version-scan");
            thread.setDaemon(true);
            return thread;
        });
        if (intervalMillis > 0) {
            scheduler.scheduleWithFixedDelay(() -> models.keySet().forEach(this::scanQuietly), intervalMillis, intervalMillis,
                    TimeUnit.MILLISECONDS);
        }
    }

    private void scanQuietly(String name) {
        try {
            scan(name);
        } catch (RuntimeException e) {
            // a defect must not end the scheduled scans of every model
            log.error("model \"{}\": scanning its versions failed unexpectedly", name, e);
        }
    }

    /** Scans one model's folder now and applies its policy; returns what it serves afterwards. */
    Snapshot scan(String name) {
        Watched model = models.get(name);
        synchronized (model) {
            Snapshot before = model.now().get();
            SortedMap<Long, String> stored;
            try {
                stored = VersionFolder.versions(engine, model.folder());
            } catch (InferenceException e) {
                if (!e.getMessage().equals(before.scanError())) {
                    log.warn("model \"{}\": cannot list its versions, those serving keep serving: {}", name, e.getMessage());
                }
                model.now().set(before.failedToList(e.getMessage()));
                return model.now().get();
            }
            SortedMap<Long, String> served = new TreeMap<>();
            SortedMap<Long, String> failed = new TreeMap<>();
            for (Long version : model.policy().candidates(stored.keySet())) {
                if (served.size() == model.policy().wanted()) {
                    break;
                }
                String location = before.served().get(version);
                try {
                    if (location == null) {
                        location = VersionFolder.modelFile(engine, model.folder(), stored.get(version));
                        ModelInfo info = engine.model(location); // loaded, verified and warmed beside the versions serving
                        log.info("model \"{}\" version {} available: {} ({} bytes, loaded in {} ms)", name, version,
                                info.location(), info.sizeBytes(), info.loadTime().toMillis());
                    }
                    served.put(version, location);
                } catch (InferenceException e) {
                    failed.put(version, e.getMessage());
                    if (!e.getMessage().equals(before.failed().get(version))) {
                        log.warn("model \"{}\" version {} cannot be served: {}", name, version, e.getMessage());
                    }
                }
            }
            model.now().set(new Snapshot(served, failed, stored.keySet(), null, Instant.now()));
            before.served().forEach((version, location) -> {
                if (!location.equals(served.get(version))) {
                    engine.unload(location);
                    log.info("model \"{}\" version {} is no longer served (policy {})", name, version, model.policy());
                }
            });
            return model.now().get();
        }
    }

    /** Stops the background scans; the engine, and the versions in it, belong to the caller. */
    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
