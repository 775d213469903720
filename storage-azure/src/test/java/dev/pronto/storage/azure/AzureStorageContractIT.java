package dev.pronto.storage.azure;

import java.io.IOException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;

import dev.pronto.inference.internal.StorageFactory;
import dev.pronto.inference.spi.Storage;
import dev.pronto.inference.testing.StorageContractTest;
import dev.pronto.storage.azure.testing.Azurite;
import dev.pronto.storage.azure.testing.SharedAzurite;

/** The shared storage contract, against a real Azurite. */
@ExtendWith(SharedAzurite.class)
class AzureStorageContractIT extends StorageContractTest {

    private static final String CONTAINER = "contract";

    private Storage storage;
    private BlobContainerClient container;

    @BeforeEach
    void connect(Azurite azurite) {
        container = azurite.container(CONTAINER);
        storage = StorageFactory.create(new AzureStorageProvider(), azurite.storageConfig(CONTAINER));
    }

    @AfterEach
    void disconnect() throws IOException {
        storage.close();
    }

    @Override
    protected Storage storage() {
        return storage;
    }

    @Override
    protected void write(String name, byte[] content) {
        container.getBlobClient(name).upload(BinaryData.fromBytes(content), true);
    }

    @Override
    protected String location(String name) {
        return "az://" + CONTAINER + "/" + name;
    }

    @Override
    protected String deniedLocation() {
        return "/az-not-configured/model.pmml";
    }
}
