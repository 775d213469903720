package dev.pronto.inference.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.spi.Storage;
import dev.pronto.inference.testing.InMemoryStorageProvider;
import dev.pronto.inference.toolkit.InvalidPropertyException;

class StorageFactoryTest {

    private static final ModelLocation MODEL = ModelLocation.parse("s3://bucket/iris.pmml");

    @TempDir
    Path folder;

    // refuses any key it is given, so a cache key that leaked through would fail the test
    private final InMemoryStorageProvider store = new InMemoryStorageProvider(Set.of("s3"));

    @Test
    void withoutALocalFolderTheProvidersOwnStorageIsUsed() {
        assertThat(StorageFactory.create(store, Map.of())).isSameAs(store);
    }

    @Test
    void localFolderPutsTheFileCacheInFrontWithoutTheProviderSeeingItsKeys() throws IOException {
        store.put(MODEL.toString(), "model".getBytes(StandardCharsets.UTF_8));

        Storage storage = StorageFactory.create(store, Map.of("local-folder", folder.resolve("cache").toString(),
                "revalidate-interval", "5m"));
        try (InputStream in = storage.open(MODEL)) {
            assertThat(in.readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("model");
        }

        assertThat(storage).isInstanceOf(CachingStorage.class);
        assertThat(folder.resolve("cache/s3/bucket/iris.pmml")).hasContent("model");
    }

    @Test
    void keysOtherThanTheCacheKeysReachTheProvider() {
        assertThatThrownBy(() -> StorageFactory.create(store, Map.of("local-folder", folder.toString(), "region", "x")))
                .hasMessageContaining("unknown configuration keys: [region]");
    }

    @Test
    void localFolderIsRefusedForAStorageThatReadsFiles() {
        InMemoryStorageProvider files = new InMemoryStorageProvider(Set.of("file", "nas"));

        assertThatThrownBy(() -> StorageFactory.create(files, Map.of("local-folder", folder.toString())))
                .isInstanceOfSatisfying(InvalidPropertyException.class,
                        e -> assertThat(e.key()).isEqualTo("storage.memory.local-folder"))
                .hasMessageContaining("the local file cache is for remote stores");
    }

    @Test
    void unusableFolderIsNamedByItsKey() throws IOException {
        Path file = Files.writeString(folder.resolve("a-file"), "not a folder");

        assertThatThrownBy(() -> StorageFactory.create(store, Map.of("local-folder", file.toString())))
                .isInstanceOfSatisfying(InvalidPropertyException.class,
                        e -> assertThat(e.key()).isEqualTo("storage.memory.local-folder"))
                .hasMessageContaining("cannot create the folder");
    }

    @Test
    void malformedRevalidateIntervalIsNamedByItsKey() {
        assertThatThrownBy(() -> StorageFactory.create(store, Map.of("local-folder", folder.toString(),
                "revalidate-interval", "soon")))
                .isInstanceOfSatisfying(InvalidPropertyException.class,
                        e -> assertThat(e.key()).isEqualTo("storage.memory.revalidate-interval"));
    }

    @Test
    void aStorageWithoutFileCacheIsNeverStale() {
        assertThat(StorageFactory.staleness(store, MODEL)).isEmpty();
    }
}
