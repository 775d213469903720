package dev.pronto.storage.azure.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;

/**
 * A real Azurite blob server (Microsoft's Azure Storage emulator, npm {@code azurite}) on 127.0.0.1
 * and a free port, for integration tests; shared with other modules (the server) through this
 * module's test-jar.
 *
 * <p>The first start installs Azurite with {@code npm ci} from the {@code package.json} and
 * {@code package-lock.json} committed as test resources under {@code /azurite/}, into the folder named
 * by the system property {@code azurite.installDir} (default {@code target/azurite} of the working
 * directory), so a fresh clone needs only Node and npm. It is installed again only when the lock file
 * changes. Each server has a data folder of its own and is stopped by its process id;
 * {@link SharedAzurite} keeps one instance for a whole test run.
 *
 * <p>Not thread-safe: start, stop and close from the test's thread.
 */
public final class Azurite implements AutoCloseable {

    /** Azurite's well-known development account and its published key (not a secret). */
    public static final String ACCOUNT = "devstoreaccount1";
    /** The development account's published key; Azurite accepts no other. */
    public static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static final String PACKAGE_RESOURCES = "/azurite/";
    private static final Path INSTALL_DIR = Path.of(System.getProperty("azurite.installDir", "target/azurite"));
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final Path logFile;
    private final int port;
    private Process process;

    private Azurite(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
        this.logFile = INSTALL_DIR.resolve("logs").resolve("azurite-" + port + ".log");
    }

    /** Installs Azurite if needed and starts a new server with its own data folder; the caller closes it. */
    public static Azurite start() {
        try {
            Path main = install();
            Files.createDirectories(INSTALL_DIR.resolve("data"));
            IOException last = null;
            // a free port can be taken between our probe and Azurite's bind: try a few
            for (int attempt = 0; attempt < 3; attempt++) {
                Azurite azurite = new Azurite(Files.createTempDirectory(INSTALL_DIR.resolve("data"), "blob-"), freePort());
                try {
                    azurite.launch(main);
                    return azurite;
                } catch (IOException e) {
                    last = e;
                    azurite.close();
                }
            }
            throw new IllegalStateException("Azurite did not start", last);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The blob endpoint in Azurite's path style, for {@code storage.azure.endpoint}. */
    public String endpoint() {
        return "http://127.0.0.1:" + port + "/" + ACCOUNT;
    }

    /** A connection string for the development account. */
    public String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY + ";BlobEndpoint=" + endpoint() + ";";
    }

    /** Storage configuration (keys without {@code storage.azure.}) that reads from this server with the development key. */
    public Map<String, String> storageConfig(String containers) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("account-name", ACCOUNT);
        config.put("account-key", KEY);
        config.put("endpoint", endpoint());
        config.put("containers", containers);
        // few, short retries: the outage tests wait for them to run out
        config.put("max-tries", "2");
        config.put("retry-delay", "100ms");
        config.put("max-retry-delay", "200ms");
        return config;
    }

    /** The same configuration as engine keys, with revalidation left to the test ({@code engine.revalidate()}). */
    public Map<String, String> engineConfig(String containers) {
        return engineKeys(storageConfig(containers));
    }

    /** Prefixes storage keys with {@code storage.azure.} and turns background revalidation off. */
    public static Map<String, String> engineKeys(Map<String, String> storageConfig) {
        Map<String, String> config = new LinkedHashMap<>();
        storageConfig.forEach((key, value) -> config.put("storage.azure." + key, value));
        config.put("cache.revalidate-interval", "0");
        return config;
    }

    /** A client for the container, created if missing; used to write test data behind the storage's back. */
    public BlobContainerClient container(String name) {
        BlobContainerClient container = new BlobServiceClientBuilder()
                .endpoint(endpoint())
                .credential(new StorageSharedKeyCredential(ACCOUNT, KEY))
                .buildClient()
                .getBlobContainerClient(name);
        container.createIfNotExists();
        return container;
    }

    /** Stops the server by its process id; blobs stay in its data folder. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Stops the server and deletes its blobs. */
    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // only test data in target/: left for mvn clean
        }
    }

    private void launch(Path main) throws IOException {
        Files.createDirectories(logFile.getParent());
        List<String> command = List.of("node", main.toString(),
                "--blobHost", "127.0.0.1", "--blobPort", Integer.toString(port),
                "--location", dataDir.toString(),
                "--disableTelemetry", "--skipApiVersionCheck", "--silent");
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(endpoint() + "?comp=list")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Azurite exited with status " + process.exitValue() + ": " + logTail());
            }
            try {
                // an unsigned request is refused with 403 once the server is up
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 403) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for Azurite", e);
            }
            sleep(100);
        }
        throw new IOException("Azurite did not answer on port " + port + " within " + START_TIMEOUT + ": " + logTail());
    }

    /** Runs {@code npm ci} unless the installed lock file is the committed one; returns the blob server's script. */
    private static Path install() throws IOException {
        Files.createDirectories(INSTALL_DIR);
        Path main = INSTALL_DIR.resolve("node_modules/azurite/dist/src/blob/main.js");
        try (FileChannel channel = FileChannel.open(INSTALL_DIR.resolve(".install.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = channel.lock()) {
            byte[] packageJson = resource("package.json");
            byte[] committedLock = resource("package-lock.json");
            Path installedLock = INSTALL_DIR.resolve("node_modules/.installed-package-lock.json");
            if (Files.isRegularFile(main) && Files.isRegularFile(installedLock)
                    && Arrays.equals(committedLock, Files.readAllBytes(installedLock))) {
                return main;
            }
            Files.write(INSTALL_DIR.resolve("package.json"), packageJson);
            Files.write(INSTALL_DIR.resolve("package-lock.json"), committedLock);
            Path npmLog = INSTALL_DIR.resolve("npm-ci.log");
            Process npm = new ProcessBuilder(npmCommand(), "ci", "--no-audit", "--no-fund", "--loglevel=error")
                    .directory(INSTALL_DIR.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(npmLog.toFile())
                    .start();
            try {
                if (!npm.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    npm.destroyForcibly();
                    throw new IOException("npm ci for Azurite took longer than " + INSTALL_TIMEOUT);
                }
            } catch (InterruptedException e) {
                npm.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while installing Azurite", e);
            }
            if (npm.exitValue() != 0 || !Files.isRegularFile(main)) {
                throw new IOException("npm ci for Azurite failed (status " + npm.exitValue() + "): "
                        + Files.readString(npmLog, StandardCharsets.UTF_8));
            }
            Files.write(installedLock, committedLock);
            return main;
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = Azurite.class.getResourceAsStream(PACKAGE_RESOURCES + name)) {
            if (in == null) {
                throw new IOException("missing test resource " + PACKAGE_RESOURCES + name);
            }
            return in.readAllBytes();
        }
    }

    private static String npmCommand() {
        return System.getProperty("os.name").toLowerCase().contains("win") ? "npm.cmd" : "npm";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private String logTail() {
        try {
            String log = Files.readString(logFile, StandardCharsets.UTF_8);
            return log.length() > 2000 ? log.substring(log.length() - 2000) : log;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
