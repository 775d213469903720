package dev.pronto.server;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Where the server is in its life: {@code starting} until the configured models are loaded and
 * warm, then {@code ready}, then {@code stopping} once shutdown begins. {@code /ping} and
 * {@code /health/ready} answer 200 only when ready. Thread-safe.
 */
public final class ServerState {

    /** The phases, in order. */
    public enum Phase { STARTING, READY, STOPPING }

    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.STARTING);

    /** A state that starts in {@link Phase#STARTING}. */
    public ServerState() {
    }

    /** The current phase. */
    public Phase phase() {
        return phase.get();
    }

    /** Marks the server ready, unless it is already stopping. */
    public void ready() {
        phase.compareAndSet(Phase.STARTING, Phase.READY);
    }

    /** Marks the server stopping; readiness probes fail from now on. */
    public void stopping() {
        phase.set(Phase.STOPPING);
    }
}
