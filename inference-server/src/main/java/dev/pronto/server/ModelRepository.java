package dev.pronto.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.ModelInfo;

/**
 * The named models the V1 and V2 protocols serve, and their state as the repository API sets it.
 * A configured name is available until {@code unload}, which takes all its versions out of the
 * engine's memory and refuses requests for it until {@code load}. Requests already scoring finish
 * (a pipeline keeps scoring after it is closed). The seed's {@code /invocations} does not consult
 * this state: it loads whatever it is asked for, as it always did. Thread-safe.
 */
final class ModelRepository {

    /**
     * One line of the repository index.
     *
     * @param name the model name
     * @param version its version, or {@code null} for an unversioned name
     * @param state {@code READY} (in memory), {@code UNAVAILABLE} (configured, not in memory) or {@code UNLOADED}
     * @param reason why a ready model may be stale, or empty
     */
    record IndexEntry(String name, String version, String state, String reason) {
    }

    private final InferenceEngine engine;
    private final ModelNames names;
    private final ScoringExecutor scoring;
    private final Set<String> unloaded = ConcurrentHashMap.newKeySet();

    ModelRepository(InferenceEngine engine, ModelNames names, ScoringExecutor scoring) {
        this.engine = engine;
        this.names = names;
        this.scoring = scoring;
    }

    ModelNames names() {
        return names;
    }

    /**
     * The entry a request means, if its model is not unloaded.
     *
     * @throws ApiException 404 for an unknown name or version, or an unloaded model
     */
    ModelNames.Entry resolve(String name, String version) {
        ModelNames.Entry entry = names.resolve(name, version);
        if (unloaded.contains(name)) {
            throw new ApiException(404, "model_unloaded", "model \"" + name + "\" is unloaded; POST /v2/repository/models/"
                    + name + "/load loads it again");
        }
        return entry;
    }

    /** The model's facts, loading it (within the request timeout) if it is not in memory. */
    ModelInfo info(ModelNames.Entry entry) {
        // in memory: answered without I/O on this thread; a load goes to the pool, which has the request timeout
        return engine.modelIfLoaded(entry.location()).orElseGet(() -> scoring.call(() -> engine.model(entry.location())));
    }

    /** Whether the entry's model is in memory; never loads it. */
    boolean isLoaded(ModelNames.Entry entry) {
        return engine.modelIfLoaded(entry.location()).isPresent();
    }

    /** Loads every configured version of the name and makes it available again. */
    void load(String name) {
        names.resolve(name, null); // 404 for an unknown name
        for (ModelNames.Entry entry : names.entries()) {
            if (entry.name().equals(name)) {
                info(entry);
            }
        }
        unloaded.remove(name);
    }

    /** Refuses new requests for the name, then takes every version out of memory. */
    void unload(String name) {
        names.resolve(name, null);
        unloaded.add(name);
        for (ModelNames.Entry entry : names.entries()) {
            if (entry.name().equals(name)) {
                engine.unload(entry.location());
            }
        }
    }

    /** Every configured model and version with its state; only the ready ones if {@code readyOnly}. */
    List<IndexEntry> index(boolean readyOnly) {
        List<IndexEntry> index = new ArrayList<>();
        for (ModelNames.Entry entry : names.entries()) {
            ModelInfo info = engine.modelIfLoaded(entry.location()).orElse(null);
            String state = unloaded.contains(entry.name()) ? "UNLOADED" : info != null ? "READY" : "UNAVAILABLE";
            if (!readyOnly || state.equals("READY")) {
                String reason = info == null ? "" : engine.status(info).problem().orElse("");
                index.add(new IndexEntry(entry.name(), entry.version(), state, reason));
            }
        }
        return index;
    }
}
