package dev.pronto.storage.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.internal.StorageFactory;
import dev.pronto.inference.spi.Storage;
import dev.pronto.inference.spi.StorageProvider;
import dev.pronto.storage.azure.testing.Azurite;

/** Configuration and access checks that need no Azure server; a connection counter stands in for one. */
class AzureStorageProviderTest {

    private final AzureStorageProvider provider = new AzureStorageProvider();

    private static Map<String, String> valid(String endpoint) {
        Map<String, String> config = new HashMap<>();
        config.put("account-name", Azurite.ACCOUNT);
        config.put("account-key", Azurite.KEY);
        config.put("endpoint", endpoint);
        config.put("containers", "models, shared-models");
        config.put("max-tries", "1");
        return config;
    }

    /** A valid configuration for a port where nothing listens (create() sends no request) with one key changed; null removes it. */
    private static Map<String, String> offlineWith(String key, String value) {
        Map<String, String> config = valid("http://127.0.0.1:1/" + Azurite.ACCOUNT);
        if (value == null) {
            config.remove(key);
        } else {
            config.put(key, value);
        }
        return config;
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertCreateFails(Map<String, String> config) {
        return assertThatThrownBy(() -> provider.create(config)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isFoundThroughServiceLoaderForTheAzScheme() {
        assertThat(ServiceLoader.load(StorageProvider.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(found -> {
                    assertThat(found).isInstanceOf(AzureStorageProvider.class);
                    assertThat(found.name()).isEqualTo("azure");
                    assertThat(found.schemes()).containsExactly("az");
                });
    }

    @Test
    void marksEveryCredentialKeyAsSecret() {
        assertThat(provider.secretPropertyNames()).containsExactlyInAnyOrder("account-key", "connection-string", "sas-token");
    }

    @Test
    void createSendsNoRequest() throws IOException {
        try (ConnectionCounter server = new ConnectionCounter(); Storage storage = provider.create(valid(server.endpoint()))) {
            assertThat(storage).isNotNull();
            assertThat(server.connections()).isZero();
        }
    }

    @Test
    void refusesContainerOutsideTheConfiguredOnesWithoutSendingARequest() throws IOException {
        try (ConnectionCounter server = new ConnectionCounter(); Storage storage = provider.create(valid(server.endpoint()))) {
            ModelLocation denied = ModelLocation.parse("/az-secrets/model.pmml");

            assertThatThrownBy(() -> storage.stat(denied)).isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("container \"secrets\" is not one of the containers this server may read");
            assertThatThrownBy(() -> storage.open(denied)).isInstanceOf(AccessDeniedException.class);
            assertThat(server.connections()).isZero();

            // the same storage does send a request for an allowed container: the counter can count
            assertThatThrownBy(() -> storage.stat(ModelLocation.parse("az://models/model.pmml")))
                    .isInstanceOf(IOException.class)
                    .isNotInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("az://models/model.pmml");
            assertThat(server.connections()).isPositive();
        }
    }

    @Test
    void unreachableEndpointIsAnIoExceptionNamingTheLocationAndEndpoint() throws IOException {
        int port;
        try (ConnectionCounter closed = new ConnectionCounter()) {
            port = Integer.parseInt(closed.endpoint().replaceAll(".*:(\\d+)/.*", "$1"));
        }
        try (Storage storage = provider.create(valid("http://127.0.0.1:" + port + "/" + Azurite.ACCOUNT))) {
            assertThatThrownBy(() -> storage.stat(ModelLocation.parse("az://models/iris.pmml")))
                    .isInstanceOf(IOException.class)
                    .isNotInstanceOf(AccessDeniedException.class)
                    .hasMessage("cannot reach Azure Blob Storage at http://127.0.0.1:" + port + " for az://models/iris.pmml");
        }
    }

    @Test
    void rejectsUnknownKeyByName() {
        assertCreateFails(offlineWith("acount-key", "x"))
                .hasMessage("unknown configuration key: storage.azure.acount-key");
    }

    @Test
    void withoutContainersStartsButRefusesEveryLocationWithoutARequest() throws IOException {
        try (ConnectionCounter server = new ConnectionCounter()) {
            Map<String, String> seedLike = valid(server.endpoint());
            seedLike.remove("containers");
            // the seed's files hold a key even where Azure is not used; unused, it is not checked
            seedLike.put("account-key", "placeholder, not base64");
            seedLike.put("local-folder", "/nonexistent/pronto-test/az");

            // as the engine creates it: the local folder is the engine's key, unused without containers
            try (Storage storage = StorageFactory.create(provider, seedLike)) {
                assertThatThrownBy(() -> storage.stat(ModelLocation.parse("/az-models/iris.pmml")))
                        .isInstanceOf(AccessDeniedException.class)
                        .hasMessageContaining("(none is configured: storage.azure.containers)");
                assertThatThrownBy(() -> storage.open(ModelLocation.parse("/az-models/iris.pmml")))
                        .isInstanceOf(AccessDeniedException.class);
            }
            assertThat(server.connections()).isZero();
            assertThat(Path.of("/nonexistent/pronto-test/az")).doesNotExist();
        }
    }

    @Test
    void withoutContainersStillRejectsUnknownKeys() {
        Map<String, String> config = offlineWith("containers", null);
        config.put("acount-key", "x");

        assertCreateFails(config).hasMessage("unknown configuration key: storage.azure.acount-key");
    }

    @Test
    void rejectsAnInvalidContainerName() {
        assertCreateFails(offlineWith("containers", "models,Bad_Name"))
                .hasMessageStartingWith("storage.azure.containers: \"Bad_Name\" is not a valid container name");
    }

    @Test
    void requiresTheAccountNameUnlessAConnectionStringIsGiven() {
        assertCreateFails(offlineWith("account-name", null))
                .hasMessageStartingWith("storage.azure.account-name: required");
    }

    @Test
    void malformedAccountKeyIsNamedButNotQuoted() {
        assertCreateFails(offlineWith("account-key", "not base64 but secret!"))
                .hasMessage("storage.azure.account-key: expected the account's base64 access key")
                .hasNoCause();
    }

    @Test
    void malformedConnectionStringIsNamedButNotQuoted() {
        Map<String, String> config = offlineWith("account-key", null);
        config.put("connection-string", "AccountKey=secret-value;nonsense");

        assertCreateFails(config)
                .hasMessage("storage.azure.connection-string: not a valid Azure Storage connection string")
                .hasNoCause();
    }

    @Test
    void rejectsAnEndpointWithAQueryString() {
        assertCreateFails(valid("https://account.blob.core.windows.net/?sv=2024&sig=secret"))
                .hasMessageStartingWith("storage.azure.endpoint: must not have a query string")
                .hasMessageNotContaining("secret");
    }

    @Test
    void rejectsAZeroTryTimeout() {
        assertCreateFails(offlineWith("try-timeout", "0"))
                .hasMessage("storage.azure.try-timeout: must be longer than zero");
    }

    @Test
    void defaultCredentialNeedsAnHttpsEndpoint() {
        assertCreateFails(offlineWith("account-key", null))
                .hasMessageStartingWith("storage.azure.endpoint: an Azure identity (DefaultAzureCredential");
    }

    @Test
    void buildsADefaultCredentialClientWithoutKeysAndWithoutARequest() throws IOException {
        try (ConnectionCounter server = new ConnectionCounter()) {
            Map<String, String> config = valid(server.endpoint().replace("http:", "https:"));
            config.remove("account-key");
            config.put("managed-identity-client-id", "00000000-0000-0000-0000-000000000000");

            try (Storage storage = provider.create(config)) {
                assertThat(storage).isNotNull();
            }
            assertThat(server.connections()).isZero();
        }
    }
}
