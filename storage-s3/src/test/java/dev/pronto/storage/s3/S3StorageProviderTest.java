package dev.pronto.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.AccessDeniedException;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.internal.StorageFactory;
import dev.pronto.inference.spi.Storage;

/** Configuration checks of the provider; nothing here reaches a server. */
class S3StorageProviderTest {

    private final S3StorageProvider provider = new S3StorageProvider();

    @Test
    void servesTheS3SchemeUnderTheNameS3AndMasksItsSecrets() {
        assertThat(provider.name()).isEqualTo("s3");
        assertThat(provider.schemes()).containsExactly("s3");
        assertThat(provider.secretPropertyNames()).containsExactlyInAnyOrder("secret-access-key", "session-token");
    }

    @Test
    void withoutBucketsEveryLocationIsRefusedNamingTheKey() throws Exception {
        try (Storage storage = provider.create(Map.of())) {
            assertThatThrownBy(() -> storage.stat(ModelLocation.parse("/s3-models/iris.pmml")))
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("bucket \"models\" is not one of the buckets")
                    .hasMessageContaining("storage.s3.buckets");
        }
    }

    @Test
    void unknownKeyIsRejectedByName() {
        assertThatThrownBy(() -> provider.create(Map.of("buckets", "models", "bucket", "models")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("storage.s3.bucket");
    }

    @Test
    void accessKeyWithoutSecretIsRejectedNamingBothKeysButNoValue() {
        assertThatThrownBy(() -> provider.create(Map.of("buckets", "models", "access-key-id", "AKIAEXAMPLE")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("storage.s3.access-key-id").hasMessageContaining("storage.s3.secret-access-key")
                .hasMessageNotContaining("AKIAEXAMPLE");
    }

    @Test
    void sessionTokenAloneIsRejected() {
        assertThatThrownBy(() -> provider.create(Map.of("buckets", "models", "session-token", "token-value")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("storage.s3.session-token")
                .hasMessageNotContaining("token-value");
    }

    @Test
    void endpointWithCredentialsOrWithoutHttpIsRejected() {
        assertThatThrownBy(() -> provider.create(Map.of("buckets", "models", "endpoint", "http://user:pw@127.0.0.1:9000")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("storage.s3.endpoint")
                .hasMessageNotContaining("pw");
        assertThatThrownBy(() -> provider.create(Map.of("buckets", "models", "endpoint", "ftp://127.0.0.1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("storage.s3.endpoint");
    }

    @Test
    void malformedBucketNameIsRejected() {
        assertThatThrownBy(() -> provider.create(Map.of("buckets", "models, ../etc")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("storage.s3.buckets")
                .hasMessageContaining("\"../etc\"");
    }

    @Test
    void malformedTimeoutsAndAttemptsAreRejectedByName() {
        assertThatThrownBy(() -> provider.create(Map.of("buckets", "models", "max-attempts", "0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("storage.s3.max-attempts");
        assertThatThrownBy(() -> provider.create(Map.of("buckets", "models", "socket-timeout", "soon")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("storage.s3.socket-timeout");
        assertThatThrownBy(() -> StorageFactory.create(provider, Map.of("buckets", "models", "revalidate-interval", "often")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("storage.s3.revalidate-interval");
    }
}
