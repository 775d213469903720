package dev.pronto.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every section and key the server knows, and the environment variable of each: the one list that
 * decides what a file, a variable or a flag may set. A key not listed here is refused by name.
 *
 * <h2>Adding a settings group</h2>
 * For a new section such as {@code [Metrics]}:
 * <ol>
 *   <li>list its keys in {@link #KEYS} ({@code new Key("Metrics", "enabled")}); each gets the
 *       variable {@code PRONTO_METRICS_ENABLED} and is shown, with its origin, in the startup summary;</li>
 *   <li>write an immutable record with its defaults and a {@code static read(ConfigValues, List)} that reads
 *       the keys through {@link ConfigValues} (typed reads that name the origin on a bad value), as
 *       {@link LogSettings#read} does;</li>
 *   <li>add the record as a component of {@link ServerConfig} and read it in {@link ServerConfig#load};</li>
 *   <li>document the keys in {@code docs/server-configuration.md}.</li>
 * </ol>
 * Keys that only become engine keys go to {@link EngineKeys} instead of a record. A key whose name
 * contains {@code secret}, {@code password}, {@code token}, {@code key}, {@code credential} or
 * {@code connection}, or any key of a {@code … Credentials} section, is masked in the summary.
 */
final class ConfigSchema {

    static final String SERVER = "Server";
    static final String LIMITS = "Limits";
    static final String CACHE = "Cache";
    static final String MODELS = "Models";
    static final String MODEL_VERSIONS = "Model Versions";
    static final String NAS_SHARES = "NAS Shares";
    static final String ENGINE = "Engine";
    static final String NAS = "NAS";
    static final String LOGS = "Logs";
    static final String METRICS = "Metrics";
    static final String SKLEARN = "SkLearn";
    static final String SKLEARN_NAMES = "SkLearn Feature Names";
    static final String SECURITY = dev.pronto.server.security.SecurityConfig.SECTION;

    /** Sections whose keys are names the operator chooses: model names, share names, engine keys. */
    static final List<String> OPEN_SECTIONS = List.of(MODELS, MODEL_VERSIONS, NAS_SHARES, ENGINE, SKLEARN_NAMES);

    /** The variable the deprecated {@code HOST} gave way to; tcsh sets {@code HOST} to the machine's name. */
    static final String HOST_ENV = "PRONTO_HOST";
    static final String LEGACY_HOST_ENV = "HOST";
    /** Variables that are not settings of a section: they choose files, or are read by the start scripts. */
    static final Set<String> OTHER_ENV = Set.of("PRONTO_CONFIG", "PRONTO_CREDENTIALS", "PRONTO_JAR");

    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(secret|password|token|key|credential|connection).*");
    private static final Pattern OPEN_ENV_KEY = Pattern.compile("[A-Z0-9]+(_{1,2}[A-Z0-9]+)*");

    /**
     * A key of a fixed section.
     *
     * @param section the section as the server spells it (files may use any case)
     * @param key the key as the server spells it (files may use any case)
     * @param env the environment variable that sets it
     */
    record Key(String section, String key, String env) {
        Key(String section, String key) {
            this(section, key, envName(section, key));
        }
    }

    static final List<Key> KEYS = keys();

    private static List<Key> keys() {
        List<Key> keys = new ArrayList<>(List.of(
                new Key(SERVER, "host", HOST_ENV),
                new Key(SERVER, "port", "PORT"),
                new Key(SERVER, "model_root", "PRONTO_MODEL_ROOT"),
                new Key(SERVER, "drain_timeout"),
                new Key(LIMITS, "max_body_size"),
                new Key(LIMITS, "max_records"),
                new Key(LIMITS, "request_timeout"),
                new Key(LIMITS, "max_model_size"),
                new Key(LIMITS, "max_in_flight_requests"),
                new Key(LIMITS, "max_in_flight_bytes"),
                new Key(LIMITS, "min_body_rate"),
                new Key(LIMITS, "body_grace_period"),
                new Key(LIMITS, "unknown_record_keys"),
                new Key(LIMITS, "failed_load_backoff"),
                new Key(CACHE, "max_models"),
                new Key(CACHE, "max_weight"),
                new Key(CACHE, "revalidate_interval"),
                new Key(NAS, "NAS_local_folder_path"),
                new Key(SKLEARN, "cache_folder"),
                new Key(SKLEARN, "feature_names"),
                new Key(SKLEARN, "max_unpacked_size"),
                new Key(LOGS, "logger_default_name"),
                new Key(LOGS, "log_file_path"),
                new Key(LOGS, "log_file_prefix"),
                new Key(LOGS, "log_time_rotator"),
                new Key(LOGS, "log_time_interval"),
                new Key(LOGS, "log_level_file"),
                new Key(LOGS, "log_level_console"),
                new Key(LOGS, "logger_type"),
                new Key(LOGS, "max_file_size"),
                new Key(LOGS, "max_files"),
                new Key(METRICS, "enabled"),
                new Key(LOGS, "log_format"),
                new Key(LOGS, "access_log_probes"),
                new Key(LOGS, "logback_config")));
        for (String key : dev.pronto.server.security.SecurityConfig.KEYS) {
            keys.add(new Key(SECURITY, key));
        }
        for (SeedStorageKeys.Mapping mapping : SeedStorageKeys.MAPPINGS) {
            keys.add(new Key(mapping.section(), mapping.key()));
        }
        return List.copyOf(keys);
    }

    /** The flags that set a key, mapped to it. */
    static Optional<Key> flag(String flag) {
        return switch (flag) {
            case "--host" -> key(SERVER, "host");
            case "--port" -> key(SERVER, "port");
            case "--model-root" -> key(SERVER, "model_root");
            default -> Optional.empty();
        };
    }

    private ConfigSchema() {
    }

    /** Every section, fixed ones first, in the order of {@link #KEYS}. */
    static List<String> sections() {
        List<String> sections = new ArrayList<>();
        for (Key key : KEYS) {
            if (!sections.contains(key.section())) {
                sections.add(key.section());
            }
        }
        sections.addAll(OPEN_SECTIONS);
        return sections;
    }

    /** The section as the server spells it, for a name compared without case. */
    static Optional<String> section(String name) {
        return sections().stream().filter(section -> section.equalsIgnoreCase(name)).findFirst();
    }

    /** A fixed section's key, compared without case as configparser compares keys. */
    static Optional<Key> key(String section, String key) {
        return KEYS.stream().filter(k -> k.section().equals(section) && k.key().equalsIgnoreCase(key)).findFirst();
    }

    static List<String> keysOf(String section) {
        return KEYS.stream().filter(k -> k.section().equals(section)).map(Key::key).toList();
    }

    static boolean isOpen(String section) {
        return OPEN_SECTIONS.contains(section);
    }

    /** Whether a value must never be shown: credential sections and names that look like secrets. */
    static boolean looksSecret(String section, String key) {
        return section.endsWith("Credentials") || SECRET_NAME.matcher(key).matches();
    }

    /** {@code PRONTO_<SECTION>_<KEY>} in upper case, spaces as underscores: {@code PRONTO_LIMITS_MAX_RECORDS}. */
    static String envName(String section, String key) {
        return ("PRONTO_" + section + "_" + key).toUpperCase(Locale.ROOT).replace(' ', '_');
    }

    /**
     * The prefix of the variables of an open section: {@code PRONTO_ENGINE__}, {@code PRONTO_NAS_SHARES__}.
     * The double underscore keeps them apart from the keys of fixed sections.
     */
    static String openPrefix(String section) {
        return "PRONTO_" + section.toUpperCase(Locale.ROOT).replace(' ', '_') + "__";
    }

    /**
     * The key a variable of an open section names, after its {@link #openPrefix}: upper case becomes
     * lower case, {@code __} a dash and {@code _} a dot, so {@code STORAGE_S3_BUCKETS} is
     * {@code storage.s3.buckets} and {@code PIPELINE_PMML_WARMUP__EVALUATIONS} is
     * {@code pipeline.pmml.warmup-evaluations}. Every variable names one key; a key with an
     * underscore, upper case or other punctuation has no variable and is set in a file.
     *
     * @throws ConfigException for a name that is not of that form
     */
    static String openKey(String variable, String encoded) {
        if (!OPEN_ENV_KEY.matcher(encoded).matches()) {
            throw new ConfigException("environment variable " + variable + ": after " + variable.substring(0,
                    variable.length() - encoded.length()) + " expected upper-case letters and digits separated by _ (for '.')"
                    + " or __ (for '-')");
        }
        return encoded.toLowerCase(Locale.ROOT).replace("__", "-").replace('_', '.');
    }
}
