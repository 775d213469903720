package dev.pronto.distribution;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A real Sonatype Nexus Repository OSS, started from its Maven Central distribution on 127.0.0.1.
 *
 * <p>It is launched as a plain {@code java} child process (the same JVM options as the distribution's
 * {@code bin/nexus} script) rather than through the script, so that the process we hold is Nexus
 * itself and {@link #close()} stops it. Each instance gets a fresh data folder, so the admin password
 * is the fixed {@code admin123} ({@code nexus.security.randompassword=false}) and the hosted
 * repositories {@code maven-releases} and {@code maven-snapshots} are empty.
 *
 * <p>Not thread-safe; one instance per test class.
 */
final class Nexus implements AutoCloseable {
    static final String USER = "admin";
    static final String PASSWORD = "admin123";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);

    private final Process process;
    private final int port;
    private final Path log;
    private final Thread stopOnExit;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Nexus(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        // a failsafe JVM killed mid-test must not leave a 1 GB Nexus behind
        this.stopOnExit = new Thread(process::destroy, "stop-nexus");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /**
     * Unzips the distribution (once) under {@code workDir}, starts Nexus with a fresh data folder and
     * waits until it accepts writes.
     */
    static Nexus start(Path distributionZip, Path workDir) throws IOException, InterruptedException {
        Path home = unzipOnce(distributionZip, workDir.resolve("nexus-home"));
        Path data = workDir.resolve("nexus-data");
        LocalMachine.deleteTree(data);
        Files.createDirectories(data.resolve("etc"));
        Files.createDirectories(data.resolve("log"));
        Files.createDirectories(data.resolve("tmp"));
        int port = LocalMachine.freePort();
        Files.writeString(data.resolve("etc/nexus.properties"), String.join("\n",
                "application-host=127.0.0.1",
                "application-port=" + port,
                "nexus.security.randompassword=false",
                "nexus.onboarding.enabled=false",
                ""));
        Path log = data.resolve("nexus-console.log");
        Process process = new ProcessBuilder(command(home, data))
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Nexus nexus = new Nexus(process, port, log);
        try {
            nexus.awaitWritable();
        } catch (IOException | InterruptedException | RuntimeException e) {
            nexus.close();
            throw e;
        }
        return nexus;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    URI repository(String name) {
        return uri().resolve("/repository/" + name + "/");
    }

    /** GETs a path below the server root as admin; the body as bytes. */
    HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri().resolve(path))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(60))
                .GET()
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private void awaitWritable() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        HttpRequest probe = HttpRequest.newBuilder(uri().resolve("/service/rest/v1/status/writable"))
                .timeout(Duration.ofSeconds(10))
                .build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Nexus exited with " + process.exitValue() + " before it was ready:\n" + logTail());
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // expected while Jetty starts
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("Nexus did not become writable within " + START_TIMEOUT + ":\n" + logTail());
    }

    String logTail() {
        try (Stream<String> lines = Files.lines(log)) {
            List<String> all = lines.collect(Collectors.toCollection(ArrayList::new));
            return String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs anyway
        }
    }

    private static List<String> command(Path home, Path data) throws IOException {
        String classpath;
        try (Stream<Path> jars = Files.list(home.resolve("lib/boot"))) {
            classpath = jars.filter(jar -> jar.toString().endsWith(".jar")).sorted().map(Path::toString)
                    .collect(Collectors.joining(java.io.File.pathSeparator));
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-Xms256m", "-Xmx1g", "-XX:MaxDirectMemorySize=1g", "-XX:-OmitStackTraceInFastThrow",
                "--add-reads=java.xml=java.logging",
                "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
                "--patch-module", "java.base=" + endorsed(home, "org.apache.karaf.specs.locator-"),
                "--patch-module", "java.xml=" + endorsed(home, "org.apache.karaf.specs.java.xml-"),
                "--add-opens", "java.base/java.security=ALL-UNNAMED",
                "--add-opens", "java.base/java.net=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--add-opens", "java.base/java.util=ALL-UNNAMED",
                "--add-opens", "java.naming/javax.naming.spi=ALL-UNNAMED",
                "--add-opens", "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
                "--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED",
                "--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED",
                "--add-exports", "java.security.sasl/com.sun.security.sasl=ALL-UNNAMED",
                "-Dkaraf.instances=" + data.resolve("instances"),
                "-Dkaraf.home=" + home,
                "-Dkaraf.base=" + home,
                "-Dkaraf.data=" + data,
                "-Dkaraf.etc=" + home.resolve("etc/karaf"),
                "-Dkaraf.log=" + data.resolve("log"),
                "-Dkaraf.restart.jvm.supported=true",
                "-Djava.io.tmpdir=" + data.resolve("tmp"),
                "-Djava.util.logging.config.file=" + home.resolve("etc/karaf/java.util.logging.properties"),
                // no local console (no terminal here) and no SSH shell (it would listen on all interfaces)
                "-Dkaraf.startLocalConsole=false",
                "-Dkaraf.startRemoteShell=false",
                "-classpath", classpath,
                "org.sonatype.nexus.karaf.NexusMain");
    }

    private static Path endorsed(Path home, String prefix) throws IOException {
        try (Stream<Path> jars = Files.list(home.resolve("lib/endorsed"))) {
            return jars.filter(jar -> jar.getFileName().toString().startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + prefix + "*.jar in " + home.resolve("lib/endorsed")));
        }
    }

    private static Path unzipOnce(Path zip, Path target) throws IOException {
        Path done = target.resolve(".unzipped");
        if (!Files.exists(zip)) {
            throw new IllegalStateException(zip + " is missing: the build's fetch-nexus step copies it from Maven Central");
        }
        Path home;
        try (ZipFile file = new ZipFile(zip.toFile())) {
            String top = file.entries().nextElement().getName().split("/")[0];
            home = target.resolve(top);
            if (Files.exists(done)) {
                return home;
            }
            LocalMachine.deleteTree(target);
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("zip entry outside the target folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    try (InputStream in = file.getInputStream(entry)) {
                        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        Files.writeString(done, zip.getFileName().toString());
        return home;
    }
}
