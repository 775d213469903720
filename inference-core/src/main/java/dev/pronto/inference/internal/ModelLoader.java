package dev.pronto.inference.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelInfo;
import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.toolkit.BoundedInputStream;
import dev.pronto.inference.toolkit.Checksums;
import dev.pronto.inference.spi.ModelSource;
import dev.pronto.inference.spi.ObjectInfo;
import dev.pronto.inference.spi.ObjectStream;
import dev.pronto.inference.spi.Pipeline;
import dev.pronto.inference.spi.ScoringNote;
import dev.pronto.inference.spi.Storage;

/**
 * Reads a model's bytes from its storage and hands them to its format's pipeline loader.
 *
 * <p>Bytes are read with {@link Storage#openObject}, which pairs them with the size and version of
 * exactly the object being read. Asking {@code stat} and then {@code open} could pair the version of
 * one object with the bytes of its replacement, uploaded in between: the loaded model would then be
 * recorded under a version it is not, and a later check could take a changed model for unchanged.
 * The bytes read are checked against the announced size (a storage whose {@code openObject} is the
 * default stat-then-open is caught here when the replacement differs in size, and so is a cut
 * transfer), and their SHA-256 is computed once, for the model's facts and the pipeline alike.
 *
 * <p>Thread-safe: several models may load at once.
 */
public final class ModelLoader implements ModelCache.Loader {

    private static final Logger log = LoggerFactory.getLogger(ModelLoader.class);

    private final ProviderRegistry registry;
    private final long maxModelBytes;
    private final FailedLoads failedLoads;
    private final EngineMetrics metrics;

    /** @param maxModelBytes the largest model read, {@code model.max-bytes} */
    public ModelLoader(ProviderRegistry registry, long maxModelBytes) {
        this(registry, maxModelBytes, EngineSettings.DEFAULTS.failedLoadBackoff(), EngineMetrics.none());
    }

    /**
     * @param maxModelBytes the largest model read, {@code model.max-bytes}
     * @param failedLoadBackoff how long a version that failed to load is refused, {@code model.failed-load-backoff}
     * @param metrics where loads and storage requests are counted
     */
    public ModelLoader(ProviderRegistry registry, long maxModelBytes, Duration failedLoadBackoff, EngineMetrics metrics) {
        this.registry = registry;
        this.maxModelBytes = maxModelBytes;
        this.failedLoads = new FailedLoads(failedLoadBackoff);
        this.metrics = metrics;
    }

    @Override
    public LoadedModel load(ModelCache.Key key) {
        return failedLoads.load(key, () -> version(key), () -> timed(key, null));
    }

    private String version(ModelCache.Key key) {
        try {
            String version = storage(key).stat(key.location()).version();
            counted(key, "stat", null);
            return version;
        } catch (IOException e) {
            throw counted(key, "stat", translate(e, key.location()));
        }
    }

    /** Reads the model, and records the load with its outcome and duration. */
    private LoadedModel timed(ModelCache.Key key, LoadedModel current) {
        long started = System.nanoTime();
        try {
            LoadedModel loaded = read(key, current);
            metrics.admit(key);
            metrics.model(key).loaded(System.nanoTime() - started, true);
            return loaded;
        } catch (RuntimeException e) {
            metrics.model(key).loaded(System.nanoTime() - started, false);
            throw e;
        }
    }

    @Override
    public LoadedModel reloadIfChanged(ModelCache.Key key, LoadedModel current) {
        ObjectInfo object;
        try {
            // a stat is cheap next to a download, and most checks find the model unchanged
            object = storage(key).stat(key.location());
            counted(key, "stat", null);
        } catch (IOException e) {
            throw counted(key, "stat", translate(e, key.location()));
        }
        return object.version().equals(current.object().version()) ? current : timed(key, current);
    }

    private LoadedModel read(ModelCache.Key key, LoadedModel current) {
        ModelLocation location = key.location();
        long started = System.nanoTime();
        byte[] content;
        ObjectInfo object;
        try (ObjectStream in = storage(key).openObject(location)) {
            object = in.info();
            if (object.size() > maxModelBytes) {
                throw new InferenceException(ErrorCategory.INVALID_MODEL, "model \"" + location + "\" is "
                        + object.size() + " bytes, more than model.max-bytes (" + maxModelBytes + ")");
            }
            content = readAtMost(in, location);
            counted(key, "read", null);
        } catch (IOException e) {
            throw counted(key, "read", translate(e, location));
        }
        if (content.length != object.size()) {
            throw new InferenceException(ErrorCategory.UNAVAILABLE, "model \"" + location + "\": read " + content.length
                    + " bytes where the storage announced " + object.size()
                    + "; the object changed while it was read or the transfer was cut, try again");
        }
        String sha256 = Checksums.sha256Hex(content);
        if (current != null && current.info().sha256().equals(sha256)) {
            // same bytes under a new version token (touched file, re-uploaded object): keep the pipeline
            ModelInfo was = current.info();
            return new LoadedModel(current.pipeline(), new ModelInfo(was.location(), was.format(), was.schema(),
                    was.sha256(), was.sizeBytes(), object.version(), was.loadedAt(), was.loadTime()), object, current.weight());
        }
        byte[] bytes = content;
        Pipeline pipeline = FailedLoads.guard(location, () -> registry.loader(key.format())
                .load(new ModelSource(location, bytes, sha256)));
        Duration loadTime = Duration.ofNanos(System.nanoTime() - started);
        ModelInfo info = new ModelInfo(location, key.format(), pipeline.schema(), sha256, content.length,
                object.version(), Instant.now(), loadTime);
        LoadedModel loaded = new LoadedModel(pipeline, info, object);
        String note = pipeline instanceof ScoringNote scoring ? scoring.scoringNote() : "";
        log.info("loaded model {} ({}, {} bytes, sha256 {}, {} KiB of heap) in {} ms{}", location, key.format(),
                content.length, sha256, loaded.weight() / 1024, loadTime.toMillis(), note.isEmpty() ? "" : ", " + note);
        return loaded;
    }

    /** Counts a storage request, failed when {@code failure} is not {@code null}; returns the failure. */
    private InferenceException counted(ModelCache.Key key, String operation, InferenceException failure) {
        metrics.storageRequest(key.location().scheme(), operation, failure);
        return failure;
    }

    private Storage storage(ModelCache.Key key) {
        return registry.storage(key.location().scheme());
    }

    private byte[] readAtMost(ObjectStream in, ModelLocation location) throws IOException {
        try {
            return new BoundedInputStream(in, maxModelBytes).readAllBytes();
        } catch (BoundedInputStream.LimitExceededException e) {
            throw new InferenceException(ErrorCategory.INVALID_MODEL, "model \"" + location
                    + "\" is larger than model.max-bytes (" + maxModelBytes + ")");
        }
    }

    /** Maps the storage SPI's exceptions to categories, with messages that hold no server path. */
    static InferenceException translate(IOException e, ModelLocation location) {
        if (e instanceof NoSuchFileException) {
            return new InferenceException(ErrorCategory.NOT_FOUND, "model not found: \"" + location + "\"", e);
        }
        if (e instanceof AccessDeniedException denied) {
            String reason = denied.getReason();
            return new InferenceException(ErrorCategory.ACCESS_DENIED, "access to model location \"" + location
                    + "\" is not allowed" + (reason == null ? "" : ": " + reason), ModelLocation.FIELD, -1, e);
        }
        return new InferenceException(ErrorCategory.UNAVAILABLE, "the storage of model \"" + location
                + "\" cannot be reached", e);
    }
}
