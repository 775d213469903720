package dev.pronto.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;

import dev.pronto.inference.spi.LocalFileCache;
import dev.pronto.storage.s3.testing.S3ProxyServer;

/** The storage contract against a real S3 server, through the local file cache checking on every call. */
class CachedS3StorageContractIT extends S3StorageContractIT {

    @TempDir
    Path cacheFolder;

    @Override
    protected Map<String, String> config() {
        Map<String, String> config = super.config();
        config.put("local-folder", cacheFolder.toString());
        config.put("revalidate-interval", "0");
        return config;
    }

    @Override
    protected void checkStorage() {
        assertThat(storage()).isInstanceOf(LocalFileCache.class);
    }

    @Override
    protected String location(String name) {
        return "s3://" + S3ProxyServer.BUCKET + "/" + name;
    }
}
