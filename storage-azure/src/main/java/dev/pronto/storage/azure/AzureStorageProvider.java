package dev.pronto.storage.azure;

import java.net.URI;
import java.time.Duration;
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
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;

import dev.pronto.inference.spi.Storage;
import dev.pronto.inference.spi.StorageProvider;
import dev.pronto.inference.toolkit.AllowList;
import dev.pronto.inference.toolkit.ProviderProperties;
import dev.pronto.inference.toolkit.UnconfiguredStorage;

/**
 * Models in Azure Blob Storage containers, for the scheme {@code az}: {@code az://container/blob}
 * and the seed's {@code /az-container/blob}. The account comes from configuration, never from the
 * location.
 *
 * <h2>Configuration</h2>
 * Engine prefix {@code storage.azure.}; see {@code docs/storage-azure.md} for every key with its
 * default. In short: {@code account-name}, {@code containers} (the only containers models may be
 * read from; without it every location is refused, so the seed's files, which list none, stay
 * valid), {@code endpoint} (Azurite, sovereign clouds), one of {@code account-key},
 * {@code connection-string} or {@code sas-token}, and the SDK's own timeouts and retries.
 *
 * <h2>Local copies</h2>
 * {@code local-folder} (the seed's {@code [Azure] Azure_local_folder_path}) and
 * {@code revalidate-interval} are the engine's: it puts its local file cache in front of this storage
 * and never passes those keys here.
 *
 * <h2>Credentials</h2>
 * See {@link AzureCredentials}. The first configured of: the account's shared key ({@code account-key}, the seed's
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
        AllowList containers = new AllowList("az", "container", PREFIX + "containers", containers(config));
        Optional<String> accountName = config.get("account-name");
        Optional<URI> endpoint = config.getHttpUrl("endpoint");

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
            return withoutContainers(config, containers, accountName.isPresent());
        }
        AzureCredentials credentials = AzureCredentials.choose(config);
        config.rejectUnused();

        BlobServiceClientBuilder builder = new BlobServiceClientBuilder()
                .httpClient(HttpClient.createDefault(http))
                .retryOptions(retry);
        if (credentials.namesItsAccount()) {
            // a connection string names its account and endpoint itself; an endpoint key overrides it
            credentials.applyTo(builder, null);
            endpoint.ifPresent(url -> builder.endpoint(withoutQuery(config, url)));
        } else {
            String account = accountName.orElseThrow(() -> config.invalid("account-name", "required (the storage"
                    + " account, the seed's storage_account_name), unless " + PREFIX + "connection-string is set"));
            if (!ACCOUNT_NAME.matcher(account).matches()) {
                throw config.invalid("account-name", "expected 3 to 24 lower-case letters and digits");
            }
            String url = endpoint.map(value -> withoutQuery(config, value)).orElse("https://" + account + ".blob.core.windows.net");
            if (credentials instanceof AzureCredentials.Identity && !url.toLowerCase(Locale.ROOT).startsWith("https:")) {
                // the SDK refuses to send a bearer token in clear text; say so in our own words
                throw config.invalid("endpoint", "an Azure identity (DefaultAzureCredential, used because no"
                        + " account-key, connection-string or sas-token is set) needs an https endpoint");
            }
            builder.endpoint(url);
            credentials.applyTo(builder, account);
        }
        BlobServiceClient client = builder.buildClient();
        log.info("Azure Blob Storage at {} for containers {}, credentials: {}", client.getAccountUrl(),
                containers.names(), credentials.kind());
        return new AzureStorage(client, containers);
    }

    /**
     * The storage when no container is allowed: it refuses every location without a request. This keeps
     * the seed's files valid (its {@code [Azure]} section names an account but no containers) without
     * opening the whole account; credentials are not checked, since they are never used.
     */
    private static Storage withoutContainers(ProviderProperties config, AllowList none, boolean accountNamed) {
        for (String key : List.of("account-key", "connection-string", "sas-token", "authority-host",
                "managed-identity-client-id")) {
            config.get(key);
        }
        config.rejectUnused();
        if (accountNamed || config.get("account-key").isPresent() || config.get("connection-string").isPresent()
                || config.get("sas-token").isPresent()) {
            log.warn("an Azure account is configured but {}containers is not: every az:// location is refused", PREFIX);
        }
        return new UnconfiguredStorage(none);
    }

    /** The allowed containers; empty if the key is unset, an error if it lists none. */
    private static Set<String> containers(ProviderProperties config) {
        Set<String> containers = config.getNames("containers", CONTAINER_NAME,
                "container name (3 to 63 lower-case letters, digits and single hyphens)");
        if (containers.isEmpty() && config.get("containers").isPresent()) {
            throw config.invalid("containers", "list at least one container");
        }
        return containers;
    }

    private static Duration positive(ProviderProperties config, String key, Duration defaultValue) {
        Duration value = config.getDuration(key, defaultValue);
        if (value.isZero() || value.isNegative()) {
            throw config.invalid(key, "must be longer than zero");
        }
        return value;
    }

    /** The endpoint's text; a query string would be a SAS token in the wrong key, so it is refused unquoted. */
    private static String withoutQuery(ProviderProperties config, URI url) {
        if (url.getRawQuery() != null) {
            throw config.invalid("endpoint", "must not have a query string; put a SAS token in " + PREFIX + "sas-token");
        }
        return url.toString();
    }
}
