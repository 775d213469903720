package dev.pronto.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

import static dev.pronto.server.ConfigSchema.CACHE;
import static dev.pronto.server.ConfigSchema.ENGINE;
import static dev.pronto.server.ConfigSchema.LIMITS;
import static dev.pronto.server.ConfigSchema.NAS;
import static dev.pronto.server.ConfigSchema.NAS_SHARES;
import static dev.pronto.server.ConfigSchema.SERVER;
import static dev.pronto.server.ConfigSchema.SKLEARN;
import static dev.pronto.server.ConfigSchema.SKLEARN_NAMES;

/**
 * The flat map for {@link dev.pronto.inference.InferenceEngine}, from the sections that configure the
 * engine: {@code [NAS]}, the seed's cloud sections ({@link SeedStorageKeys}), {@code [NAS Shares]},
 * {@code [Limits] max_model_size} and {@code failed_load_backoff}, {@code [Cache]}, {@code [SkLearn]} and, applied last,
 * {@code [Engine]}. Each engine key remembers the setting it came from, so that an engine error
 * about a key can name the file, section and key the operator wrote.
 *
 * @param config engine key → value, in the order they were set
 * @param origins engine key → where it came from, as {@link Setting#describe()} says it
 * @param notes summary lines for values the server chose itself (defaults derived from other keys)
 */
record EngineKeys(Map<String, String> config, Map<String, String> origins, List<String> notes) {

    /** Engine keys of the scikit-learn pipeline that the {@code [SkLearn]} sections set. */
    static final String SKLEARN_CACHE_FOLDER = "pipeline.sklearn.cache-folder";
    static final String SKLEARN_NAMES_PREFIX = "pipeline.sklearn.feature-names.";
    static final String S3_BUCKETS = "storage.s3.buckets";
    static final String AZURE_CONTAINERS = "storage.azure.containers";
    /**
     * The folder, inside a remote storage's local file cache, where converted PMML goes by default:
     * a dot folder never clashes with the cache's scheme folders, and the documents then sit on the
     * local, private disk that already holds the copies they were made from.
     */
    static final String CONVERTED_PMML_FOLDER = ".converted-pmml";

    EngineKeys {
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
        origins = Collections.unmodifiableMap(new LinkedHashMap<>(origins));
        notes = List.copyOf(notes);
    }

    /**
     * Maps the settings.
     *
     * @param models the {@code [Models]} names, for {@code [SkLearn Feature Names]} keys that name a model
     * @param warnings receives settings that are accepted but ignored, and risky combinations
     */
    static EngineKeys map(ConfigValues read, InstalledStorage storage, Map<String, String> models, List<String> warnings) {
        Builder engine = new Builder();
        engine.from(read, LIMITS, "max_model_size", "model.max-bytes", text -> String.valueOf(read.size(LIMITS, "max_model_size", 0)));
        engine.from(read, LIMITS, "failed_load_backoff", "model.failed-load-backoff", text -> text);
        engine.from(read, CACHE, "max_models", "cache.max-models", text -> text);
        engine.from(read, CACHE, "max_weight", "cache.max-weight", text -> String.valueOf(read.size(CACHE, "max_weight", 1)));
        engine.from(read, CACHE, "revalidate_interval", "cache.revalidate-interval", text -> text);
        modelRoot(read, warnings).ifPresent(root -> engine.put("storage.nas.root", root));
        read.section(NAS_SHARES).forEach(share -> engine.put("storage.nas.share." + share.key(), share));
        for (SeedStorageKeys.Mapping mapping : SeedStorageKeys.MAPPINGS) {
            Optional<Setting> setting = read.setting(mapping.section(), mapping.key()).filter(s -> !s.value().isEmpty());
            if (setting.isEmpty()) {
                continue;
            }
            if (mapping.engineKey() == null) {
                warnings.add(setting.get().describe() + ": the seed's key is accepted but not used by Pronto");
            } else if (storage.contains(mapping.provider())) {
                engine.put(mapping.engineKey(), setting.get());
            } else {
                warnings.add(setting.get().describe() + ": ignored, the \"" + mapping.provider()
                        + "\" storage is not installed in this server");
            }
        }
        skLearn(read, models, engine);
        Optional<Setting> defaultBucket = Optional.ofNullable(engine.settings.get(S3_BUCKETS));
        read.section(ENGINE).forEach(setting -> engine.put(setting.key(), setting));
        defaultBucket.ifPresent(bucket -> keepDefaultBucket(engine, bucket));
        convertedPmmlDefault(read, engine);
        warnAboutClosedStorage(engine, storage, "s3", "S3 storage", S3_BUCKETS, "bucket, so every s3:// and /s3-",
                "[S3] default_bucket_name or [Engine] " + S3_BUCKETS, warnings);
        warnAboutClosedStorage(engine, storage, "azure", "Azure storage", AZURE_CONTAINERS, "container, so every az:// and /az-",
                "[Engine] " + AZURE_CONTAINERS, warnings);
        return new EngineKeys(engine.config, engine.origins, engine.notes);
    }

    /**
     * {@code [Server] model_root} (or {@code PRONTO_MODEL_ROOT}, {@code --model-root}) and the seed's
     * {@code [NAS] NAS_local_folder_path} name the same folder. The one from the higher-precedence
     * source wins (flag, then environment, then file), {@code model_root} at the same level; when both
     * are set a warning names both, so a container's default never replaces the seed's folder unseen.
     */
    private static Optional<Setting> modelRoot(ConfigValues read, List<String> warnings) {
        Optional<Setting> root = read.setting(SERVER, "model_root").filter(s -> !s.value().isEmpty());
        Optional<Setting> nas = read.setting(NAS, "NAS_local_folder_path").filter(s -> !s.value().isEmpty());
        if (root.isEmpty() || nas.isEmpty()) {
            return root.or(() -> nas);
        }
        Setting chosen = rank(nas.get()) > rank(root.get()) ? nas.get() : root.get();
        Setting other = chosen == root.get() ? nas.get() : root.get();
        if (!chosen.value().equals(other.value())) {
            warnings.add(chosen.describe() + " is the model root; " + other.describe() + " names another folder and is ignored");
        }
        return Optional.of(chosen);
    }

