package dev.pronto.inference.toolkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The checksums Pronto records and compares, as lower-case hex: SHA-256 identifies a model's bytes
 * (in logs, model listings and file names), MD5 checks a download against what an object store
 * vouches for. Stateless and thread-safe.
 */
public final class Checksums {

    private Checksums() {
    }

    /** The lower-case hex SHA-256 of {@code content}. */
    public static String sha256Hex(byte[] content) {
        return hex(sha256().digest(content));
    }

    /** The lower-case hex SHA-256 of a file's content, read in blocks. */
    public static String sha256Hex(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return hex(digest.digest());
    }

    /** A new SHA-256 digest, for content that arrives in pieces; finish with {@link #hex(byte[])}. */
    public static MessageDigest sha256() {
        return digest("SHA-256");
    }

    /** A new MD5 digest, for checking a download against a store's Content-MD5; not for identity. */
    public static MessageDigest md5() {
        return digest("MD5");
    }

    /** Lower-case hex of a finished digest. */
    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            // the Java SE specification requires both
            throw new IllegalStateException("every Java platform has " + algorithm, e);
        }
    }
}
