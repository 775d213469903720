package dev.pronto.inference.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.spi.Pipeline;

/**
 * Remembers which stored versions of which models failed to load, for a back-off period, so that a
 * broken file is not downloaded and parsed again by every request that names it; a new version of
 * the file is tried at once. Also turns a load that fails with an {@link Error} (the stack
 * overflowing on a deeply nested document, the heap running out on a huge one) into an invalid
 * model, which it is, rather than a failure of the server.
 *
 * <p>Thread-safe.
 */
public final class FailedLoads {

    /** Far more broken models than a service names; past it the memory starts again, which is only slower. */
    private static final int MAX_REMEMBERED = 4096;

    private record Failure(String version, InferenceException error, long atNanos) {
    }

    private final long backoffNanos;
    private final LongSupplier clock;
    private final ConcurrentHashMap<ModelCache.Key, Failure> failures = new ConcurrentHashMap<>();

    /** @param backoff how long a failed version is refused without trying again; zero remembers nothing */
    public FailedLoads(Duration backoff) {
        this(backoff, System::nanoTime);
    }

    FailedLoads(Duration backoff, LongSupplier clock) {
        this.backoffNanos = backoff.toNanos();
        this.clock = clock;
    }

    /**
     * Loads a model, or refuses at once if its stored version is one that failed within the back-off
     * period.
     *
     * @param version the stored version now; asked only while a failure is remembered, and after a failure
     *
     * @throws InferenceException the remembered failure, or the load's own
     */
    public LoadedModel load(ModelCache.Key key, Supplier<String> version, Supplier<LoadedModel> load) {
        Failure failure = failures.get(key);
        if (failure != null) {
            long age = clock.getAsLong() - failure.atNanos();
            // the version is asked for (a stat) only while a failure is remembered
            if (age < backoffNanos && failure.version().equals(version.get())) {
                InferenceException e = failure.error();
                throw new InferenceException(e.category(), e.getMessage() + " (this failure is remembered: the same file is "
                        + "tried again " + Duration.ofNanos(backoffNanos - age).toSeconds() + " s from now, a changed "
                        + "file at once)", e.field().orElse(null), e.record().orElse(-1), null);
            }
            failures.remove(key, failure);
        }
        try {
            return load.get();
        } catch (InferenceException e) {
            if (backoffNanos > 0 && e.category() == ErrorCategory.INVALID_MODEL) {
                if (failures.size() >= MAX_REMEMBERED) {
                    failures.clear();
                }
                failures.put(key, new Failure(Objects.requireNonNull(version.get(), "version"), e, clock.getAsLong()));
            }
            throw e;
        }
    }

    /**
     * Runs a pipeline loader, turning an {@link Error} into {@link ErrorCategory#INVALID_MODEL}: the
     * error came from reading this model, and the server must go on serving the others.
     */
    public static Pipeline guard(ModelLocation location, Supplier<Pipeline> loader) {
        try {
            return loader.get();
        } catch (StackOverflowError e) {
            // no cause: its thousand-frame trace would be logged with the failure and says nothing more
            throw new InferenceException(ErrorCategory.INVALID_MODEL, "model \"" + location + "\" cannot be loaded: "
                    + "it is nested too deeply to read");
        } catch (OutOfMemoryError e) {
            throw new InferenceException(ErrorCategory.INVALID_MODEL, "model \"" + location + "\" cannot be loaded: "
                    + "reading it needs more memory than the server has");
        } catch (Error e) {
            throw new InferenceException(ErrorCategory.INVALID_MODEL, "model \"" + location + "\" cannot be loaded: "
                    + "its reader failed on it", e);
        }
    }
}
