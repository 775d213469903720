package dev.pronto.server.security;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TLS listener: a Jetty connector whose {@link SslContextFactory.Server} is loaded from
 * a {@link TlsSettings}, plus a watcher that reloads it when the files change. Polling the contents,
 * rather than file events, also sees Kubernetes secret updates, which swap a symbolic link. New
 * connections get the new certificate; open ones keep theirs. A change that does not load (a key
 * written before its certificate, a typo) is logged once and the last good pair keeps serving, so
 * the pair is picked up on the next check after both files are written.
 *
 * <p>Thread-safe. {@link #close()} stops the watcher; the connector stops with the server.
 */
final class TlsConnector implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TlsConnector.class);

    private final TlsSettings settings;
    private final SslContextFactory.Server factory = new SslContextFactory.Server();
    private final ScheduledExecutorService watcher;
    private volatile TlsMaterial current;
    /** The bytes of the last change that failed to load, so that it is logged once, not at every check. */
    private volatile List<byte[]> lastFailure;

    /**
     * Loads the files; watching starts with {@link #watch()}.
     *
     * @throws IllegalArgumentException naming the file that cannot be used
     */
    TlsConnector(TlsSettings settings) {
        this.settings = settings;
        try {
            this.current = TlsMaterial.load(settings);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + TlsMaterial.files(settings) + ": " + e.getMessage(), e);
        }
        apply(factory, current);
        if (settings.clientAuth() == TlsSettings.ClientAuth.NEED) {
            factory.setNeedClientAuth(true);
        } else if (settings.clientAuth() == TlsSettings.ClientAuth.WANT) {
            factory.setWantClientAuth(true);
        }
        this.watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pronto-tls-reload");
            thread.setDaemon(true);
            return thread;
        });
    }

    private static void apply(SslContextFactory factory, TlsMaterial material) {
        factory.setKeyStore(material.keyStore());
        factory.setKeyStorePassword(material.keyPassword());
        factory.setKeyManagerPassword(material.keyPassword());
        if (material.trustStore() != null) {
            factory.setTrustStore(material.trustStore());
        }
    }

    /** A connector on {@code host:port} that speaks HTTP/1.1 over TLS, with the app's HTTP settings. */
    ServerConnector connector(Server server, HttpConfiguration http, String host, int port) {
        HttpConfiguration https = new HttpConfiguration(http);
        https.setSecureScheme("https");
        // tells the app the request was secure and exposes client certificates to it
        https.addCustomizer(new SecureRequestCustomizer());
        ServerConnector connector = new ServerConnector(server,
                new SslConnectionFactory(factory, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(https));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    /** Starts checking the files every {@link TlsSettings#reloadInterval()}. */
    void watch() {
        long millis = settings.reloadInterval().toMillis();
        watcher.scheduleWithFixedDelay(this::reloadIfChanged, millis, millis, TimeUnit.MILLISECONDS);
        log.info("TLS certificate {}; checked for changes every {} s", current.describe(),
                settings.reloadInterval().toSeconds());
    }

    /** Reloads the factory if the files changed and load; never throws, as it runs on the watcher. */
    void reloadIfChanged() {
        List<byte[]> contents;
        try {
            contents = TlsMaterial.read(settings);
        } catch (IOException e) {
            // mid-replacement a file can be missing for a moment; the next check sees the whole pair
            log.debug("TLS files not readable now: {}", e.getMessage());
            return;
        }
        if (current.sameAs(contents) || (lastFailure != null && TlsMaterial.sameContents(lastFailure, contents))) {
            return;
        }
        try {
            TlsMaterial next = TlsMaterial.parse(settings, contents);
            factory.reload(f -> apply(f, next));
            current = next;
            lastFailure = null;
            log.info("TLS certificate reloaded: {}", next.describe());
        } catch (Exception e) {
            lastFailure = contents;
            log.warn("TLS files changed but cannot be used, the previous certificate keeps serving: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        watcher.shutdownNow();
    }
}
