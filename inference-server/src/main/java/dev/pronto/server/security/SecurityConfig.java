package dev.pronto.server.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Reads the {@code [Security]} section of the server's configuration into {@link SecuritySettings},
 * and checks it as far as startup can: token hashes are well formed, the token file parses, the TLS
 * files load and the key matches its certificate. Keys are listed in {@link #KEYS} and documented in
 * {@code docs/security.md}.
 */
public final class SecurityConfig {

    /** The section name. */
    public static final String SECTION = "Security";
    /**
     * Every key of the section. {@code tls_keystore_password} is the one secret: the server masks it in
     * its startup summary, as it masks every key named like a password, token or key.
     */
    public static final List<String> KEYS = List.of("score_tokens_sha256", "admin_tokens_sha256", "token_file",
            "tls_certificate", "tls_private_key", "tls_keystore", "tls_keystore_password", "tls_client_ca",
            "tls_client_auth", "tls_reload_interval", "cors_allowed_origins", "cors_allowed_methods",
            "cors_allowed_headers", "cors_max_age");

    /** A value of {@code key} that cannot be used; the message says why, without the value if it may be secret. */
    public static final class InvalidKey extends RuntimeException {

        private final String key;

        InvalidKey(String key, String reason) {
            super(reason, null, false, false);
            this.key = key;
        }

        /** The key whose value is wrong. */
        public String key() {
            return key;
        }
    }

    private SecurityConfig() {
    }

    /**
     * Builds the settings.
     *
     * @param values the section's non-empty values by key
     * @param durations parses a duration value, given key and text (the server's one duration syntax)
     * @throws InvalidKey naming the key whose value cannot be used
     */
    public static SecuritySettings parse(Map<String, String> values, BiFunction<String, String, Duration> durations) {
        SecuritySettings settings = SecuritySettings.off().withTokens(tokens(values));
        TlsSettings tls = tls(values, durations);
        if (tls != null) {
            settings = settings.withTls(tls);
        }
        return settings.withCors(cors(values, durations));
    }

    private static BearerTokens tokens(Map<String, String> values) {
        Map<Role, List<String>> hashes = new EnumMap<>(Role.class);
        String file = values.get("token_file");
        if (file != null) {
            try {
                BearerTokens.parseFile(Files.readString(Path.of(file))).forEach((role, list) ->
                        hashes.computeIfAbsent(role, r -> new ArrayList<>()).addAll(list));
            } catch (IOException e) {
                throw new InvalidKey("token_file", "cannot read " + file + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new InvalidKey("token_file", file + " " + e.getMessage());
            }
        }
        for (Role role : Role.values()) {
            String key = role.name().toLowerCase(Locale.ROOT) + "_tokens_sha256";
            List<String> listed = list(values.get(key));
            try {
                // checked per key, so that an error names the key it came from
                BearerTokens.of(Map.of(role, listed));
            } catch (IllegalArgumentException e) {
                throw new InvalidKey(key, e.getMessage());
            }
            hashes.computeIfAbsent(role, r -> new ArrayList<>()).addAll(listed);
        }
        return BearerTokens.of(hashes);
    }

    private static TlsSettings tls(Map<String, String> values, BiFunction<String, String, Duration> durations) {
        String certificate = values.get("tls_certificate");
        String key = values.get("tls_private_key");
        String keystore = values.get("tls_keystore");
        TlsSettings.KeySource source;
        if (keystore != null) {
            if (certificate != null || key != null) {
                throw new InvalidKey("tls_keystore", "set either tls_keystore or tls_certificate with tls_private_key, not both");
            }
            source = new TlsSettings.Pkcs12(Path.of(keystore), values.getOrDefault("tls_keystore_password", ""));
        } else if (certificate != null && key != null) {
            source = new TlsSettings.Pem(Path.of(certificate), Path.of(key));
        } else if (certificate != null || key != null) {
            throw new InvalidKey(certificate != null ? "tls_certificate" : "tls_private_key",
                    "TLS from PEM files needs both tls_certificate and tls_private_key");
        } else {
            for (String tlsKey : List.of("tls_client_ca", "tls_client_auth", "tls_keystore_password")) {
                if (values.containsKey(tlsKey)) {
                    throw new InvalidKey(tlsKey, "has no effect without tls_certificate and tls_private_key, or tls_keystore");
                }
            }
            return null;
        }
        String clientCa = values.get("tls_client_ca");
        TlsSettings.ClientAuth clientAuth = clientAuth(values.get("tls_client_auth"), clientCa != null);
        Duration interval = values.containsKey("tls_reload_interval")
                ? durations.apply("tls_reload_interval", values.get("tls_reload_interval"))
                : TlsSettings.DEFAULT_RELOAD_INTERVAL;
        TlsSettings tls;
        try {
            tls = new TlsSettings(source, clientCa == null ? null : Path.of(clientCa), clientAuth, interval);
        } catch (IllegalArgumentException e) {
            throw new InvalidKey(clientCa == null ? "tls_client_auth" : "tls_reload_interval", e.getMessage());
        }
        try {
            TlsMaterial.load(tls);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidKey(keystore != null ? "tls_keystore" : "tls_certificate", e.getMessage());
        }
        return tls;
    }

    private static TlsSettings.ClientAuth clientAuth(String text, boolean hasCa) {
        if (text == null) {
            return hasCa ? TlsSettings.ClientAuth.NEED : TlsSettings.ClientAuth.NONE;
        }
        try {
            return TlsSettings.ClientAuth.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidKey("tls_client_auth", "expected none, want or need");
        }
    }

    private static CorsSettings cors(Map<String, String> values, BiFunction<String, String, Duration> durations) {
        List<String> origins = list(values.get("cors_allowed_origins"));
        if (origins.isEmpty()) {
            for (String corsKey : List.of("cors_allowed_methods", "cors_allowed_headers", "cors_max_age")) {
                if (values.containsKey(corsKey)) {
                    throw new InvalidKey(corsKey, "has no effect without cors_allowed_origins");
                }
            }
            return CorsSettings.off();
        }
        List<String> methods = values.containsKey("cors_allowed_methods") ? list(values.get("cors_allowed_methods"))
                : CorsSettings.DEFAULT_METHODS;
        List<String> headers = values.containsKey("cors_allowed_headers") ? list(values.get("cors_allowed_headers"))
                : CorsSettings.DEFAULT_HEADERS;
        Duration maxAge = values.containsKey("cors_max_age") ? durations.apply("cors_max_age", values.get("cors_max_age"))
                : CorsSettings.DEFAULT_MAX_AGE;
        try {
            return new CorsSettings(origins, methods, headers, maxAge);
        } catch (IllegalArgumentException e) {
            throw new InvalidKey("cors_allowed_origins", e.getMessage());
        }
    }

    /** A comma- or space-separated list, without empty items. */
    private static List<String> list(String text) {
        if (text == null) {
            return List.of();
        }
        return Arrays.stream(text.split("[,\\s]+")).filter(item -> !item.isEmpty()).toList();
    }
}
