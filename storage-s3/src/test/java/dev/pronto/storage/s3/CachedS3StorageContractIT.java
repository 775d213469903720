package dev.pronto.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pronto.inference.ModelLocation;

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
        // the engine's file cache, not the bare S3 storage, is in front
        assertThat(storage()).isNotInstanceOf(S3Storage.class);
    }

    @Test
    void openingKeepsALocalCopy() throws Exception {
        write("contract/copied.bin", "copied".getBytes(StandardCharsets.UTF_8));

        try (InputStream in = storage().open(ModelLocation.parse(location("contract/copied.bin")))) {
            assertThat(in.readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("copied");
        }

        assertThat(cacheFolder.resolve("s3/" + S3ProxyServer.BUCKET + "/contract/copied.bin")).hasContent("copied");
    }

    @Override
    protected String location(String name) {
        return "s3://" + S3ProxyServer.BUCKET + "/" + name;
    }
}
