package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pronto.server.security.BearerTokens;
import dev.pronto.server.security.Role;
import dev.pronto.server.security.SecurityConfig;
import dev.pronto.server.security.SecuritySettings;
import dev.pronto.server.security.TlsSettings;

/** The {@code [Security]} keys: each turns its part on, and a value that cannot work stops startup naming its key. */
class SecurityConfigTest {

    @TempDir
    Path dir;

    private static SecuritySettings parse(Map<String, String> values) {
        return SecurityConfig.parse(values, (key, text) -> Duration.parse("PT" + text));
    }

    private static void assertInvalid(Map<String, String> values, String key, String message) {
        assertThatThrownBy(() -> parse(values))
                .isInstanceOfSatisfying(SecurityConfig.InvalidKey.class, e -> assertThat(e.key()).isEqualTo(key))
                .hasMessageContaining(message);
    }

    @Test
    void theSectionComesFromTheFileAndEnvironmentAndErrorsNameFileSectionAndKey() throws IOException {
        Path project = dir.resolve("project.properties");
        Files.writeString(project, "[Security]\nadmin_tokens_sha256 = " + BearerTokens.hash("a")
                + "\ncors_allowed_origins = https://app.example.com\n");

        ServerConfig config = ServerConfig.load(List.of("--config", project.toString()),
                Map.of("PRONTO_SECURITY_SCORE_TOKENS_SHA256", BearerTokens.hash("s")), InstalledStorage.named("nas"));

        assertThat(config.security().tokens().roleOf("a")).contains(Role.ADMIN);
        assertThat(config.security().tokens().roleOf("s")).contains(Role.SCORE);
        assertThat(config.security().describe()).isEqualTo("bearer tokens on (2), TLS off, CORS for https://app.example.com");
        assertThat(config.summary()).noneMatch(line -> line.contains(BearerTokens.hash("s")));

        Files.writeString(project, "[Security]\ncors_allowed_origin = https://app.example.com\n");
        assertThatThrownBy(() -> ServerConfig.load(List.of("--config", project.toString()), Map.of(), InstalledStorage.named("nas")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(project + " [Security] cors_allowed_origin: unknown key");
        Files.writeString(project, "[Security]\nscore_tokens_sha256 = my-token\n");
        assertThatThrownBy(() -> ServerConfig.load(List.of("--config", project.toString()), Map.of(), InstalledStorage.named("nas")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(project + " [Security] score_tokens_sha256: expected a SHA-256")
                .hasMessageNotContaining("my-token");
    }

    @Test
    void nothingSetIsEverythingOff() {
        SecuritySettings settings = parse(Map.of());

        assertThat(settings.tokens().enabled()).isFalse();
        assertThat(settings.tls()).isEmpty();
        assertThat(settings.cors().enabled()).isFalse();
    }

    @Test
    void tokensComeFromTheKeysAndTheTokenFile() throws IOException {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "# mounted secret\nadmin " + BearerTokens.hash("from-file") + "\n");

        BearerTokens tokens = parse(Map.of("score_tokens_sha256", BearerTokens.hash("s1") + ", sha256:" + BearerTokens.hash("s2"),
                "token_file", file.toString())).tokens();

        assertThat(tokens.size()).isEqualTo(3);
        assertThat(tokens.roleOf("s2")).contains(Role.SCORE);
        assertThat(tokens.roleOf("from-file")).contains(Role.ADMIN);
    }

    @Test
    void aTokenInPlaceOfAHashOrABadTokenFileNamesTheKey() throws IOException {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "admin not-a-hash\n");

        assertInvalid(Map.of("admin_tokens_sha256", "plain-token"), "admin_tokens_sha256", "not the token");
        assertInvalid(Map.of("token_file", file.toString()), "token_file", "line 1: expected");
        assertInvalid(Map.of("token_file", dir.resolve("missing").toString()), "token_file", "cannot read");
    }

    @Test
    void tlsFromPemIsCheckedAtStartup() {
        TestCertificates certificates = TestCertificates.create(dir, "localhost");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        certificates.writePem(cert, key);

        TlsSettings tls = parse(Map.of("tls_certificate", cert.toString(), "tls_private_key", key.toString(),
                "tls_client_ca", cert.toString(), "tls_reload_interval", "5s")).tls().orElseThrow();

        assertThat(tls.keys()).isEqualTo(new TlsSettings.Pem(cert, key));
        assertThat(tls.clientAuth()).isEqualTo(TlsSettings.ClientAuth.NEED);
        assertThat(tls.reloadInterval()).isEqualTo(Duration.ofSeconds(5));
        assertInvalid(Map.of("tls_certificate", cert.toString()), "tls_certificate", "needs both");
        assertInvalid(Map.of("tls_certificate", key.toString(), "tls_private_key", key.toString()), "tls_certificate",
                key + ": not a PEM certificate file");
        assertInvalid(Map.of("tls_client_ca", cert.toString()), "tls_client_ca", "has no effect without");
    }

    @Test
    void aKeystoreWithTheWrongPasswordNamesTheKeyButNotThePassword() {
        TestCertificates certificates = TestCertificates.create(dir, "localhost");

        assertThat(parse(Map.of("tls_keystore", certificates.pkcs12().toString(), "tls_keystore_password",
                TestCertificates.PASSWORD)).tls()).isPresent();
        assertThatThrownBy(() -> parse(Map.of("tls_keystore", certificates.pkcs12().toString(),
                "tls_keystore_password", "wrong-password-123")))
                .isInstanceOfSatisfying(SecurityConfig.InvalidKey.class, e -> assertThat(e.key()).isEqualTo("tls_keystore"))
                .hasMessageContaining("the password is wrong")
                .hasMessageNotContaining("wrong-password-123");
    }

    @Test
    void corsOriginsWithDefaultsAndOriginsABrowserNeverSendsAreRefused() {
        SecuritySettings settings = parse(Map.of("cors_allowed_origins", "https://a.example.com, http://localhost:3000",
                "cors_max_age", "60s"));

        assertThat(settings.cors().origins()).containsExactly("https://a.example.com", "http://localhost:3000");
        assertThat(settings.cors().methods()).containsExactly("GET", "POST");
        assertThat(settings.cors().maxAge()).isEqualTo(Duration.ofSeconds(60));
        assertInvalid(Map.of("cors_allowed_origins", "https://a.example.com/"), "cors_allowed_origins",
                "no path or trailing slash");
        assertInvalid(Map.of("cors_allowed_methods", "GET"), "cors_allowed_methods", "has no effect without");
    }
}
