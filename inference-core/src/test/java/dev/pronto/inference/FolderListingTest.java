package dev.pronto.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pronto.inference.internal.StorageFactory;
import dev.pronto.inference.spi.ListableStorage;
import dev.pronto.inference.testing.InMemoryStorageProvider;

/** {@link InferenceEngine#list}: through the listing capability, refused clearly where there is none. */
class FolderListingTest {

    @TempDir
    Path cache;

    @Test
    void aStorageThatCannotListIsRefusedByName() {
        try (InferenceEngine engine = InferenceEngine.builder().discoverProviders(false)
                .storageProvider(new InMemoryStorageProvider(Set.of("file"))).build()) {
            assertThatThrownBy(() -> engine.list("repo/iris"))
                    .isInstanceOfSatisfying(InferenceException.class, e -> assertThat(e.category())
                            .isEqualTo(ErrorCategory.INVALID_REQUEST))
                    .hasMessage("the storage of scheme \"file\" cannot list folders, so \"file:repo/iris\" cannot be"
                            + " searched for model versions");
            assertThatThrownBy(() -> engine.list("s3://bucket/repo"))
                    .hasMessageContaining("no storage serves the scheme \"s3\" of folder \"s3://bucket/repo\"");
        }
    }

    @Test
    void theFileCacheListsThroughToTheStore() throws Exception {
        ListableStorage store = new ListableStorage() {
            @Override
            public java.util.List<FolderEntry> list(ModelLocation folder) {
                return java.util.List.of(new FolderEntry("1", true));
            }

            @Override
            public dev.pronto.inference.spi.ObjectInfo stat(ModelLocation location) {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.io.InputStream open(ModelLocation location) {
                throw new UnsupportedOperationException();
            }
        };
        var provider = new dev.pronto.inference.spi.StorageProvider() {
            @Override
            public String name() {
                return "fake";
            }

            @Override
            public Set<String> schemes() {
                return Set.of("s3");
            }

            @Override
            public dev.pronto.inference.spi.Storage create(Map<String, String> properties) {
                return store;
            }
        };
        var cached = StorageFactory.create(provider, Map.of("local-folder", Files.createDirectories(cache).toString()));

        assertThat(cached).isNotSameAs(store);
        assertThat(StorageFactory.listing(cached)).containsSame(store);
    }
}
