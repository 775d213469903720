package dev.pronto.inference.pmml.compiled;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of {@link ModelCompiler#compile}: a checked scorer, or none; and a note that says
 * which and why, for the engine's one log line per model load.
 *
 * <p>Immutable and thread-safe.
 */
public final class Compilation {

    private final CompiledScorer scorer;
    private final String note;
    private final int compared;
    private final Map<String, Object> warmUpRecord;

    private Compilation(CompiledScorer scorer, String note, int compared, Map<String, Object> warmUpRecord) {
        this.scorer = scorer;
        this.note = note;
        this.compared = compared;
        this.warmUpRecord = warmUpRecord;
    }

    static Compilation compiled(CompiledScorer scorer, int compared, Map<String, Object> warmUpRecord) {
        return new Compilation(scorer, "scored compiled (" + scorer.modelType() + "; same predictions as jpmml on "
                + compared + " check records)", compared,
                Collections.unmodifiableMap(new HashMap<>(warmUpRecord)));
    }

    /** The model stays on jpmml; {@code why} completes "scored by jpmml (...)". */
    static Compilation jpmml(String why, int compared) {
        return new Compilation(null, "scored by jpmml (" + why + ")", compared, Map.of());
    }

    /** The scorer that passed the cross-check against jpmml; empty when every record goes to jpmml. */
    public Optional<CompiledScorer> scorer() {
        return Optional.ofNullable(scorer);
    }

    /** How the model is scored and why, e.g. {@code scored by jpmml (not compiled: ...)}. */
    public String note() {
        return note;
    }

    /** How many records the cross-check scored both ways and found equal. */
    public int compared() {
        return compared;
    }

    /**
     * A record the compiled scorer takes, to warm up the path clients' records will take; empty when
     * the model is not compiled.
     */
    public Map<String, Object> warmUpRecord() {
        return warmUpRecord;
    }
}
