package dev.pronto.storage.s3;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import dev.pronto.inference.internal.StorageFactory;
import dev.pronto.inference.spi.Storage;
import dev.pronto.inference.testing.StorageContractTest;
import dev.pronto.storage.s3.testing.S3ProxyServer;

/** The storage contract against a real S3 server, without a local file cache. */
class S3StorageContractIT extends StorageContractTest {

    @TempDir
    static Path folder;
    private static S3ProxyServer s3;
    private Storage storage;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = new S3ProxyServer(folder);
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    @BeforeEach
    void createStorage() {
        // as the engine builds it, so that configuration can put the file cache in front
        storage = StorageFactory.create(new S3StorageProvider(), config());
        checkStorage();
    }

    /** The provider's configuration; subclasses add keys. */
    protected Map<String, String> config() {
        return s3.storageConfig();
    }

    /** Checks that the configuration built the storage a subclass means to test. */
    protected void checkStorage() {
        org.assertj.core.api.Assertions.assertThat(storage).isInstanceOf(S3Storage.class);
    }

    @AfterEach
    void closeStorage() throws Exception {
        storage.close();
    }

    @Override
    protected Storage storage() {
        return storage;
    }

    @Override
    protected void write(String name, byte[] content) {
        s3.put(name, content);
    }

    @Override
    protected String location(String name) {
        return "/s3-" + S3ProxyServer.BUCKET + "/" + name;
    }

    @Override
    protected String deniedLocation() {
        return "s3://another-bucket/model.pmml";
    }
}
