package dev.pronto.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.pronto.server.ConfigSchema.CACHE;
import static dev.pronto.server.ConfigSchema.ENGINE;
import static dev.pronto.server.ConfigSchema.LIMITS;
import static dev.pronto.server.ConfigSchema.MODELS;
import static dev.pronto.server.ConfigSchema.MODEL_VERSIONS;
import static dev.pronto.server.ConfigSchema.SECURITY;
import static dev.pronto.server.ConfigSchema.SERVER;

import dev.pronto.server.security.SecurityConfig;
import dev.pronto.server.security.SecuritySettings;

/**
 * The server's whole configuration, built once at startup from, in rising precedence: the INI files
 * (the seed's {@code project.properties} and {@code credentials.properties} plus Pronto's own
 * sections), environment variables, and command-line flags. Every key is checked; an unknown
 * section or key, or a value of the wrong form, is a {@link ConfigException} naming where it came
 * from. See {@code docs/server-configuration.md} for every key.
 *
 * <p>The work is split by concern: {@link ConfigSources} collects the settings, {@link ConfigSchema}
 * says which exist, {@link ConfigValues} reads them typed, {@link EngineKeys} maps them to the
 * engine's keys, and one record per group ({@link ServerSettings}, {@link LogSettings}) holds what
 * the server reads. {@link ConfigSchema} explains how to add a group.
 *
 * @param host the interface to listen on
 * @param port the TCP port; 0 picks a free one
 * @param settings limits and model names for the HTTP layer
 * @param engine the flat map for {@link dev.pronto.inference.InferenceEngine}, with the origin of each key
 * @param logs the log channels
 * @param protection the bound on work in flight, the minimum body rate and the record key check
 * @param security bearer tokens, TLS and CORS from {@code [Security]}
 * @param metrics whether meters are kept and served
 * @param summary one line per effective setting with its origin, secrets masked, for the startup log
 * @param warnings things the operator should know that do not stop startup
 */
