package dev.pronto.server.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key stores Jetty needs, made from the files of a {@link TlsSettings}: the server's key with its
 * chain, and the client CA as trust anchors. The files are read once, as bytes, so a reload can tell
 * whether anything changed and parses exactly what it compared. Immutable once made.
 */
final class TlsMaterial {

    /** The password of the in-memory key store, which never leaves this process. */
    static final char[] IN_MEMORY_PASSWORD = "pronto-in-memory".toCharArray();
    private static final Pattern PEM_KEY = Pattern.compile(
            "-----BEGIN ([A-Z ]*)PRIVATE KEY-----([A-Za-z0-9+/=\\s]*)-----END \\1PRIVATE KEY-----");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

    private final List<byte[]> contents;
    private final KeyStore keyStore;
    private final char[] keyPassword;
    private final KeyStore trustStore;
    private final X509Certificate leaf;

    private TlsMaterial(List<byte[]> contents, KeyStore keyStore, char[] keyPassword, KeyStore trustStore, X509Certificate leaf) {
        this.contents = contents;
        this.keyStore = keyStore;
        this.keyPassword = keyPassword;
        this.trustStore = trustStore;
        this.leaf = leaf;
    }

    /** The files a settings reads, in a fixed order. */
    static List<Path> files(TlsSettings settings) {
        List<Path> files = new ArrayList<>();
        if (settings.keys() instanceof TlsSettings.Pem pem) {
            files.add(pem.certificate());
            files.add(pem.privateKey());
        } else if (settings.keys() instanceof TlsSettings.Pkcs12 p12) {
            files.add(p12.file());
        }
        if (settings.clientCa() != null) {
            files.add(settings.clientCa());
        }
        return files;
    }

    /** The current bytes of the files, in the order of {@link #files}. */
    static List<byte[]> read(TlsSettings settings) throws IOException {
        List<byte[]> contents = new ArrayList<>();
        for (Path file : files(settings)) {
            contents.add(Files.readAllBytes(file));
        }
        return contents;
    }

    /**
     * Reads and checks the files.
     *
     * @throws IOException if a file cannot be read
     * @throws IllegalArgumentException naming the file that holds no usable key or certificate, or
     *     when the key does not belong to the certificate
     */
    static TlsMaterial load(TlsSettings settings) throws IOException {
        return parse(settings, read(settings));
    }

    /** Parses {@code contents}, read by {@link #read} from the same settings. */
    static TlsMaterial parse(TlsSettings settings, List<byte[]> contents) {
        List<Path> files = files(settings);
        try {
            KeyStore keys;
            char[] password;
            if (settings.keys() instanceof TlsSettings.Pem pem) {
                List<X509Certificate> chain = certificates(contents.get(0), pem.certificate());
                PrivateKey key = privateKey(contents.get(1), pem.privateKey());
                requirePair(key, chain.get(0).getPublicKey(), pem.certificate(), pem.privateKey());
                keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("server", key, IN_MEMORY_PASSWORD, chain.toArray(new Certificate[0]));
                password = IN_MEMORY_PASSWORD;
            } else {
                TlsSettings.Pkcs12 p12 = (TlsSettings.Pkcs12) settings.keys();
                password = p12.password().toCharArray();
                keys = KeyStore.getInstance("PKCS12");
                try {
                    keys.load(new ByteArrayInputStream(contents.get(0)), password);
                } catch (IOException e) {
                    throw new IllegalArgumentException(p12.file() + ": not a PKCS#12 keystore, or the password is wrong");
                }
                if (keyAlias(keys) == null) {
                    throw new IllegalArgumentException(p12.file() + ": the keystore holds no private key");
                }
            }
            KeyStore trust = null;
            if (settings.clientCa() != null) {
                trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int n = 0;
                for (X509Certificate ca : certificates(contents.get(files.size() - 1), settings.clientCa())) {
                    trust.setCertificateEntry("client-ca-" + n++, ca);
                }
            }
            X509Certificate leaf = (X509Certificate) keys.getCertificate(keyAlias(keys));
            return new TlsMaterial(List.copyOf(contents), keys, password, trust, leaf);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot use " + files + ": " + e.getMessage(), e);
        }
    }

    private static String keyAlias(KeyStore keys) throws GeneralSecurityException {
        for (String alias : Collections.list(keys.aliases())) {
            if (keys.isKeyEntry(alias)) {
                return alias;
            }
        }
        return null;
    }

    private static List<X509Certificate> certificates(byte[] pem, Path file) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
                chain.add((X509Certificate) certificate);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(file + ": not a PEM certificate file");
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(file + ": no certificate found (expected -----BEGIN CERTIFICATE-----)");
        }
        return chain;
    }

    private static PrivateKey privateKey(byte[] pem, Path file) {
        Matcher block = PEM_KEY.matcher(new String(pem, StandardCharsets.US_ASCII));
        if (!block.find()) {
            throw new IllegalArgumentException(file + ": no private key found (expected -----BEGIN PRIVATE KEY-----)");
        }
        if (!block.group(1).isEmpty()) {
            // PKCS#1 ("RSA"), SEC 1 ("EC") or encrypted keys: the JDK reads PKCS#8 only
            throw new IllegalArgumentException(file + ": a " + block.group(1).strip() + " PRIVATE KEY; convert it to "
                    + "unencrypted PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8, or use a PKCS#12 keystore");
        }
        byte[] der = Base64.getMimeDecoder().decode(block.group(2));
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        throw new IllegalArgumentException(file + ": a private key of an algorithm this JVM cannot read");
    }

    /**
     * Signs a random challenge with the key and verifies it with the certificate's public key: a
     * certificate renewed with a new key is often written before its key, and serving that half-pair
     * would fail every handshake.
     */
    private static void requirePair(PrivateKey key, PublicKey certified, Path certificate, Path privateKey)
            throws GeneralSecurityException {
        if (!key.getAlgorithm().equals(certified.getAlgorithm())) {
            throw new IllegalArgumentException(privateKey + " is not the key of the certificate in " + certificate);
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(challenge);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(certified);
        verifier.update(challenge);
        if (!verifier.verify(signature)) {
            throw new IllegalArgumentException(privateKey + " is not the key of the certificate in " + certificate);
        }
    }

    List<byte[]> contents() {
        return contents;
    }

    /** Whether {@code other} are the same bytes this material was made from. */
    boolean sameAs(List<byte[]> other) {
        return sameContents(contents, other);
    }

    /** Whether two reads of the files gave the same bytes. */
    static boolean sameContents(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    KeyStore keyStore() {
        return keyStore;
    }

    String keyPassword() {
        return new String(keyPassword);
    }

    /** The client CAs, or null when client certificates are not asked for. */
    KeyStore trustStore() {
        return trustStore;
    }

    /** Subject, expiry and serial of the server certificate, for the log. */
    String describe() {
        return leaf.getSubjectX500Principal().getName() + ", serial " + leaf.getSerialNumber().toString(16)
                + ", valid until " + leaf.getNotAfter().toInstant();
    }
}