    private static int rank(Setting setting) {
        return setting.fromFlag() ? 2 : setting.fromEnvironment() ? 1 : 0;
    }

    /**
     * The {@code [SkLearn]} keys and the input names of {@code [SkLearn Feature Names]}, whose keys
     * are {@code [Models]} names or locations: an INI key cannot hold the ':' of {@code file:} or
     * {@code s3://} locations, so those are named through a model name.
     */
    private static void skLearn(ConfigValues read, Map<String, String> models, Builder engine) {
        engine.from(read, SKLEARN, "cache_folder", SKLEARN_CACHE_FOLDER, text -> text);
        engine.from(read, SKLEARN, "feature_names", "pipeline.sklearn.feature-names", text -> text);
        engine.from(read, SKLEARN, "max_unpacked_size", "pipeline.sklearn.max-uncompressed-bytes",
                text -> String.valueOf(read.size(SKLEARN, "max_unpacked_size", 0)));
        for (Setting names : read.section(SKLEARN_NAMES)) {
            engine.put(SKLEARN_NAMES_PREFIX + models.getOrDefault(names.key(), names.key()), names);
        }
    }

    /** The seed's one bucket stays allowed beside the buckets {@code [Engine]} lists. */
    private static void keepDefaultBucket(Builder engine, Setting defaultBucket) {
        Setting buckets = engine.settings.get(S3_BUCKETS);
        if (buckets == defaultBucket) {
            return;
        }
        Set<String> names = new LinkedHashSet<>();
        Arrays.stream(buckets.value().split(",")).map(String::trim).filter(name -> !name.isEmpty()).forEach(names::add);
        names.add(defaultBucket.value().trim());
        engine.config.put(S3_BUCKETS, String.join(",", names));
        engine.origins.put(S3_BUCKETS, buckets.describe() + " and " + defaultBucket.describe());
    }

    /**
     * Keeps converted PMML inside the first remote storage's local file cache when the operator
     * named no folder, so that a restart reads the documents back instead of converting every pickle
     * again; without a local cache nothing is written. An empty {@code [SkLearn] cache_folder} turns
     * this off.
     */
    private static void convertedPmmlDefault(ConfigValues read, Builder engine) {
        if (engine.config.containsKey(SKLEARN_CACHE_FOLDER) || read.setting(SKLEARN, "cache_folder").isPresent()) {
            return;
        }
        for (String storage : List.of("s3", "azure")) {
            String key = "storage." + storage + ".local-folder";
            String localFolder = engine.config.get(key);
            if (localFolder != null && !localFolder.isBlank()) {
                String folder = Path.of(localFolder).resolve(CONVERTED_PMML_FOLDER).toString();
                engine.config.put(SKLEARN_CACHE_FOLDER, folder);
                engine.origins.put(SKLEARN_CACHE_FOLDER, "[SkLearn] cache_folder (default, inside " + engine.origins.get(key) + ")");
                engine.notes.add("[SkLearn] cache_folder = " + folder + "  (default: inside " + key + ")");
                return;
            }
        }
    }

    /**
     * A configured cloud storage that allows no bucket or container refuses every location with 403,
     * which looks like a broken deployment: say so at startup, naming the keys that fix it.
     */
    private static void warnAboutClosedStorage(Builder engine, InstalledStorage storage, String provider, String name,
            String allowKey, String refused, String fix, List<String> warnings) {
        String prefix = "storage." + provider + ".";
        Optional<String> configured = engine.config.keySet().stream().filter(key -> key.startsWith(prefix)).findFirst();
        String allowed = engine.config.getOrDefault(allowKey, "");
        if (storage.contains(provider) && configured.isPresent() && allowed.isBlank()) {
            warnings.add(name + " is configured (" + engine.origins.get(configured.get()) + ") but allows no " + refused
                    + " location is refused with 403; set " + fix);
        }
    }

    /**
     * Which file, section and key an engine failure is about, in the operator's terms: the engine names
     * the key in {@code field()}, never only in the message.
     */
    String locate(RuntimeException failure) {
        String message = failure.getMessage() == null ? "" : failure.getMessage();
        if (failure instanceof dev.pronto.inference.InferenceException inference) {
            Optional<String> origin = inference.field().map(origins::get);
            if (origin.isPresent()) {
                return origin.get() + " (" + message + ")";
            }
        }
        // the engine names the offending key in field(); a key the operator did not set (a default) has no origin
        return message;
    }

    /** The map under construction. */
    private static final class Builder {
        final Map<String, String> config = new LinkedHashMap<>();
        final Map<String, String> origins = new LinkedHashMap<>();
        final Map<String, Setting> settings = new LinkedHashMap<>();
        final List<String> notes = new ArrayList<>();

        void put(String engineKey, Setting setting) {
            put(engineKey, setting, setting.value());
        }

        void put(String engineKey, Setting setting, String value) {
            config.put(engineKey, value);
            origins.put(engineKey, setting.describe());
            settings.put(engineKey, setting);
        }

        void from(ConfigValues read, String section, String key, String engineKey, UnaryOperator<String> convert) {
            read.setting(section, key).filter(s -> !s.value().isEmpty())
                    .ifPresent(setting -> put(engineKey, setting, convert.apply(setting.value())));
        }
    }
}
