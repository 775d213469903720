package dev.pronto.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelInfo;
import dev.pronto.inference.ModelLocation;

/**
 * The named models the V1 and V2 protocols serve, and their state as the repository API sets it.
 * Names come from {@code [Models]} ({@link ModelNames}), or are versioned models whose versions their
 * folder and version policy decide ({@link VersionWatcher}). A configured name is available until
 * {@code unload}, which takes all its versions out of the engine's memory and refuses requests for it
 * until {@code load}. Requests already scoring finish (a pipeline keeps scoring after it is closed).
 * The seed's {@code /invocations} does not consult the unloaded state: it loads whatever it is asked
 * for, as it always did. Thread-safe.
 */
final class ModelRepository implements AutoCloseable {

    /** {@code name@version}, as {@code pipelineFilename} and {@code GET /models/{name}} may name a version. */
    private static final Pattern NAME_AT_VERSION = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]*)(?:@([0-9]{1,18}))?");

    /**
     * One line of the repository index.
     *
     * @param name the model name
     * @param version its version, or {@code null} for an unversioned name
     * @param state {@code READY} (in memory), {@code UNAVAILABLE} (configured, not in memory, or a version
     *     that failed to load) or {@code UNLOADED}
     * @param reason why a ready model may be stale, or why a version is unavailable; or empty
     */
    record IndexEntry(String name, String version, String state, String reason) {
    }

    private final InferenceEngine engine;
    private final ModelNames names;
    private final VersionWatcher versioned;
    private final ScoringExecutor scoring;
    private final Set<String> unloaded = ConcurrentHashMap.newKeySet();

    ModelRepository(InferenceEngine engine, ModelNames names, ScoringExecutor scoring) {
        this(engine, names, new VersionWatcher(engine, Map.of(), VersionSettings.none()), scoring);
    }

    ModelRepository(InferenceEngine engine, ModelNames names, VersionWatcher versioned, ScoringExecutor scoring) {
        this.engine = engine;
        this.names = names;
        this.versioned = versioned;
        this.scoring = scoring;
    }

    /** The repository of the settings' names and versioned folders; {@link #start()} scans the folders. */
    static ModelRepository of(InferenceEngine engine, ServerSettings settings, ScoringExecutor scoring) {
        VersionSettings versions = settings.versions();
        return new ModelRepository(engine, ModelNames.of(settings.models(), versions.policies().keySet()),
                new VersionWatcher(engine, settings.models(), versions), scoring);
    }

    ModelNames names() {
        return names;
    }

    /** Finds the versions in the folders of versioned models, then keeps looking in the background. */
    void start() {
        versioned.start();
    }

    /** Stops looking for versions. */
    @Override
    public void close() {
        versioned.close();
    }

    /**
     * The entry a request means, if its model is not unloaded: the version named, or with none the
     * highest version served.
     *
     * @throws ApiException 404 for an unknown name or version, a version the policy does not serve, or an unloaded model
     */
    ModelNames.Entry resolve(String name, String version) {
        ModelNames.Entry entry = find(name, version);
        if (unloaded.contains(name)) {
            throw new ApiException(404, "model_unloaded", "model \"" + name + "\" is unloaded; POST /v2/repository/models/"
                    + name + "/load loads it again");
        }
        return entry;
    }

    /**
     * The entry a name and version mean, unloaded or not: for descriptions, which do not score.
     *
     * @throws ApiException 404 for an unknown name or version, or a version the policy does not serve
     */
    ModelNames.Entry find(String name, String version) {
        return versioned.watches(name) ? resolveVersioned(name, version) : names.resolve(name, version);
    }

    /**
     * The location a seed request's {@code pipelineFilename} or {@code GET /models/{name}} means when it
     * names a versioned model ({@code fraud}, {@code fraud@3}); empty for anything else.
     *
     * @throws ApiException 404 as {@link #resolve} for a versioned model that does not serve that version
     */
    Optional<String> versionedLocation(String text) {
        // asked for every request: the name before any "@" settles most requests (no versioned model of that
        // name) without the pattern
        int at = text.indexOf('@');
        if (!versioned.watches(at < 0 ? text : text.substring(0, at))) {
            return Optional.empty();
        }
        Matcher m = NAME_AT_VERSION.matcher(text);
        if (!m.matches() || !versioned.watches(m.group(1))) {
            return Optional.empty();
        }
        return Optional.of(resolveVersioned(m.group(1), m.group(2)).location());
    }

    private ModelNames.Entry resolveVersioned(String name, String version) {
        VersionWatcher.Snapshot now = versioned.snapshot(name).orElseThrow();
        if (version == null) {
            if (now.served().isEmpty()) {
                throw new ApiException(404, "model_not_found", "model \"" + name + "\" serves no version yet"
                        + whyNone(now));
            }
            return entry(name, now.served().lastKey(), now);
        }
        Long number = version.matches("[0-9]{1,18}") ? Long.parseLong(version) : null;
        if (number != null && now.served().containsKey(number)) {
            return entry(name, number, now);
        }
        String reason = number != null && now.failed().containsKey(number) ? "it failed to load: " + now.failed().get(number)
                : number != null && now.stored().contains(number) ? "its version policy is \"" + versioned.policy(name) + "\""
                : "it is not stored";
        throw new ApiException(404, "model_not_found", "model \"" + name + "\" does not serve version \"" + version + "\": "
                + reason + "; the versions served are " + now.served().keySet());
    }

    private static String whyNone(VersionWatcher.Snapshot now) {
        if (now.scanError() != null) {
            return ": " + now.scanError();
        }
        return now.failed().isEmpty() ? ": its folder holds no version its policy allows"
                : ": " + now.failed().values().iterator().next();
    }

    private static ModelNames.Entry entry(String name, long version, VersionWatcher.Snapshot now) {
        return new ModelNames.Entry(name, String.valueOf(version), now.served().get(version));
    }

    /** The versions a request without a version may get, ascending; empty for an unversioned name. */
    List<String> versions(String name) {
        if (versioned.watches(name)) {
            return versioned.snapshot(name).orElseThrow().served().keySet().stream().map(String::valueOf).toList();
        }
        return names.versions(name);
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

    /** Loads every version of the name (for a versioned model, after looking for new ones) and makes it available again. */
    void load(String name) {
        if (versioned.watches(name)) {
            scoring.call(() -> versioned.scan(name));
        } else {
            names.resolve(name, null); // 404 for an unknown name
        }
        for (ModelNames.Entry entry : entries()) {
            if (entry.name().equals(name)) {
                info(entry);
            }
        }
        unloaded.remove(name);
    }

    /** Refuses new requests for the name, then takes every version out of memory. */
    void unload(String name) {
        if (!versioned.watches(name)) {
            names.resolve(name, null);
        }
        unloaded.add(name);
        for (ModelNames.Entry entry : entries()) {
            if (entry.name().equals(name)) {
                engine.unload(entry.location());
            }
        }
    }

    /** The configured entries and the versions served now, per name in configuration order. */
    private List<ModelNames.Entry> entries() {
        List<ModelNames.Entry> all = new ArrayList<>();
        List<ModelNames.Entry> configured = names.entries();
        for (String name : names.names()) {
            if (versioned.watches(name)) {
                VersionWatcher.Snapshot now = versioned.snapshot(name).orElseThrow();
                now.served().keySet().forEach(version -> all.add(entry(name, version, now)));
            } else {
                configured.stream().filter(entry -> entry.name().equals(name)).forEach(all::add);
            }
        }
        return all;
    }

    /**
     * Every configured model and version with its state, and the versions of versioned models that
     * failed to load; only the ready ones if {@code readyOnly}.
     */
    List<IndexEntry> index(boolean readyOnly) {
        List<IndexEntry> index = new ArrayList<>();
        for (ModelNames.Entry entry : entries()) {
            ModelInfo info = engine.modelIfLoaded(entry.location()).orElse(null);
            String state = unloaded.contains(entry.name()) ? "UNLOADED" : info != null ? "READY" : "UNAVAILABLE";
            if (!readyOnly || state.equals("READY")) {
                String reason = info == null ? "" : engine.status(info).problem().orElse("");
                index.add(new IndexEntry(entry.name(), entry.version(), state, reason));
            }
        }
        if (!readyOnly) {
            for (String name : names.names()) {
                versioned.snapshot(name).ifPresent(now -> {
                    now.failed().forEach((version, reason) ->
                            index.add(new IndexEntry(name, String.valueOf(version), "UNAVAILABLE", reason)));
                    if (now.scanError() != null) {
                        index.add(new IndexEntry(name, null, "UNAVAILABLE", "its versions cannot be listed: " + now.scanError()));
                    }
                });
            }
        }
        return index;
    }

    /** What a versioned model serves and why not more, for {@code GET /models}; empty for other names. */
    Optional<VersionWatcher.Snapshot> versionState(String name) {
        return versioned.snapshot(name);
    }

    /** The configured entry or served version whose model is stored at the canonical location, if one is. */
    Optional<ModelNames.Entry> entryAt(ModelLocation location) {
        String canonical = location.toString();
        for (ModelNames.Entry entry : entries()) {
            try {
                if (ModelLocation.parse(entry.location()).toString().equals(canonical)) {
                    return Optional.of(entry);
                }
            } catch (InferenceException malformed) {
                // refused at startup by Main; an app built by hand may hold one, which names no model in memory
            }
        }
        return Optional.empty();
    }
}
