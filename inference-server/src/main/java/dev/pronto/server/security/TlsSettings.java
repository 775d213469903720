package dev.pronto.server.security;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the server's TLS key and certificate come from, and whether clients must show certificates.
 *
 * @param keys the server's private key and certificate chain
 * @param clientCa PEM file of the certificate authorities that client certificates must chain to;
 *     {@code null} when clients show none
 * @param clientAuth whether client certificates are asked for
 * @param reloadInterval how often the files are checked for changes; a changed pair that loads is
 *     used for new connections, one that does not is logged and the old one keeps serving
 */
public record TlsSettings(KeySource keys, Path clientCa, ClientAuth clientAuth, Duration reloadInterval) {

    /** Default {@link #reloadInterval()}: certificate renewals take effect within a minute. */
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofMinutes(1);

    /** Client certificates (mutual TLS). */
    public enum ClientAuth {
        /** Not asked for. */
        NONE,
        /** Asked for and verified when shown; connections without one are accepted. */
        WANT,
        /** Required: a connection without a certificate from {@link #clientCa()} fails its handshake. */
        NEED
    }

    /** Where the server's key and certificate chain are read from. */
    public sealed interface KeySource permits Pem, Pkcs12 {
    }

    /**
     * PEM files, as issued by most certificate authorities and cert-manager.
     *
     * @param certificate the certificate chain, leaf first
     * @param privateKey the unencrypted private key in PKCS#8 ({@code BEGIN PRIVATE KEY})
     */
    public record Pem(Path certificate, Path privateKey) implements KeySource {
        /** Rejects nulls. */
        public Pem {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(privateKey, "privateKey");
        }
    }

    /**
     * A PKCS#12 keystore holding one private key with its chain.
     *
     * @param file the keystore
     * @param password its password; never logged
     */
    public record Pkcs12(Path file, String password) implements KeySource {
        /** Rejects nulls. */
        public Pkcs12 {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "Pkcs12[file=" + file + ", password=****]";
        }
    }

    /** Rejects nulls, a non-positive interval, and client certificates without a CA to check them against. */
    public TlsSettings {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(clientAuth, "clientAuth");
        Objects.requireNonNull(reloadInterval, "reloadInterval");
        if (reloadInterval.isZero() || reloadInterval.isNegative()) {
            throw new IllegalArgumentException("reloadInterval must be positive");
        }
        if (clientAuth != ClientAuth.NONE && clientCa == null) {
            throw new IllegalArgumentException("client certificates need a client CA file to verify them against");
        }
    }

    /** Server TLS from PEM files, without client certificates, checked every minute. */
    public static TlsSettings pem(Path certificate, Path privateKey) {
        return new TlsSettings(new Pem(certificate, privateKey), null, ClientAuth.NONE, DEFAULT_RELOAD_INTERVAL);
    }

    /** A copy that asks for client certificates from {@code clientCa}. */
    public TlsSettings withClientCertificates(Path clientCa, ClientAuth clientAuth) {
        return new TlsSettings(keys, clientCa, clientAuth, reloadInterval);
    }

    /** A copy checking the files at another interval. */
    public TlsSettings withReloadInterval(Duration interval) {
        return new TlsSettings(keys, clientCa, clientAuth, interval);
    }
}
