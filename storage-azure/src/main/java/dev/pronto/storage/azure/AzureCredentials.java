package dev.pronto.storage.azure;

import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;

import dev.pronto.inference.toolkit.ProviderProperties;

/**
 * How the Azure client authenticates: one variant per kind of credential, chosen once from the
 * configuration by {@link #choose}. The first configured of {@code account-key}, {@code connection-string}
 * and {@code sas-token} wins; without any, {@link Identity} ({@code DefaultAzureCredential}).
 *
 * <p>Immutable. Secrets are held as {@link Secret}, so no {@code toString()} of a variant shows one.
 */
sealed interface AzureCredentials {

    /** A secret value that never appears in {@code toString()}, so a logged variant shows no key. */
    record Secret(String value) {
        @Override
        public String toString() {
            return "(secret)";
        }
    }

    /** The kind of credential, for the startup log line. */
    String kind();

    /** Gives the builder this credential for {@code account} (a connection string names its own). */
    void applyTo(BlobServiceClientBuilder builder, String account);

    /** The account's shared key ({@code account-key}, the seed's {@code [Azure Credentials] account_key}). */
    record SharedKey(Secret key) implements AzureCredentials {
        @Override
        public String kind() {
            return "shared key";
        }

        @Override
        public void applyTo(BlobServiceClientBuilder builder, String account) {
            builder.credential(new StorageSharedKeyCredential(account, key.value()));
        }
    }

    /** A connection string, which names its own account and endpoint. */
    record ConnectionString(Secret value) implements AzureCredentials {
        @Override
        public String kind() {
            return "connection string";
        }

        @Override
        public void applyTo(BlobServiceClientBuilder builder, String account) {
            builder.connectionString(value.value());
        }
    }

    /** A shared access signature. */
    record SasToken(Secret token) implements AzureCredentials {
        @Override
        public String kind() {
            return "SAS token";
        }

        @Override
        public void applyTo(BlobServiceClientBuilder builder, String account) {
            builder.sasToken(token.value());
        }
    }

    /** {@code DefaultAzureCredential}: environment, workload identity, managed identity, Azure CLI. */
    record Identity(Optional<URI> authorityHost, Optional<String> managedIdentityClientId) implements AzureCredentials {
        @Override
        public String kind() {
            return "DefaultAzureCredential";
        }

        @Override
        public void applyTo(BlobServiceClientBuilder builder, String account) {
            DefaultAzureCredentialBuilder credential = new DefaultAzureCredentialBuilder();
            authorityHost.ifPresent(host -> credential.authorityHost(host.toString()));
            managedIdentityClientId.ifPresent(credential::managedIdentityClientId);
            builder.credential(credential.build());
        }
    }

    /**
     * Reads every credential key (so none is reported unknown) and picks one; checks only what the
     * chosen one needs, so a seed file's unused placeholder key does not stop the server.
     */
    static AzureCredentials choose(ProviderProperties config) {
        Optional<String> accountKey = config.get("account-key");
        Optional<String> connectionString = config.get("connection-string");
        Optional<String> sasToken = config.get("sas-token");
        Optional<URI> authorityHost = config.getHttpUrl("authority-host");
        Optional<String> clientId = config.get("managed-identity-client-id");
        warnAboutIgnored(config, accountKey, connectionString, sasToken);
        if (accountKey.isPresent()) {
            try {
                Base64.getDecoder().decode(accountKey.get());
            } catch (IllegalArgumentException e) {
                // the SDK would only fail on the first request, with a message about base64
                throw config.invalid("account-key", "expected the account's base64 access key");
            }
            return new SharedKey(new Secret(accountKey.get()));
        }
        if (connectionString.isPresent()) {
            try {
                // parsed now, without I/O, so that a malformed string stops the start instead of the first read
                new BlobServiceClientBuilder().connectionString(connectionString.get());
            } catch (RuntimeException e) {
                // the SDK's message may quote the string, key included: the cause is dropped on purpose
                throw config.invalid("connection-string", "not a valid Azure Storage connection string");
            }
            return new ConnectionString(new Secret(connectionString.get()));
        }
        if (sasToken.isPresent()) {
            return new SasToken(new Secret(sasToken.get()));
        }
        return new Identity(authorityHost, clientId);
    }

    /** Several credentials are allowed (the first wins), but an operator who set two should know which one counts. */
    private static void warnAboutIgnored(ProviderProperties config, Optional<String> accountKey,
            Optional<String> connectionString, Optional<String> sasToken) {
        List<String> configured = new ArrayList<>();
        accountKey.ifPresent(value -> configured.add(config.fullKey("account-key")));
        connectionString.ifPresent(value -> configured.add(config.fullKey("connection-string")));
        sasToken.ifPresent(value -> configured.add(config.fullKey("sas-token")));
        if (configured.size() > 1) {
            Logger log = LoggerFactory.getLogger(AzureCredentials.class);
            log.warn("{} are all set; only {} is used (order: account-key, connection-string, sas-token)", configured,
                    configured.get(0));
        }
    }
}