record ServerConfig(String host, int port, ServerSettings settings, EngineKeys engine, LogSettings logs,
        ProtectionSettings protection, SecuritySettings security, MetricsSettings metrics, List<String> summary,
        List<String> warnings) {

    /** A model name, optionally with a numeric version: {@code iris}, {@code iris@2} (see ModelNames). */
    private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(@[0-9]{1,9})?");

    ServerConfig {
        summary = List.copyOf(summary);
        warnings = List.copyOf(warnings);
    }

    /**
     * Builds the configuration.
     *
     * @param args command-line arguments: {@code --host H}, {@code --port P}, {@code --config FILE},
     *     {@code --credentials FILE}, {@code --model-root DIR} (also as {@code --flag=value}), and the
     *     mode flags of {@link CommandLine}, which are ignored here
     * @param env the environment, e.g. {@link System#getenv()}
     * @param storage the storage providers on the class path
     * @throws ConfigException naming the file and section, variable or flag, and the key
     */
    static ServerConfig load(List<String> args, Map<String, String> env, InstalledStorage storage) {
        List<String> warnings = new ArrayList<>();
        ConfigValues read = ConfigSources.collect(CommandLine.parse(args).flags(), env, warnings);

        String host = read.string(SERVER, "host", "0.0.0.0");
        int port = read.integer(SERVER, "port", 8080, 0, 65535);
        ServerSettings settings = new ServerSettings(
                read.size(LIMITS, "max_body_size", ServerSettings.DEFAULT_MAX_BODY_BYTES),
                read.integer(LIMITS, "max_records", ServerSettings.DEFAULT_MAX_RECORDS, 1, 10_000_000),
                requestTimeout(read), models(read));
        settings = settings.withDrainTimeout(read.duration(SERVER, "drain_timeout",
                ServerSettings.defaultDrainTimeout(settings.requestTimeout()))).withVersions(versions(read, settings.models()));
        EngineKeys engine = EngineKeys.map(read, storage, settings.models(), warnings);
        LogSettings logs = LogSettings.read(read, warnings);
        ProtectionSettings protection = ProtectionSettings.read(read);
        SecuritySettings security = security(read);
        MetricsSettings metrics = MetricsSettings.read(read, warnings);

        List<String> summary = new ArrayList<>(read.summary(setting -> isSecretEngineKey(setting, storage)));
        summary.addAll(engine.notes());
        return new ServerConfig(host, port, settings, engine, logs, protection, security, metrics, summary, warnings);
    }

    /** The engine's map, for {@link dev.pronto.inference.InferenceEngine#create}. */
    Map<String, String> engineConfig() {
        return engine.config();
    }

    /** Where an engine failure at startup is about, in the operator's terms; see {@link EngineKeys#locate}. */
    String locate(RuntimeException failure) {
        return engine.locate(failure);
    }

    private static Duration requestTimeout(ConfigValues read) {
        Duration timeout = read.duration(LIMITS, "request_timeout", ServerSettings.DEFAULT_REQUEST_TIMEOUT);
        if (timeout.isZero()) {
            throw read.invalid(LIMITS, "request_timeout", "must be longer than 0");
        }
        return timeout;
    }

    /** {@code [Security]}, checked as far as startup can (token hashes, TLS files), naming the key at fault. */
    private static SecuritySettings security(ConfigValues read) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Setting setting : read.section(SECURITY)) {
            if (!setting.value().isEmpty()) {
                values.put(IniFile.normalKey(setting.key()), setting.value());
            }
        }
        try {
            return SecurityConfig.parse(values, (key, text) -> read.duration(SECURITY, key, null));
        } catch (SecurityConfig.InvalidKey e) {
            throw read.invalid(SECURITY, e.key(), e.getMessage());
        }
    }

    private static Map<String, String> models(ConfigValues read) {
        Map<String, String> models = new LinkedHashMap<>();
        for (Setting model : read.section(MODELS)) {
            if (!MODEL_NAME.matcher(model.key()).matches()) {
                throw new ConfigException(model.describe() + ": a model name may hold only letters, digits, '.', '_' and '-', "
                        + "and may end in @<version>, a number such as iris@2");
            }
            if (model.value().isEmpty()) {
                throw new ConfigException(model.describe() + ": expected the model's location");
            }
            models.put(model.key(), model.value());
        }
        return models;
    }

    /**
     * {@code [Model Versions]}: {@code name = latest 2} makes the {@code [Models]} value of {@code name}
     * the folder of its numbered versions. Folders are listed as often as models are revalidated.
     */
    private static VersionSettings versions(ConfigValues read, Map<String, String> models) {
        Map<String, VersionPolicy> policies = new LinkedHashMap<>();
        for (Setting setting : read.section(MODEL_VERSIONS)) {
            String name = setting.key();
            if (!models.containsKey(name) || name.contains("@")) {
                throw new ConfigException(setting.describe() + ": no [Models] entry \"" + name + "\" names the folder of"
                        + " its versions; add \"" + name + " = <root>/" + name + "\" there");
            }
            if (models.keySet().stream().anyMatch(key -> key.startsWith(name + "@"))) {
                throw new ConfigException(setting.describe() + ": the versions of \"" + name + "\" are found in its folder,"
                        + " so [Models] may not also list " + name + "@<version>");
            }
            try {
                policies.put(name, VersionPolicy.parse(setting.value()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(setting.describe() + ": " + e.getMessage());
            }
        }
        return new VersionSettings(policies, read.duration(CACHE, "revalidate_interval", VersionSettings.DEFAULT_SCAN_INTERVAL));
    }

    /**
     * Whether a setting becomes an engine key that its storage provider declares secret
     * ({@link dev.pronto.inference.spi.StorageProvider#secretPropertyNames()}).
     */
    private static boolean isSecretEngineKey(Setting setting, InstalledStorage storage) {
        if (setting.section().equals(ENGINE)) {
            return storage.isSecret(setting.key());
        }
        return SeedStorageKeys.of(setting.section(), setting.key())
                .map(SeedStorageKeys.Mapping::engineKey).filter(key -> key != null && storage.isSecret(key)).isPresent();
    }
}
