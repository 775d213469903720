package dev.pronto.server;

import java.util.List;

/**
 * How the seed's cloud storage keys become engine keys: the one place to extend when a storage
 * module adds keys. A mapping applies only when its storage provider is installed, because the
 * engine rejects keys of providers it does not have; otherwise the key is accepted, so the seed's
 * files stay valid, and a warning says it is ignored. Values of credential sections are masked
 * wherever configuration is logged.
 *
 * <p>The NAS keys are mapped in {@link EngineKeys} itself, since the {@code nas} storage is always
 * installed. {@code [S3] default_bucket_name} becomes an allowed bucket, kept beside any that
 * {@code [Engine] storage.s3.buckets} lists.
 */
final class SeedStorageKeys {

    /**
     * One seed key.
     *
     * @param section the INI section as the seed spells it
     * @param key the key as the seed spells it (compared without case)
     * @param provider the storage provider that needs it
     * @param engineKey the engine key it becomes, or {@code null} if Pronto accepts but does not use it
     */
    record Mapping(String section, String key, String provider, String engineKey) {
    }

    /** The mapping of a seed key, if it is one. */
    static java.util.Optional<Mapping> of(String section, String key) {
        return MAPPINGS.stream().filter(m -> m.section().equals(section) && m.key().equalsIgnoreCase(key)).findFirst();
    }

    /**
     * The seed's keys. The engine key names must match what storage-s3 and storage-azure read; the
     * server's tests check each against the installed provider once those modules are on its class path.
     */
    static final List<Mapping> MAPPINGS = List.of(
            new Mapping("S3", "S3_local_folder_path", "s3", "storage.s3.local-folder"),
            new Mapping("S3", "default_bucket_name", "s3", "storage.s3.buckets"),
            new Mapping("AWS Credentials", "access_key", "s3", "storage.s3.access-key-id"),
            new Mapping("AWS Credentials", "secret_key", "s3", "storage.s3.secret-access-key"),
            new Mapping("Azure", "Azure_local_folder_path", "azure", "storage.azure.local-folder"),
            new Mapping("Azure", "storage_account_name", "azure", "storage.azure.account-name"),
            new Mapping("Azure Credentials", "account_key", "azure", "storage.azure.account-key"));

    private SeedStorageKeys() {
    }
}
