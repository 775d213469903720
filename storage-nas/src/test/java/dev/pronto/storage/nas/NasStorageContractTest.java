package dev.pronto.storage.nas;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import dev.pronto.inference.internal.StorageFactory;
import dev.pronto.inference.spi.Storage;
import dev.pronto.inference.testing.StorageContractTest;

/** The shared storage contract against real folders: a NAS share. */
class NasStorageContractTest extends StorageContractTest {

    @TempDir
    Path share;
    private Storage storage;

    @BeforeEach
    void createStorage() {
        storage = StorageFactory.create(new NasStorageProvider(), Map.of("share.models", share.toString()));
    }

    @Override
    protected Storage storage() {
        return storage;
    }

    @Override
    protected void write(String name, byte[] content) throws Exception {
        Path file = share.resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }

    @Override
    protected String location(String name) {
        return "/nas-models/" + name;
    }

    @Override
    protected String deniedLocation() {
        return "/nas-other/contract/x.pmml";
    }
}
