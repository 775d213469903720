package dev.pronto.storage.azure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.azure.core.http.HttpClient;
import com.azure.core.util.HttpClientOptions;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;

import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.spi.LocalFileCache;
import dev.pronto.inference.spi.ObjectInfo;
import dev.pronto.inference.toolkit.ProviderProperties;
import dev.pronto.inference.spi.Storage;
import dev.pronto.inference.spi.StorageProvider;

/**
 * Models in Azure Blob Storage containers, for the scheme {@code az}: {@code az://container/blob}
 * and the seed's {@code /az-container/blob}. The account comes from configuration, never from the
 * location.
 *
 * <h2>Configuration</h2>
 * Engine prefix {@code storage.azure.}; see {@code docs/storage-azure.md} for every key with its
 * default. In short: {@code account-name}, {@code containers} (the only containers models may be
 * read from; without it every location is refused, so the seed's files, which list none, stay valid), {@code endpoint} (Azurite, sovereign clouds), one of {@code account-key},
 * {@code connection-string} or {@code sas-token}, {@code local-folder} and
 * {@code revalidate-interval} for local copies, and the SDK's own timeouts and retries.
 *
 * <h2>Local copies</h2>
 * With {@code local-folder} set (the seed's {@code [Azure] Azure_local_folder_path}), the storage is
 * wrapped in a {@link LocalFileCache}: each blob is downloaded once per ETag, checked against Azure at
 * most every {@code revalidate-interval}, and the last good copy keeps serving, also after a restart,
 * while Azure cannot be reached.
 *
 * <h2>Credentials</h2>
 * The first configured of: the account's shared key ({@code account-key}, the seed's
 * {@code [Azure Credentials] account_key}), a connection string, a SAS token; without any of them
 * {@code DefaultAzureCredential} (environment, workload identity, managed identity, Azure CLI), which
 * needs the role <em>Storage Blob Data Reader</em> on the containers.
 *
 * <h2>Lifecycle</h2>
 * The constructor does nothing; {@link #create(Map)} validates the configuration and builds the SDK
 * client, but sends no request: a wrong key or an unreachable endpoint shows on the first read.
 */
public final class AzureStorageProvider implements StorageProvider {

    private static final Logger log = LoggerFactory.getLogger(AzureStorageProvider.class);
    private static final String PREFIX = "storage.azure.";

    /** Azure's rules: 3 to 24 lower-case letters and digits. */
    private static final Pattern ACCOUNT_NAME = Pattern.compile("^[a-z0-9]{3,24}$");
    /** Azure's rules: 3 to 63 characters, lower-case letters, digits and single inner hyphens. */
    private static final Pattern CONTAINER_NAME = Pattern.compile("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$");

    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DEFAULT_TRY_TIMEOUT = Duration.ofSeconds(60);
    static final int DEFAULT_MAX_TRIES = 4;
    static final Duration DEFAULT_RETRY_DELAY = Duration.ofMillis(500);
    static final Duration DEFAULT_MAX_RETRY_DELAY = Duration.ofSeconds(10);

    /** Creates the provider; does no I/O. */
    public AzureStorageProvider() {
    }

    @Override
    public String name() {
        return "azure";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("az");
    }

    @Override
    public Set<String> secretPropertyNames() {
        return Set.of("account-key", "connection-string", "sas-token");
    }

