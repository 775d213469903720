package dev.pronto.inference.internal;

import java.util.Optional;

import dev.pronto.inference.ModelInfo;
import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.ModelStatus;

/**
 * Composes a loaded model's {@link ModelStatus} from what the cache remembers of its last check and
 * what its storage says about staleness: the one place the engine asks why what a storage serves may
 * be out of date. Reads state only; never loads or checks anything. Stateless and thread-safe.
 */
public final class ModelStatuses {

    private ModelStatuses() {
    }

    /** The status of the model now; a model not in memory has no checks to report. */
    public static ModelStatus of(ModelInfo model, ModelCache cache, ProviderRegistry providers) {
        ModelStatus status = ModelStatus.UNCHECKED;
        Optional<ModelCache.Check> check = cache.lastCheck(new ModelCache.Key(model.location(), model.format()));
        if (check.isPresent()) {
            status = status.checkedAt(check.get().at());
            if (check.get().error() != null) {
                status = status.failed(check.get().error());
            }
        }
        Optional<String> stale = staleness(model.location(), providers);
        return stale.isPresent() ? status.stale(stale.get()) : status;
    }

    private static Optional<String> staleness(ModelLocation location, ProviderRegistry providers) {
        var storage = providers.storage(location.scheme());
        return storage == null ? Optional.empty() : StorageFactory.staleness(storage, location);
    }
}
