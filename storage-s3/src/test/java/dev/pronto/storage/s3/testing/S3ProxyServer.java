package dev.pronto.storage.s3.testing;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for tests: S3Proxy in this JVM, on a free port of 127.0.0.1, keeping objects in a
 * folder, and checking AWS signatures, so a wrong secret gets a real {@code 403}. It can be stopped
 * and started again on the same port and folder to play an outage. Shared through this module's
 * test-jar, so the server's end-to-end tests start the same S3.
 *
 * <p>Not thread-safe: one test drives it.
 */
public final class S3ProxyServer implements AutoCloseable {

    public static final String ACCESS_KEY = "pronto-test-access-key";
    public static final String SECRET_KEY = "pronto-test-secret-key-do-not-use";
    public static final String BUCKET = "models";

    private final Path folder;
    private S3Proxy proxy;
    private int port;
    private S3Client client;

    /** Starts a server keeping its objects in {@code folder}, with the bucket {@value #BUCKET}. */
    public S3ProxyServer(Path folder) throws Exception {
        this.folder = folder;
        start();
        client().createBucket(b -> b.bucket(BUCKET));
    }

    /** Starts the server, on the port it had before if it ran already. */
    public void start() throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(folder.toString()))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .stopTimeout(0) // stop at once, like a crash, instead of draining for 30 s
                .build();
        proxy.start();
        port = proxy.getPort();
    }

    /** Stops the server; its port then refuses connections. */
    public void stop() throws Exception {
        proxy.stop();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** An ordinary S3 client with the right credentials, for the test's own uploads. */
    public S3Client client() {
        if (client == null) {
            client = S3Client.builder()
                    .endpointOverride(endpoint())
                    .region(Region.US_EAST_1)
                    .forcePathStyle(true)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                    .httpClientBuilder(Apache5HttpClient.builder())
                    .build();
        }
        return client;
    }

    /** Uploads an object into the bucket {@value #BUCKET}. */
    public void put(String key, byte[] content) {
        client().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(content));
    }

    /** The {@code storage.s3.*} configuration (without the prefix) that reaches this server. */
    public Map<String, String> storageConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("buckets", BUCKET);
        config.put("endpoint", endpoint().toString());
        config.put("path-style", "true");
        config.put("region", "us-east-1");
        config.put("access-key-id", ACCESS_KEY);
        config.put("secret-access-key", SECRET_KEY);
        // a stopped server refuses connections at once; keep the SDK's retries short in tests
        config.put("max-attempts", "2");
        config.put("connect-timeout", "2s");
        return config;
    }

    @Override
    public void close() throws Exception {
        if (client != null) {
            client.close();
        }
        proxy.stop();
    }
}
