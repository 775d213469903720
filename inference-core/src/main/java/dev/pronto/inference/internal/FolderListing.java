package dev.pronto.inference.internal;

import java.io.IOException;
import java.util.List;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.FolderEntry;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.spi.ListableStorage;
import dev.pronto.inference.spi.Storage;

/**
 * Lists stored folders for the engine through the optional {@link ListableStorage} capability, with
 * the storage's exceptions turned into the engine's categories as loading turns them. Stateless.
 */
public final class FolderListing {

    private FolderListing() {
    }

    /**
     * The entries directly inside {@code folder}, sorted by name.
     *
     * @throws InferenceException {@code INVALID_REQUEST} when no storage serves the scheme or the
     *     storage cannot list; {@code ACCESS_DENIED} outside the allowed containers; {@code UNAVAILABLE}
     *     when the store cannot be reached
     */
    public static List<FolderEntry> list(ProviderRegistry providers, ModelLocation folder) {
        Storage storage = providers.storage(folder.scheme());
        if (storage == null) {
            throw new InferenceException(ErrorCategory.INVALID_REQUEST, "no storage serves the scheme \"" + folder.scheme()
                    + "\" of folder \"" + folder + "\"; available: " + providers.schemes(), ModelLocation.FIELD, -1, null);
        }
        ListableStorage listable = StorageFactory.listing(storage).orElseThrow(() -> new InferenceException(
                ErrorCategory.INVALID_REQUEST, "the storage of scheme \"" + folder.scheme()
                        + "\" cannot list folders, so \"" + folder + "\" cannot be searched for model versions",
                ModelLocation.FIELD, -1, null));
        try {
            return List.copyOf(listable.list(folder));
        } catch (IOException e) {
            throw ModelLoader.translate(e, folder);
        }
    }
}
