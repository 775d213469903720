package dev.pronto.storage.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;

import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.spi.Storage;
import dev.pronto.inference.spi.StorageProvider;

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
                    .hasMessageContaining("container \"secrets\" is not one of the configured Azure containers");
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
        Map<String, String> config = valid("http://127.0.0.1:1/" + Azurite.ACCOUNT);
        config.put("acount-key", "x");

        assertThatThrownBy(() -> provider.create(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown configuration key: storage.azure.acount-key");
    }

    @Test
    void requiresTheAllowedContainers() {
        Map<String, String> config = valid("http://127.0.0.1:1/" + Azurite.ACCOUNT);
        config.remove("containers");

        assertThatThrownBy(() -> provider.create(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("storage.azure.containers: required");
    }

    @Test
    void rejectsAnInvalidContainerName() {
        Map<String, String> config = valid("http://127.0.0.1:1/" + Azurite.ACCOUNT);
        config.put("containers", "models,Bad_Name");

        assertThatThrownBy(() -> provider.create(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("storage.azure.containers: \"Bad_Name\" is not a valid container name");
    }

    @Test
    void requiresTheAccountNameUnlessAConnectionStringIsGiven() {
        Map<String, String> config = valid("http://127.0.0.1:1/" + Azurite.ACCOUNT);
        config.remove("account-name");

        assertThatThrownBy(() -> provider.create(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("storage.azure.account-name: required");
    }

    @Test
    void malformedAccountKeyIsNamedButNotQuoted() {
        Map<String, String> config = valid("http://127.0.0.1:1/" + Azurite.ACCOUNT);
        config.put("account-key", "not base64 but secret!");

        assertThatThrownBy(() -> provider.create(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("storage.azure.account-key: expected the account's base64 access key")
                .hasNoCause();
    }

    @Test
    void malformedConnectionStringIsNamedButNotQuoted() {
        Map<String, String> config = valid("http://127.0.0.1:1/" + Azurite.ACCOUNT);
        config.remove("account-key");
        config.put("connection-string", "AccountKey=secret-value;nonsense");

        assertThatThrownBy(() -> provider.create(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("storage.azure.connection-string: not a valid Azure Storage connection string")
                .hasNoCause();
    }

    @Test
    void rejectsAnEndpointWithAQueryString() {
        Map<String, String> config = valid("https://account.blob.core.windows.net/?sv=2024&sig=secret");

        assertThatThrownBy(() -> provider.create(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("storage.azure.endpoint: must not have a query string")
                .hasMessageNotContaining("secret");
    }

    @Test
    void rejectsAZeroTryTimeout() {
        Map<String, String> config = valid("http://127.0.0.1:1/" + Azurite.ACCOUNT);
        config.put("try-timeout", "0");

        assertThatThrownBy(() -> provider.create(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("storage.azure.try-timeout: must be longer than zero");
    }

    @Test
    void defaultCredentialNeedsAnHttpsEndpoint() {
        Map<String, String> config = valid("http://127.0.0.1:1/" + Azurite.ACCOUNT);
        config.remove("account-key");

        assertThatThrownBy(() -> provider.create(config)).isInstanceOf(IllegalArgumentException.class)
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
