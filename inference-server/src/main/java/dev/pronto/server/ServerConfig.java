package dev.pronto.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.pronto.inference.toolkit.ProviderProperties;

/**
 * The server's whole configuration, built once at startup from, in rising precedence: the INI files
 * (the seed's {@code project.properties} and {@code credentials.properties} plus Pronto's own
 * sections), environment variables, and command-line flags. Every key is checked here; an unknown
 * section or key, or a value of the wrong form, is a {@link ConfigException} naming where it came
 * from. See {@code docs/server-configuration.md} for every key.
 *
 * @param host the interface to listen on
 * @param port the TCP port; 0 picks a free one
 * @param settings limits and model names for the HTTP layer
 * @param engineConfig the flat map for {@link dev.pronto.inference.InferenceEngine}
 * @param engineKeyOrigins where each engine key came from, to name it when the engine rejects it
 * @param logs the log channels
 * @param summary one line per effective setting with its origin, secrets masked, for the startup log
 * @param warnings things the operator should know that do not stop startup
 */
record ServerConfig(String host, int port, ServerSettings settings,
        Map<String, String> engineConfig, Map<String, String> engineKeyOrigins, LogSettings logs,
        List<String> summary, List<String> warnings) {

    static final String SERVER = "Server";
    static final String LIMITS = "Limits";
    static final String CACHE = "Cache";
    static final String MODELS = "Models";
    static final String NAS_SHARES = "NAS Shares";
    static final String ENGINE = "Engine";
    static final String NAS = "NAS";
    static final String LOGS = "Logs";
    static final String SKLEARN = "SkLearn";
    static final String SKLEARN_NAMES = "SkLearn Feature Names";

    /** Engine keys of the scikit-learn pipeline that the {@code [SkLearn]} sections set. */
    static final String SKLEARN_CACHE_FOLDER = "pipeline.sklearn.cache-folder";
    static final String SKLEARN_NAMES_PREFIX = "pipeline.sklearn.feature-names.";
    /**
     * The folder, inside a remote storage's local file cache, where converted PMML goes by default:
     * a dot folder never clashes with the cache's scheme folders, and the documents then sit on the
     * local, private disk that already holds the copies they were made from.
     */
    static final String CONVERTED_PMML_FOLDER = ".converted-pmml";

    /** Sections whose keys are names the operator chooses. */
    private static final Set<String> OPEN_SECTIONS = Set.of(MODELS, NAS_SHARES, ENGINE, SKLEARN_NAMES);
    private static final Pattern SIZE = Pattern.compile("^(\\d+)\\s*(b|kb|kib|k|mb|mib|m|gb|gib|g)?$");
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(secret|password|token|key|credential|connection).*");
    private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /**
     * A key the server knows. {@code env} is the environment variable that overrides it.
     */
    private record Known(String section, String key, String env, boolean secret) {
        Known(String section, String key) {
            this(section, key, envName(section, key), false);
        }
    }

    private static final List<Known> KNOWN = List.of(
            new Known(SERVER, "host", "HOST", false),
            new Known(SERVER, "port", "PORT", false),
            new Known(SERVER, "model_root", "PRONTO_MODEL_ROOT", false),
            new Known(LIMITS, "max_body_size"),
            new Known(LIMITS, "max_records"),
            new Known(LIMITS, "request_timeout"),
            new Known(LIMITS, "max_model_size"),
            new Known(CACHE, "max_models"),
            new Known(CACHE, "revalidate_interval"),
            new Known(NAS, "NAS_local_folder_path"),
            new Known(SKLEARN, "cache_folder"),
            new Known(SKLEARN, "feature_names"),
            new Known(SKLEARN, "max_unpacked_size"),
            new Known(LOGS, "logger_default_name"),
            new Known(LOGS, "log_file_path"),
            new Known(LOGS, "log_file_prefix"),
            new Known(LOGS, "log_time_rotator"),
            new Known(LOGS, "log_time_interval"),
            new Known(LOGS, "log_level_file"),
            new Known(LOGS, "log_level_console"),
            new Known(LOGS, "logger_type"));

    /** One value and where it came from. */
    private record Setting(String section, String key, String value, String origin) {
    }

    /** The flags {@link #load} understands, mapped to the key they set. */
    private static final Map<String, Known> FLAGS = Map.of(
            "--host", known(SERVER, "host"),
            "--port", known(SERVER, "port"),
            "--model-root", known(SERVER, "model_root"));

    /**
     * Builds the configuration.
     *
     * @param args command-line arguments: {@code --host H}, {@code --port P}, {@code --config FILE},
     *     {@code --credentials FILE}, {@code --model-root DIR} (also as {@code --flag=value})
     * @param env the environment, e.g. {@link System#getenv()}
     * @param installedStorage names of the storage providers on the class path
     * @throws ConfigException naming the file and section, variable or flag, and the key
     */
    static ServerConfig load(List<String> args, Map<String, String> env, Set<String> installedStorage) {
        Map<String, String> flags = parseFlags(args);
        Map<String, Map<String, Setting>> values = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();

        Optional<Path> projectFile = projectFile(flags, env);
        projectFile.ifPresent(path -> addFile(values, IniFile.read(path)));
        Optional<Path> credentialsFile = credentialsFile(flags, env, projectFile);
        credentialsFile.ifPresent(path -> addFile(values, IniFile.read(path)));

        for (Known known : KNOWN) {
            String value = env.get(known.env());
            if (value != null) {
                put(values, new Setting(known.section(), known.key(), value, "environment variable " + known.env()));
            }
        }
        for (SeedStorageKeys.Mapping mapping : SeedStorageKeys.MAPPINGS) {
            String name = envName(mapping.section(), mapping.key());
            String value = env.get(name);
            if (value != null) {
                put(values, new Setting(mapping.section(), mapping.key(), value, "environment variable " + name));
            }
        }
        flags.forEach((flag, value) -> {
            Known known = FLAGS.get(flag);
            if (known != null) {
                put(values, new Setting(known.section(), known.key(), value, "flag " + flag));
            }
        });

        Reader read = new Reader(values);
        String host = read.string(SERVER, "host", "0.0.0.0");
        int port = read.integer(SERVER, "port", 8080, 0, 65535);
        long maxBody = read.size(LIMITS, "max_body_size", ServerSettings.DEFAULT_MAX_BODY_BYTES);
        int maxRecords = read.integer(LIMITS, "max_records", ServerSettings.DEFAULT_MAX_RECORDS, 1, 10_000_000);
        Duration requestTimeout = read.duration(LIMITS, "request_timeout", ServerSettings.DEFAULT_REQUEST_TIMEOUT);
        if (requestTimeout.isZero()) {
            throw read.invalid(LIMITS, "request_timeout", "must be longer than 0");
        }

        Map<String, String> engine = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        read.toEngine(LIMITS, "max_model_size", "model.max-bytes", engine, origins, text -> String.valueOf(read.size(LIMITS, "max_model_size", 0)));
        read.toEngine(CACHE, "max_models", "cache.max-models", engine, origins, text -> text);
        read.toEngine(CACHE, "revalidate_interval", "cache.revalidate-interval", engine, origins, text -> text);
        Optional<Setting> root = read.setting(SERVER, "model_root").or(() -> read.setting(NAS, "NAS_local_folder_path"));
        root.ifPresent(setting -> {
            engine.put("storage.nas.root", setting.value());
            origins.put("storage.nas.root", describe(setting));
        });
        for (Setting share : read.section(NAS_SHARES)) {
            engine.put("storage.nas.share." + share.key(), share.value());
            origins.put("storage.nas.share." + share.key(), describe(share));
        }
        for (SeedStorageKeys.Mapping mapping : SeedStorageKeys.MAPPINGS) {
            Optional<Setting> setting = read.setting(mapping.section(), mapping.key());
            if (setting.isEmpty() || setting.get().value().isEmpty()) {
                continue;
            }
            if (mapping.engineKey() == null) {
                warnings.add(describe(setting.get()) + ": the seed's key is accepted but not used by Pronto");
            } else if (installedStorage.contains(mapping.provider())) {
                engine.put(mapping.engineKey(), setting.get().value());
                origins.put(mapping.engineKey(), describe(setting.get()));
            } else {
                warnings.add(describe(setting.get()) + ": ignored, the \"" + mapping.provider()
                        + "\" storage is not installed in this server");
            }
        }
        Map<String, String> models = new LinkedHashMap<>();
        for (Setting model : read.section(MODELS)) {
            if (!MODEL_NAME.matcher(model.key()).matches()) {
                throw new ConfigException(describe(model) + ": a model name may hold only letters, digits, '.', '_' and '-'");
            }
            if (model.value().isEmpty()) {
                throw new ConfigException(describe(model) + ": expected the model's location");
            }
            models.put(model.key(), model.value());
        }
        readSkLearn(read, models, engine, origins);
        for (Setting setting : read.section(ENGINE)) {
            engine.put(setting.key(), setting.value());
            origins.put(setting.key(), describe(setting));
        }
        List<String> summary = new ArrayList<>(summary(values));
        defaultConvertedPmmlFolder(read, engine, origins).ifPresent(summary::add);

        LogSettings logs = readLogs(read, warnings);
        ServerSettings settings = new ServerSettings(maxBody, maxRecords, requestTimeout, models);
        return new ServerConfig(host, port, settings, engine, origins, logs, summary, warnings);
    }

    /**
     * The {@code [SkLearn]} keys and the input names of {@code [SkLearn Feature Names]}, whose keys
     * are {@code [Models]} names or locations: an INI key cannot hold the ':' of {@code file:} or
     * {@code s3://} locations, so those are named through a model name.
     */
    private static void readSkLearn(Reader read, Map<String, String> models, Map<String, String> engine,
            Map<String, String> origins) {
        read.toEngine(SKLEARN, "cache_folder", SKLEARN_CACHE_FOLDER, engine, origins, text -> text);
        read.toEngine(SKLEARN, "feature_names", "pipeline.sklearn.feature-names", engine, origins, text -> text);
        read.toEngine(SKLEARN, "max_unpacked_size", "pipeline.sklearn.max-uncompressed-bytes", engine, origins,
                text -> String.valueOf(read.size(SKLEARN, "max_unpacked_size", 0)));
        for (Setting names : read.section(SKLEARN_NAMES)) {
            String location = models.getOrDefault(names.key(), names.key());
            engine.put(SKLEARN_NAMES_PREFIX + location, names.value());
            origins.put(SKLEARN_NAMES_PREFIX + location, describe(names));
        }
    }

    /**
     * Keeps converted PMML inside the first remote storage's local file cache when the operator
     * named no folder, so that a restart reads the documents back instead of converting every pickle
     * again; without a local cache nothing is written. An empty {@code [SkLearn] cache_folder} turns
     * this off.
     *
     * @return the summary line of the default, if one was set
     */
    private static Optional<String> defaultConvertedPmmlFolder(Reader read, Map<String, String> engine,
            Map<String, String> origins) {
        if (engine.containsKey(SKLEARN_CACHE_FOLDER) || read.setting(SKLEARN, "cache_folder").isPresent()) {
            return Optional.empty();
        }
        for (String storage : List.of("s3", "azure")) {
            String localFolder = engine.get("storage." + storage + ".local-folder");
            if (localFolder != null && !localFolder.isBlank()) {
                String folder = Path.of(localFolder).resolve(CONVERTED_PMML_FOLDER).toString();
                engine.put(SKLEARN_CACHE_FOLDER, folder);
                origins.put(SKLEARN_CACHE_FOLDER, "[SkLearn] cache_folder (default, inside "
                        + origins.get("storage." + storage + ".local-folder") + ")");
                return Optional.of("[SkLearn] cache_folder = " + folder + "  (default: inside storage." + storage
                        + ".local-folder)");
            }
        }
        return Optional.empty();
    }

    /**
     * Finds where an engine error is about, from the engine key its message names, and says it in
     * the operator's terms.
     */
    String locate(String engineMessage) {
        String best = null;
        for (String key : engineKeyOrigins.keySet()) {
            if (engineMessage.contains(key) && (best == null || key.length() > best.length())) {
                best = key;
            }
        }
        return best == null ? engineMessage : engineKeyOrigins.get(best) + " (" + engineMessage + ")";
    }

    private static LogSettings readLogs(Reader read, List<String> warnings) {
        read.setting(LOGS, "logger_default_name");
        Optional<Path> directory = read.setting(LOGS, "log_file_path")
                .filter(setting -> !setting.value().isEmpty()).map(setting -> Path.of(setting.value()));
        String prefix = read.string(LOGS, "log_file_prefix", "pronto");
        if (!prefix.matches("[A-Za-z0-9._-]+")) {
            throw read.invalid(LOGS, "log_file_prefix", "may hold only letters, digits, '.', '_' and '-'");
        }
        String fileLevel = read.level(LOGS, "log_level_file");
        String consoleLevel = read.level(LOGS, "log_level_console");
        String type = read.string(LOGS, "logger_type", "");
        String rotator = read.string(LOGS, "log_time_rotator", "midnight");
        int interval = read.integer(LOGS, "log_time_interval", 1, 1, 10_000);
        String rotation = "none";
        if (type.equals("TimedRotatingFileHandler")) {
            rotation = switch (rotator.toLowerCase(Locale.ROOT)) {
                case "s" -> "secondly";
                case "m" -> "minutely";
                case "h" -> "hourly";
                case "d", "midnight" -> "daily";
                case "w0", "w1", "w2", "w3", "w4", "w5", "w6" -> "weekly";
                default -> throw read.invalid(LOGS, "log_time_rotator", "expected S, M, H, D, midnight or W0 to W6");
            };
            if (interval != 1) {
                // logback rolls over once per period of its file name pattern; it cannot skip periods
                warnings.add("[Logs] log_time_interval: the log file rolls over " + rotation + ", not once per "
                        + interval + " periods; longer intervals are not supported");
            }
        }
        return new LogSettings(directory, prefix, fileLevel, consoleLevel, rotation);
    }

    private static Map<String, String> parseFlags(List<String> args) {
        Set<String> known = Set.of("--host", "--port", "--model-root", "--config", "--credentials");
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            if (!known.contains(name)) {
                throw new ConfigException("unknown argument " + name + "; known flags: --config FILE, --credentials FILE, "
                        + "--host HOST, --port PORT, --model-root DIR");
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new ConfigException("flag " + name + ": expected a value after it");
                }
                value = args.get(++i);
            }
            flags.put(name, value);
        }
        return flags;
    }

    private static Optional<Path> projectFile(Map<String, String> flags, Map<String, String> env) {
        if (flags.containsKey("--config")) {
            return Optional.of(Path.of(flags.get("--config")));
        }
        if (env.get("PRONTO_CONFIG") != null) {
            return Optional.of(Path.of(env.get("PRONTO_CONFIG")));
        }
        String deployEnv = env.get("DEPLOY_ENV");
        if (deployEnv != null && !deployEnv.isBlank()) {
            if (!deployEnv.matches("[A-Za-z0-9._-]+")) {
                throw new ConfigException("environment variable DEPLOY_ENV: may hold only letters, digits, '.', '_' and '-'");
            }
            return Optional.of(Path.of("configs", deployEnv, "project.properties"));
        }
        return Optional.empty();
    }

    private static Optional<Path> credentialsFile(Map<String, String> flags, Map<String, String> env, Optional<Path> project) {
        if (flags.containsKey("--credentials")) {
            return Optional.of(Path.of(flags.get("--credentials")));
        }
        if (env.get("PRONTO_CREDENTIALS") != null) {
            return Optional.of(Path.of(env.get("PRONTO_CREDENTIALS")));
        }
        // the seed keeps credentials.properties next to project.properties; it is optional, since the
        // cloud SDKs' default credential chains need no file
        return project.map(path -> path.resolveSibling("credentials.properties")).filter(Files::isRegularFile);
    }

    private static void addFile(Map<String, Map<String, Setting>> values, IniFile file) {
        for (IniFile.Entry entry : file.entries()) {
            String section = canonicalSection(file, entry);
            String key = entry.key();
            if (!OPEN_SECTIONS.contains(section)) {
                Optional<String> canonical = knownKey(section, key);
                if (canonical.isEmpty()) {
                    throw new ConfigException(file.file() + " [" + entry.section() + "] " + key + ": unknown key; known keys of ["
                            + section + "]: " + knownKeys(section));
                }
                key = canonical.get();
            }
            put(values, new Setting(section, key, entry.value(), file.file()));
        }
    }

    private static String canonicalSection(IniFile file, IniFile.Entry entry) {
        for (String section : allSections()) {
            if (section.equalsIgnoreCase(entry.section())) {
                return section;
            }
        }
        throw new ConfigException(file.file() + " [" + entry.section() + "] " + entry.key() + ": unknown section; known sections: "
                + allSections());
    }

    private static List<String> allSections() {
        List<String> sections = new ArrayList<>();
        for (Known known : KNOWN) {
            if (!sections.contains(known.section())) {
                sections.add(known.section());
            }
        }
        for (SeedStorageKeys.Mapping mapping : SeedStorageKeys.MAPPINGS) {
            if (!sections.contains(mapping.section())) {
                sections.add(mapping.section());
            }
        }
        sections.addAll(List.of(MODELS, NAS_SHARES, ENGINE, SKLEARN_NAMES));
        return sections;
    }

    private static Optional<String> knownKey(String section, String key) {
        for (Known known : KNOWN) {
            if (known.section().equals(section) && known.key().equalsIgnoreCase(key)) {
                return Optional.of(known.key());
            }
        }
        for (SeedStorageKeys.Mapping mapping : SeedStorageKeys.MAPPINGS) {
            if (mapping.section().equals(section) && mapping.key().equalsIgnoreCase(key)) {
                return Optional.of(mapping.key());
            }
        }
        return Optional.empty();
    }

    private static List<String> knownKeys(String section) {
        List<String> keys = new ArrayList<>();
        KNOWN.stream().filter(k -> k.section().equals(section)).forEach(k -> keys.add(k.key()));
        SeedStorageKeys.MAPPINGS.stream().filter(m -> m.section().equals(section)).forEach(m -> keys.add(m.key()));
        return keys;
    }

    private static Known known(String section, String key) {
        return KNOWN.stream().filter(k -> k.section().equals(section) && k.key().equals(key)).findFirst().orElseThrow();
    }

    private static void put(Map<String, Map<String, Setting>> values, Setting setting) {
        // a later source replaces an earlier one: files, then environment, then flags
        values.computeIfAbsent(setting.section(), s -> new LinkedHashMap<>())
                .put(OPEN_SECTIONS.contains(setting.section()) ? setting.key() : IniFile.normalKey(setting.key()), setting);
    }

    /** {@code PRONTO_<SECTION>_<KEY>} in upper case, spaces as underscores. */
    static String envName(String section, String key) {
        return ("PRONTO_" + section + "_" + key).toUpperCase(Locale.ROOT).replace(' ', '_');
    }

    private static String describe(Setting setting) {
        if (setting.origin().startsWith("environment variable") || setting.origin().startsWith("flag")) {
            return setting.origin() + " ([" + setting.section() + "] " + setting.key() + ")";
        }
        return setting.origin() + " [" + setting.section() + "] " + setting.key();
    }

    private static boolean isSecret(Setting setting) {
        return setting.section().endsWith("Credentials") || SECRET_NAME.matcher(setting.key()).matches();
    }

    private static List<String> summary(Map<String, Map<String, Setting>> values) {
        List<String> lines = new ArrayList<>();
        Map<String, Map<String, Setting>> sorted = new TreeMap<>(values);
        sorted.forEach((section, settings) -> settings.values().forEach(setting -> lines.add("[" + section + "] "
                + setting.key() + " = " + (isSecret(setting) ? "****" : setting.value()) + "  (from " + setting.origin() + ")")));
        return lines;
    }

    /** Typed reads that name the setting's origin when a value has the wrong form. */
    private record Reader(Map<String, Map<String, Setting>> values) {

        Optional<Setting> setting(String section, String key) {
            Map<String, Setting> settings = values.get(section);
            return Optional.ofNullable(settings == null ? null : settings.get(IniFile.normalKey(key)));
        }

        List<Setting> section(String section) {
            return List.copyOf(values.getOrDefault(section, Map.of()).values());
        }

        String string(String section, String key, String defaultValue) {
            return setting(section, key).map(Setting::value).filter(v -> !v.isEmpty()).orElse(defaultValue);
        }

        int integer(String section, String key, int defaultValue, int min, int max) {
            String text = string(section, key, null);
            if (text == null) {
                return defaultValue;
            }
            try {
                int value = Integer.parseInt(text.trim());
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below with the expected form
            }
            throw invalid(section, key, "expected a whole number from " + min + " to " + max);
        }

        Duration duration(String section, String key, Duration defaultValue) {
            String text = string(section, key, null);
            if (text == null) {
                return defaultValue;
            }
            try {
                return ProviderProperties.parseDuration(key, text);
            } catch (IllegalArgumentException e) {
                throw invalid(section, key, "expected a duration such as 500ms, 30s, 5m or PT30S");
            }
        }

        long size(String section, String key, long defaultValue) {
            String text = string(section, key, null);
            if (text == null) {
                return defaultValue;
            }
            Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
            if (m.matches()) {
                try {
                    long amount = Long.parseLong(m.group(1));
                    String unit = m.group(2) == null ? "b" : m.group(2);
                    long factor = switch (unit.charAt(0)) {
                        case 'k' -> 1024L;
                        case 'm' -> 1024L * 1024;
                        case 'g' -> 1024L * 1024 * 1024;
                        default -> 1L;
                    };
                    long bytes = Math.multiplyExact(amount, factor);
                    if (bytes >= 1 && bytes < Integer.MAX_VALUE - 8) {
                        return bytes;
                    }
                } catch (ArithmeticException | NumberFormatException e) {
                    // reported below with the expected form
                }
            }
            throw invalid(section, key, "expected a size from 1 byte to under 2 GiB such as 1048576, 512KB or 10MB");
        }

        String level(String section, String key) {
            String text = string(section, key, "INFO").toUpperCase(Locale.ROOT);
            return switch (text) {
                case "CRITICAL", "FATAL", "ERROR" -> "ERROR";
                case "WARNING", "WARN" -> "WARN";
                case "INFO" -> "INFO";
                case "DEBUG", "NOTSET" -> "DEBUG";
                default -> throw invalid(section, key, "expected CRITICAL, ERROR, WARNING, INFO, DEBUG or NOTSET");
            };
        }

        void toEngine(String section, String key, String engineKey, Map<String, String> engine, Map<String, String> origins,
                java.util.function.UnaryOperator<String> convert) {
            setting(section, key).filter(s -> !s.value().isEmpty()).ifPresent(setting -> {
                engine.put(engineKey, convert.apply(setting.value()));
                origins.put(engineKey, describe(setting));
            });
        }

        ConfigException invalid(String section, String key, String reason) {
            Setting setting = setting(section, key).orElseThrow();
            return new ConfigException(describe(setting) + ": " + reason);
        }
    }
}
