package dev.pronto.storage.s3;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.pronto.inference.spi.Storage;
import dev.pronto.inference.spi.StorageProvider;
import dev.pronto.inference.toolkit.AllowList;
import dev.pronto.inference.toolkit.ProviderProperties;
import dev.pronto.inference.toolkit.UnconfiguredStorage;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Models in Amazon S3 buckets and S3-compatible stores (MinIO, Ceph, S3Proxy), for the scheme
 * {@code s3}: {@code s3://bucket/key} and the seed's {@code /s3-bucket/key}.
 *
 * <h2>Configuration</h2>
 * Keys under the engine prefix {@code storage.s3.}; durations are written {@code 500ms}, {@code 30s},
 * {@code 5m} or ISO-8601. See {@code docs/storage-s3.md} for the full table.
 * <ul>
 *   <li>{@code buckets}: comma-separated buckets that may be read; any other bucket is refused
 *       before a request is sent. Without it every S3 location is refused and no client is built,
 *       so an installed but unused provider costs nothing;</li>
 *   <li>{@code region}: the signing region; default from the SDK's region chain ({@code AWS_REGION},
 *       profile, instance metadata), else {@code us-east-1};</li>
 *   <li>{@code endpoint}: an {@code http(s)://host:port} endpoint for S3-compatible stores;
 *       {@code path-style} ({@code false}): path-style instead of virtual-host requests;</li>
 *   <li>{@code access-key-id}, {@code secret-access-key} and {@code session-token} (the last two
 *       secret): static credentials;
 *       without them, the SDK's default chain (environment, profile, web identity, container and
 *       instance roles);</li>
 *   <li>{@code connect-timeout} (5s), {@code socket-timeout} (30s), {@code api-call-attempt-timeout}
 *       (30s), {@code api-call-timeout} (2m), {@code max-attempts} (3), {@code max-connections} (50):
 *       the SDK's own timeouts and standard retry strategy;</li>
 *   <li>{@code local-folder}, {@code revalidate-interval} (60s): the engine's local file cache,
 *       applied by the engine before this provider sees the other keys.</li>
 * </ul>
 *
 * <h2>Lifecycle</h2>
 * The no-argument constructor does no I/O; {@link #create} builds the client. Called once, from one thread, when the engine starts.
 */
public final class S3StorageProvider implements StorageProvider {

    private static final String PREFIX = "storage.s3.";
    private static final Pattern BUCKET = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]*$");

    private final List<ExecutionInterceptor> interceptors;

    /** The provider that {@link java.util.ServiceLoader} finds. */
    public S3StorageProvider() {
        this(List.of());
    }

    /**
     * A provider whose clients run these SDK interceptors too, for an embedding application's
     * metrics or tracing. Pass it to {@code InferenceEngine.Builder.storageProvider}.
     */
    public S3StorageProvider(List<ExecutionInterceptor> interceptors) {
        this.interceptors = List.copyOf(interceptors);
    }

    @Override
    public String name() {
        return "s3";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("s3");
    }

    @Override
    public Set<String> secretPropertyNames() {
        return Set.of("secret-access-key", "session-token");
    }

    @Override
    public Storage create(Map<String, String> properties) {
        ProviderProperties config = new ProviderProperties(PREFIX, properties);
        AllowList buckets = new AllowList("s3", "bucket", PREFIX + "buckets",
                config.getNames("buckets", BUCKET, "bucket name (letters, digits, '.', '_' and '-')"));
        Optional<Region> region = config.get("region").map(Region::of);
        Optional<URI> endpoint = config.getHttpUrl("endpoint");
        boolean pathStyle = config.getBoolean("path-style", false);
        Optional<String> accessKey = config.get("access-key-id");
        Optional<String> secretKey = config.get("secret-access-key");
        Optional<String> sessionToken = config.get("session-token");
        Duration connectTimeout = config.getDuration("connect-timeout", Duration.ofSeconds(5));
        Duration socketTimeout = config.getDuration("socket-timeout", Duration.ofSeconds(30));
        Duration attemptTimeout = config.getDuration("api-call-attempt-timeout", Duration.ofSeconds(30));
        Duration callTimeout = config.getDuration("api-call-timeout", Duration.ofMinutes(2));
        int maxAttempts = config.getInt("max-attempts", 3, 1, 20);
        int maxConnections = config.getInt("max-connections", 50, 1, 10_000);
        config.rejectUnused();
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw config.invalid(accessKey.isPresent() ? "secret-access-key" : "access-key-id", "give both "
                    + PREFIX + "access-key-id and " + PREFIX + "secret-access-key or neither (neither uses the AWS default credential chain)");
        }
        if (sessionToken.isPresent() && accessKey.isEmpty()) {
            throw config.invalid("session-token", "needs " + PREFIX + "access-key-id and " + PREFIX + "secret-access-key");
        }

        if (buckets.isEmpty()) {
            // installed but not configured: refuse every location without building a client, whose
            // region and credential chains may probe the network (instance metadata) at startup
            return new UnconfiguredStorage(buckets);
        }

        AwsCredentialsProvider credentials = accessKey.isPresent()
                ? StaticCredentialsProvider.create(sessionToken.isPresent()
                        ? AwsSessionCredentials.create(accessKey.get(), secretKey.get(), sessionToken.get())
                        : AwsBasicCredentials.create(accessKey.get(), secretKey.get()))
                : DefaultCredentialsProvider.builder().build();
        S3ClientBuilder builder = S3Client.builder()
                .region(region.orElseGet(S3StorageProvider::defaultRegion))
                .credentialsProvider(credentials)
                .forcePathStyle(pathStyle)
                .httpClientBuilder(Apache5HttpClient.builder()
                        .connectionTimeout(connectTimeout)
                        .socketTimeout(socketTimeout)
                        .maxConnections(maxConnections))
                .overrideConfiguration(o -> {
                    o.retryStrategy(retry -> retry.maxAttempts(maxAttempts))
                            .apiCallAttemptTimeout(attemptTimeout)
                            .apiCallTimeout(callTimeout);
                    interceptors.forEach(o::addExecutionInterceptor);
                });
        endpoint.ifPresent(builder::endpointOverride);
        S3Client client = builder.build();
        return new S3Storage(client, buckets, credentials instanceof DefaultCredentialsProvider chain ? chain : null);
    }

    /** The SDK's region chain (AWS_REGION, profile, instance metadata); S3 signs us-east-1 if none is set. */
    private static Region defaultRegion() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException none) {
            return Region.US_EAST_1;
        }
    }
}
