package dev.pronto.server.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The accepted bearer tokens, known only by their SHA-256, each with a {@link Role}. The tokens
 * themselves are never stored, so a leaked configuration file or heap dump gives no token away.
 * Immutable and thread-safe.
 *
 * <p>A hash is written as 64 hexadecimal digits, optionally prefixed {@code sha256:}; make one with
 * {@code printf %s "$TOKEN" | sha256sum} or {@link HashToken}.
 */
public final class BearerTokens {

    private static final Pattern HASH = Pattern.compile("(?i)(sha256:)?[0-9a-f]{64}");
    private static final BearerTokens NONE = new BearerTokens(Map.of());

    private final byte[][] hashes;
    private final Role[] roles;

    private BearerTokens(Map<String, Role> byHash) {
        hashes = new byte[byHash.size()][];
        roles = new Role[byHash.size()];
        int i = 0;
        for (Map.Entry<String, Role> entry : byHash.entrySet()) {
            hashes[i] = HexFormat.of().parseHex(entry.getKey());
            roles[i] = entry.getValue();
            i++;
        }
    }

    /** No tokens: authentication is off. */
    public static BearerTokens none() {
        return NONE;
    }

    /**
     * Tokens from their hashes. A hash listed for both roles gets {@link Role#ADMIN}.
     *
     * @param hashesByRole hex SHA-256 hashes per role
     * @throws IllegalArgumentException naming a value that is not a SHA-256 in hex
     */
    public static BearerTokens of(Map<Role, List<String>> hashesByRole) {
        Map<String, Role> byHash = new LinkedHashMap<>();
        hashesByRole.forEach((role, hashes) -> {
            for (String hash : hashes) {
                byHash.merge(normalize(hash), role, (a, b) -> a == Role.ADMIN || b == Role.ADMIN ? Role.ADMIN : Role.SCORE);
            }
        });
        return byHash.isEmpty() ? NONE : new BearerTokens(byHash);
    }

    /**
     * Parses a token file: one {@code <role> <sha256>} per line ({@code score} or {@code admin}),
     * blank lines and lines starting with {@code #} ignored.
     *
     * @throws IllegalArgumentException naming the line that is malformed
     */
    public static Map<Role, List<String>> parseFile(String content) {
        Map<Role, List<String>> hashes = new LinkedHashMap<>();
        String[] lines = content.split("\\R");
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            Role role = parts.length == 2 ? roleNamed(parts[0]) : null;
            if (role == null || !HASH.matcher(parts[1]).matches()) {
                throw new IllegalArgumentException("line " + (n + 1) + ": expected \"score <sha256>\" or \"admin <sha256>\"");
            }
            hashes.computeIfAbsent(role, r -> new ArrayList<>()).add(parts[1]);
        }
        return hashes;
    }

    private static Role roleNamed(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "score" -> Role.SCORE;
            case "admin" -> Role.ADMIN;
            default -> null;
        };
    }

    private static String normalize(String hash) {
        String trimmed = hash.strip();
        if (!HASH.matcher(trimmed).matches()) {
            // the value is not echoed: an operator may have pasted the token itself instead of its hash
            throw new IllegalArgumentException("expected a SHA-256 in hex (64 digits, optionally prefixed sha256:), "
                    + "got a value of " + trimmed.length() + " characters; store the hash of a token, not the token");
        }
        return trimmed.substring(trimmed.length() - 64).toLowerCase(Locale.ROOT);
    }

    /** Whether any token is configured, which turns authentication on. */
    public boolean enabled() {
        return hashes.length > 0;
    }

    /** How many tokens are configured, for the startup log. */
    public int size() {
        return hashes.length;
    }

    /**
     * The role of a presented token, if it is one of ours. Every configured hash is compared, each in
     * constant time, so the time taken says nothing about which hash, or how much of one, matched.
     */
    public Optional<Role> roleOf(String token) {
        byte[] presented = sha256(token);
        Role found = null;
        for (int i = 0; i < hashes.length; i++) {
            if (MessageDigest.isEqual(hashes[i], presented) && found != Role.ADMIN) {
                found = roles[i];
            }
        }
        return Optional.ofNullable(found);
    }

    /** The lower-case hex SHA-256 of a token's UTF-8 bytes: the form the configuration stores. */
    public static String hash(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "BearerTokens[" + hashes.length + " tokens]";
    }
}
