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
 * How the Azure client authenticates, chosen once from the configuration by {@link #choose}: a
 * {@link Secret} of one of the {@link SecretKind}s, the first configured in their order
 * ({@code account-key}, {@code connection-string}, {@code sas-token}) winning; without any,
 * {@link Identity} ({@code DefaultAzureCredential}).
 *
 * <p>Immutable. No {@code toString()} of a variant shows a secret.
 */
sealed interface AzureCredentials {

    /** The kind of credential, for the startup log line. */
    String kind();

    /** Gives the builder this credential for {@code account} (a connection string names its own). */
    void applyTo(BlobServiceClientBuilder builder, String account);

    /** Whether the credential names the account and endpoint itself, so that none is configured. */
    default boolean namesItsAccount() {
        return false;
    }

    /** The secrets a client may be given, in the order in which the first configured one is chosen. */
    enum SecretKind {
        /** The account's shared key ({@code account-key}, the seed's {@code [Azure Credentials] account_key}). */
        ACCOUNT_KEY("account-key", "shared key"),
        /** A connection string, which names its own account and endpoint. */
        CONNECTION_STRING("connection-string", "connection string"),
        /** A shared access signature. */
        SAS_TOKEN("sas-token", "SAS token");

        /** The configuration key, below {@code storage.azure.}. */
        final String key;
        private final String kind;

        SecretKind(String key, String kind) {
            this.key = key;
            this.kind = kind;
        }
    }

    /** A configured secret of one kind; its {@code toString()} shows the kind only. */
    record Secret(SecretKind secretKind, String value) implements AzureCredentials {
        @Override
        public String kind() {
            return secretKind.kind;
        }

        @Override
        public void applyTo(BlobServiceClientBuilder builder, String account) {
            switch (secretKind) {
                case ACCOUNT_KEY -> builder.credential(new StorageSharedKeyCredential(account, value));
                case CONNECTION_STRING -> builder.connectionString(value);
                case SAS_TOKEN -> builder.sasToken(value);
            }
        }

        @Override
        public boolean namesItsAccount() {
            return secretKind == SecretKind.CONNECTION_STRING;
        }

        @Override
        public String toString() {
            return "Secret[" + secretKind + ", (secret)]";
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
        List<Secret> configured = new ArrayList<>();
        for (SecretKind kind : SecretKind.values()) {
            config.get(kind.key).ifPresent(value -> configured.add(new Secret(kind, value)));
        }
        Optional<URI> authorityHost = config.getHttpUrl("authority-host");
        Optional<String> clientId = config.get("managed-identity-client-id");
        if (configured.isEmpty()) {
            return new Identity(authorityHost, clientId);
        }
        if (configured.size() > 1) {
            // several are allowed (the first wins), but an operator who set two should know which one counts
            List<String> keys = configured.stream().map(secret -> config.fullKey(secret.secretKind().key)).toList();
            Logger log = LoggerFactory.getLogger(AzureCredentials.class);
            log.warn("{} are all set; only {} is used (order: account-key, connection-string, sas-token)", keys, keys.get(0));
        }
        Secret chosen = configured.get(0);
        check(config, chosen);
        return chosen;
    }

    /** Refuses, naming the key but never quoting the value, a value the SDK would only refuse on the first request. */
    private static void check(ProviderProperties config, Secret secret) {
        switch (secret.secretKind()) {
            case ACCOUNT_KEY -> {
                try {
                    Base64.getDecoder().decode(secret.value());
                } catch (IllegalArgumentException e) {
                    // the SDK would only fail on the first request, with a message about base64
                    throw config.invalid(secret.secretKind().key, "expected the account's base64 access key");
                }
            }
            case CONNECTION_STRING -> {
                try {
                    // parsed now, without I/O, so that a malformed string stops the start instead of the first read
                    new BlobServiceClientBuilder().connectionString(secret.value());
                } catch (RuntimeException e) {
                    // the SDK's message may quote the string, key included: the cause is dropped on purpose
                    throw config.invalid(secret.secretKind().key, "not a valid Azure Storage connection string");
                }
            }
            case SAS_TOKEN -> {
                // the SDK parses a token only when it signs a request
            }
        }
    }
}
