package dev.pronto.storage.s3;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import dev.pronto.inference.spi.LocalFileCache;
import dev.pronto.inference.spi.Storage;
import dev.pronto.inference.testing.StorageContractTest;

/** The storage contract against a real S3 server, through the local file cache checking on every call. */
class CachedS3StorageContractIT extends StorageContractTest {

    @TempDir
    static Path folder;
    @TempDir
    Path cacheFolder;
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
        Map<String, String> config = s3.storageConfig();
        config.put("local-folder", cacheFolder.toString());
        config.put("revalidate-interval", "0");
        storage = new S3StorageProvider().create(config);
    }

    @AfterEach
    void closeStorage() throws Exception {
        storage.close();
    }

    @Override
    protected Storage storage() {
        org.assertj.core.api.Assertions.assertThat(storage).isInstanceOf(LocalFileCache.class);
        return storage;
    }

    @Override
    protected void write(String name, byte[] content) {
        s3.put(name, content);
    }

    @Override
    protected String location(String name) {
        return "s3://" + S3ProxyServer.BUCKET + "/" + name;
    }

    @Override
    protected String deniedLocation() {
        return "/s3-another-bucket/model.pmml";
    }
}
