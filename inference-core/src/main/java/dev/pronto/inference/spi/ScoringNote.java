package dev.pronto.inference.spi;

/**
 * A capability of a {@link Pipeline} that can say in a few words how it scores records, such as
 * {@code "scored compiled (...)"}: the engine appends the note to its one log line per model load.
 * Pipelines with nothing to add do not implement this.
 *
 * <p>Thread-safe, like the pipeline that implements it.
 */
public interface ScoringNote {

    /** The note; empty adds nothing to the log line. */
    String scoringNote();
}
