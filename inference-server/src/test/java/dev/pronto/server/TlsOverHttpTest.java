package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pronto.inference.InferenceEngine;
import dev.pronto.server.security.SecuritySettings;
import dev.pronto.server.security.TlsSettings;
import io.javalin.Javalin;

/**
 * TLS over real sockets, with certificates the test makes: PEM and PKCS#12, reload when the files
 * are replaced (and no reload from a half-written pair), and client certificates.
 */
class TlsOverHttpTest {

    @TempDir
    static Path dir;
    private static InferenceEngine engine;
    private static TestCertificates server;
    private static TestCertificates client;

    @BeforeAll
    static void setUp() {
        TestServer.copy(TestServer.IRIS, dir, "models/iris/model.pmml");
        // loaded before the first test, without warm-up: TLS is under test here, and a first load on a busy
        // machine could outlast a client timeout
        engine = InferenceEngine.create(Map.of("storage.nas.root", dir.resolve("models").toString(),
                "pipeline.pmml.warmup-evaluations", "0"));
        engine.model("iris/model.pmml");
        server = TestCertificates.create(dir, "localhost");
        client = TestCertificates.create(dir, "client");
    }

    @AfterAll
    static void tearDown() {
        engine.close();
    }

    private static Javalin start(TlsSettings tls) {
        Javalin app = ServerApp.createApp(engine, new ServerState(),
                AppOptions.defaults().withSecurity(SecuritySettings.off().withTls(tls)));
        app.start("127.0.0.1", 0);
        return app;
    }

    /** What a test does with a started app; the app is stopped after it, whatever happens. */
    private interface WithApp {
        void accept(Javalin app) throws Exception;
    }

    private static void serving(TlsSettings tls, WithApp test) throws Exception {
        Javalin app = start(tls);
        try {
            test.accept(app);
        } finally {
            app.stop();
        }
    }

    /** Posts the seed example over a new connection; returns the response. */
    private static HttpResponse<String> invoke(Javalin app, SSLContext context) throws IOException, InterruptedException {
        HttpClient https = HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + app.port() + "/invocations"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(TestServer.SEED_EXAMPLE, StandardCharsets.UTF_8)).build();
        return https.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static X509Certificate served(HttpResponse<?> response) throws IOException {
        return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
    }

    @Test
    void servesPemFilesOverTls() throws Exception {
        Path cert = dir.resolve("pem-cert.pem");
        Path key = dir.resolve("pem-key.pem");
        server.writePem(cert, key);
        serving(TlsSettings.pem(cert, key), app -> {
            HttpResponse<String> response = invoke(app, TestCertificates.clientContext(List.of(server), null));

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).contains("\"predictions\":[0,2]");
            assertThat(served(response)).isEqualTo(server.certificate());
        });
    }

    @Test
    void servesAPkcs12Keystore() throws Exception {
        TlsSettings tls = new TlsSettings(new TlsSettings.Pkcs12(server.pkcs12(), TestCertificates.PASSWORD), null,
                TlsSettings.ClientAuth.NONE, TlsSettings.DEFAULT_RELOAD_INTERVAL);
        serving(tls, app -> {
            HttpResponse<String> response = invoke(app, TestCertificates.clientContext(List.of(server), null));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(served(response)).isEqualTo(server.certificate());
        });
    }

    @Test
    void plainHttpOnTheTlsPortIsNotServed() throws Exception {
        Path cert = dir.resolve("plain-cert.pem");
        Path key = dir.resolve("plain-key.pem");
        server.writePem(cert, key);
        serving(TlsSettings.pem(cert, key), app -> {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/ping"))
                    .timeout(Duration.ofSeconds(10)).build();
            String outcome;
            try {
                HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
                outcome = response.statusCode() + " " + response.body();
            } catch (IOException closed) {
                outcome = "closed";
            }
            // the TLS handshake fails: the connection is closed, or answered 400 by the TLS layer; never served
            assertThat(outcome).matches("closed|400 (?s)(?!.*\"status\").*");
        });
    }

    @Test
    void replacedFilesAreServedToNewConnectionsAndAHalfWrittenPairIsNot() throws Exception {
        Path cert = dir.resolve("reload-cert.pem");
        Path key = dir.resolve("reload-key.pem");
        server.writePem(cert, key);
        TestCertificates renewed = TestCertificates.create(dir, "localhost");
        SSLContext trustsBoth = TestCertificates.clientContext(List.of(server, renewed), null);
        serving(TlsSettings.pem(cert, key).withReloadInterval(Duration.ofMillis(100)), app -> {
            assertThat(served(invoke(app, trustsBoth))).isEqualTo(server.certificate());

            // the new certificate written before its key: the old pair must keep serving
            Files.writeString(cert, TestCertificates.pem("CERTIFICATE", renewed.certificate().getEncoded()));
            Thread.sleep(500);
            assertThat(served(invoke(app, trustsBoth))).isEqualTo(server.certificate());

            Files.writeString(key, TestCertificates.pem("PRIVATE KEY", renewed.key().getEncoded()));
            X509Certificate seen = null;
            for (long deadline = System.nanoTime() + 10_000_000_000L; System.nanoTime() < deadline; Thread.sleep(100)) {
                seen = served(invoke(app, trustsBoth));
                if (seen.equals(renewed.certificate())) {
                    break;
                }
            }
            assertThat(seen).isEqualTo(renewed.certificate());
            assertThat(invoke(app, trustsBoth).statusCode()).isEqualTo(200);
        });
    }

    @Test
    void clientCertificatesWhenRequiredAdmitOnlyClientsWithOne() throws Exception {
        Path cert = dir.resolve("mtls-cert.pem");
        Path key = dir.resolve("mtls-key.pem");
        Path clientCa = dir.resolve("client-ca.pem");
        server.writePem(cert, key);
        client.writeCertificate(clientCa);
        serving(TlsSettings.pem(cert, key).withClientCertificates(clientCa, TlsSettings.ClientAuth.NEED), app -> {
            HttpResponse<String> withCertificate = invoke(app, TestCertificates.clientContext(List.of(server), client));
            assertThat(withCertificate.statusCode()).isEqualTo(200);

            assertThatThrownBy(() -> invoke(app, TestCertificates.clientContext(List.of(server), null)))
                    .isInstanceOf(IOException.class);
            // a certificate the client CA did not issue is refused as well
            assertThatThrownBy(() -> invoke(app, TestCertificates.clientContext(List.of(server), server)))
                    .isInstanceOf(IOException.class);
        });
    }

    @Test
    void aKeyThatIsNotTheCertificatesStopsStartupNamingTheFiles() {
        Path cert = dir.resolve("mismatch-cert.pem");
        Path key = dir.resolve("mismatch-key.pem");
        server.writePem(cert, key);
        client.writePem(dir.resolve("other-cert.pem"), key);

        assertThatThrownBy(() -> start(TlsSettings.pem(cert, key)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(key + " is not the key of the certificate in " + cert);
    }

    @Test
    void aPkcs1KeyIsRefusedWithTheCommandThatConvertsIt() throws Exception {
        Path cert = dir.resolve("pkcs1-cert.pem");
        Path key = dir.resolve("pkcs1-key.pem");
        server.writePem(cert, key);
        Files.writeString(key, "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");

        assertThatThrownBy(() -> start(TlsSettings.pem(cert, key)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a RSA PRIVATE KEY")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }
}