    /**
     * Builds the Azure client from the configuration without contacting Azure.
     *
     * @throws IllegalArgumentException naming the key, for an unknown key, a missing required key
     *     or an invalid value; secret values are never quoted
     */
    @Override
    public Storage create(Map<String, String> properties) {
        ProviderProperties config = new ProviderProperties(PREFIX, properties);
        Set<String> containers = containers(config);
        Optional<String> accountName = config.get("account-name");
        Optional<String> endpoint = config.get("endpoint");
        Optional<String> accountKey = config.get("account-key");
        Optional<String> connectionString = config.get("connection-string");
        Optional<String> sasToken = config.get("sas-token");
        Optional<String> authorityHost = config.get("authority-host");
        Optional<String> managedIdentityClientId = config.get("managed-identity-client-id");

        HttpClientOptions http = new HttpClientOptions()
                .setConnectTimeout(config.getDuration("connect-timeout", DEFAULT_CONNECT_TIMEOUT))
                .setResponseTimeout(config.getDuration("response-timeout", DEFAULT_RESPONSE_TIMEOUT))
                .setReadTimeout(config.getDuration("read-timeout", DEFAULT_READ_TIMEOUT));
        // the SDK's retry policy, not a loop of ours: it retries connection failures, timeouts, 408,
        // 429 and 5xx with exponential back-off, and never a refused credential
        RequestRetryOptions retry = new RequestRetryOptions(RetryPolicyType.EXPONENTIAL,
                config.getInt("max-tries", DEFAULT_MAX_TRIES, 1, 20),
                positive(config, "try-timeout", DEFAULT_TRY_TIMEOUT),
                positive(config, "retry-delay", DEFAULT_RETRY_DELAY),
                positive(config, "max-retry-delay", DEFAULT_MAX_RETRY_DELAY),
                null);
        if (containers.isEmpty()) {
            return withoutContainers(config, accountName.isPresent() || accountKey.isPresent()
                    || connectionString.isPresent() || sasToken.isPresent());
        }
        LocalFileCache.Settings fileCache = LocalFileCache.Settings.read(config);
        config.rejectUnused();

        BlobServiceClientBuilder builder = new BlobServiceClientBuilder()
                .httpClient(HttpClient.createDefault(http))
                .retryOptions(retry);
        String credentialKind;
        if (connectionString.isPresent() && accountKey.isEmpty()) {
            // a connection string names its account and endpoint itself
            try {
                builder.connectionString(connectionString.get());
            } catch (RuntimeException e) {
                // the SDK's message may quote the string, key included: the cause is dropped on purpose
                throw new IllegalArgumentException(PREFIX + "connection-string: not a valid Azure Storage connection string");
            }
            endpoint.ifPresent(url -> builder.endpoint(endpoint(url)));
            credentialKind = "connection string";
        } else {
            String account = accountName.orElseThrow(() -> new IllegalArgumentException(PREFIX
                    + "account-name: required (the storage account, the seed's storage_account_name), unless "
                    + PREFIX + "connection-string is set"));
            if (!ACCOUNT_NAME.matcher(account).matches()) {
                throw new IllegalArgumentException(PREFIX + "account-name: expected 3 to 24 lower-case letters and digits");
            }
            String url = endpoint(endpoint.orElse("https://" + account + ".blob.core.windows.net"));
            builder.endpoint(url);
            if (accountKey.isPresent()) {
                requireBase64(accountKey.get());
                builder.credential(new StorageSharedKeyCredential(account, accountKey.get()));
                credentialKind = "shared key";
            } else if (sasToken.isPresent()) {
                builder.sasToken(sasToken.get());
                credentialKind = "SAS token";
            } else {
                if (!url.toLowerCase(Locale.ROOT).startsWith("https:")) {
                    // the SDK refuses to send a bearer token in clear text; say so in our own words
                    throw new IllegalArgumentException(PREFIX + "endpoint: an Azure identity (DefaultAzureCredential, used"
                            + " because no account-key, connection-string or sas-token is set) needs an https endpoint");
                }
                DefaultAzureCredentialBuilder identity = new DefaultAzureCredentialBuilder();
                authorityHost.ifPresent(host -> identity.authorityHost(endpointText("authority-host", host)));
                managedIdentityClientId.ifPresent(identity::managedIdentityClientId);
                builder.credential(identity.build());
                credentialKind = "DefaultAzureCredential";
            }
        }
        warnAboutIgnoredCredentials(accountKey, connectionString, sasToken);
        BlobServiceClient client = builder.buildClient();
        log.info("Azure Blob Storage at {} for containers {}, credentials: {}, local copies: {}", client.getAccountUrl(),
                containers, credentialKind, fileCache.localFolder().map(Object::toString).orElse("none"));
        try {
            return fileCache.wrap(new AzureStorage(client, containers));
        } catch (IOException e) {
            throw new IllegalArgumentException(PREFIX + LocalFileCache.LOCAL_FOLDER + ": cannot use the local cache folder: "
                    + e.getMessage(), e);
        }
    }

    /** Several credentials are allowed (the first wins), but an operator who set two should know which one counts. */
    private static void warnAboutIgnoredCredentials(Optional<String> accountKey, Optional<String> connectionString,
            Optional<String> sasToken) {
        List<String> configured = new ArrayList<>();
        accountKey.ifPresent(value -> configured.add(PREFIX + "account-key"));
        connectionString.ifPresent(value -> configured.add(PREFIX + "connection-string"));
        sasToken.ifPresent(value -> configured.add(PREFIX + "sas-token"));
        if (configured.size() > 1) {
            log.warn("{} are all set; only {} is used (order: account-key, connection-string, sas-token)", configured,
                    configured.get(0));
        }
    }

    /**
     * The storage when no container is allowed: it refuses every location without a request. This keeps
     * the seed's files valid (its {@code [Azure]} section names an account but no containers) without
     * opening the whole account; credentials are not checked, since they are never used.
     */
    private static Storage withoutContainers(ProviderProperties config, boolean accountConfigured) {
        config.get(LocalFileCache.LOCAL_FOLDER);
        config.getDuration(LocalFileCache.REVALIDATE_INTERVAL, LocalFileCache.DEFAULT_REVALIDATE_INTERVAL);
        config.rejectUnused();
        if (accountConfigured) {
            log.warn("an Azure account is configured but {}containers is not: every az:// location is refused", PREFIX);
        }
        return new Storage() {
            @Override
            public ObjectInfo stat(ModelLocation location) throws IOException {
                throw refused(location);
            }

            @Override
            public InputStream open(ModelLocation location) throws IOException {
                throw refused(location);
            }

            private AccessDeniedException refused(ModelLocation location) {
                return new AccessDeniedException(location.toString(), null,
                        "no Azure containers are configured (" + PREFIX + "containers)");
            }
        };
    }

    /** The allowed containers; empty if none are configured. */
    private static Set<String> containers(ProviderProperties config) {
        Optional<String> list = config.get("containers");
        if (list.isEmpty()) {
            return Set.of();
        }
        Set<String> containers = new LinkedHashSet<>();
        for (String name : list.get().split(",")) {
            String container = name.trim();
            if (container.isEmpty()) {
                continue;
            }
            if (!CONTAINER_NAME.matcher(container).matches()) {
                throw new IllegalArgumentException(PREFIX + "containers: \"" + container + "\" is not a valid container"
                        + " name (3 to 63 lower-case letters, digits and single hyphens)");
            }
            containers.add(container);
        }
        if (containers.isEmpty()) {
            throw new IllegalArgumentException(PREFIX + "containers: list at least one container");
        }
        return Set.copyOf(containers);
    }

    private static Duration positive(ProviderProperties config, String key, Duration defaultValue) {
        Duration value = config.getDuration(key, defaultValue);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(PREFIX + key + ": must be longer than zero");
        }
        return value;
    }

    private static String endpoint(String url) {
        String text = endpointText("endpoint", url);
        if (URI.create(text).getRawQuery() != null) {
            throw new IllegalArgumentException(PREFIX + "endpoint: must not have a query string; put a SAS token in "
                    + PREFIX + "sas-token");
        }
        return text;
    }

    private static String endpointText(String key, String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
                throw new IllegalArgumentException(PREFIX + key + ": expected an http or https URL");
            }
            if (uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException(PREFIX + key + ": must not hold credentials");
            }
            return url;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(PREFIX + key + ": expected an http or https URL");
        }
    }

    private static void requireBase64(String key) {
        try {
            Base64.getDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            // the SDK would only fail on the first request, with a message about base64
            throw new IllegalArgumentException(PREFIX + "account-key: expected the account's base64 access key");
        }
    }
}
