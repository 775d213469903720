package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;

/**
 * Configuration without traps: every section from the environment, a warning for every override
 * and every risky combination, secrets never shown, and engine errors traced to the setting.
 */
class ConfigSourcesTest {

    private static final InstalledStorage ALL = InstalledStorage.named("nas", "s3", "azure");

    @TempDir
    Path dir;

    @Test
    void openSectionsAreSetFromTheEnvironment() {
        ServerConfig config = ServerConfig.load(List.of(), Map.of(
                "PRONTO_ENGINE__STORAGE_S3_BUCKETS", "models,archive",
                "PRONTO_ENGINE__PIPELINE_PMML_WARMUP__EVALUATIONS", "5",
                "PRONTO_MODELS__IRIS", "iris/model.pmml",
                "PRONTO_NAS_SHARES__TEAM", "/mnt/team",
                "PRONTO_SKLEARN_FEATURE_NAMES__IRIS", "a,b"), ALL);

        assertThat(config.settings().models()).containsExactly(Map.entry("iris", "iris/model.pmml"));
        assertThat(config.engineConfig())
                .containsEntry("storage.s3.buckets", "models,archive")
                .containsEntry("pipeline.pmml.warmup-evaluations", "5")
                .containsEntry("storage.nas.share.team", "/mnt/team")
                .containsEntry("pipeline.sklearn.feature-names.iris/model.pmml", "a,b");
        assertThat(config.summary()).contains(
                "[Engine] storage.s3.buckets = models,archive  (from environment variable PRONTO_ENGINE__STORAGE_S3_BUCKETS)");
    }

    @Test
    void anOpenSectionVariableThatNamesNoKeyIsRefused() {
        assertThatThrownBy(() -> ServerConfig.load(List.of(), Map.of("PRONTO_ENGINE__STORAGE___S3", "x"), ALL))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("environment variable PRONTO_ENGINE__STORAGE___S3: after PRONTO_ENGINE__ expected");
    }

    @Test
    void everyFixedKeyHasItsOwnVariableApartFromTheOpenSections() {
        Set<String> names = new HashSet<>();
        for (ConfigSchema.Key key : ConfigSchema.KEYS) {
            assertThat(names.add(key.env())).as(key.env()).isTrue();
            assertThat(ConfigSchema.OPEN_SECTIONS).noneMatch(section -> key.env().startsWith(ConfigSchema.openPrefix(section)));
        }
    }

    @Test
    void overridesWarnNamingBothSourcesButNeverTheValue() throws IOException {
        Path project = write("project.properties", "[Server]\nport = 9090\n[Limits]\nmax_records = 50\n");
        Path credentials = write("credentials.properties", "[AWS Credentials]\nsecret_key = file-s3cr3t\n");

        ServerConfig config = ServerConfig.load(List.of("--config", project.toString(), "--port", "7070"), Map.of(
                "PORT", "6060", "PRONTO_AWS_CREDENTIALS_SECRET_KEY", "env-s3cr3t"), ALL);

        assertThat(config.port()).isEqualTo(7070);
        assertThat(config.engineConfig()).containsEntry("storage.s3.secret-access-key", "env-s3cr3t");
        assertThat(config.warnings()).contains(
                "environment variable PORT overrides " + project + " [Server] port",
                "flag --port overrides environment variable PORT ([Server] port)",
                "environment variable PRONTO_AWS_CREDENTIALS_SECRET_KEY overrides " + credentials + " [AWS Credentials] secret_key");
        assertThat(String.join("\n", config.warnings()) + String.join("\n", config.summary()))
                .doesNotContain("s3cr3t").contains("[AWS Credentials] secret_key = ****");
    }

    @Test
    void prontoHostIsPreferredAndHostStillWorksWithADeprecationWarning() {
        ServerConfig both = ServerConfig.load(List.of(), Map.of("PRONTO_HOST", "127.0.0.1", "HOST", "tcsh-box"), ALL);
        ServerConfig legacy = ServerConfig.load(List.of(), Map.of("HOST", "10.0.0.1"), ALL);

        assertThat(both.host()).isEqualTo("127.0.0.1");
        assertThat(both.warnings()).isEmpty();
        assertThat(legacy.host()).isEqualTo("10.0.0.1");
        assertThat(legacy.warnings()).containsExactly("environment variable HOST is deprecated: set PRONTO_HOST instead "
                + "(tcsh sets HOST to the machine's name)");
    }

    @Test
    void modelRootAndTheSeedsNasFolderFollowSourcePrecedenceAndWarn() throws IOException {
        Path seed = write("seed.properties", "[NAS]\nNAS_local_folder_path = /srv/seed\n");
        Path both = write("both.properties", "[NAS]\nNAS_local_folder_path = /srv/seed\n[Server]\nmodel_root = /srv/root\n");

        ServerConfig container = ServerConfig.load(List.of("--config", seed.toString()), Map.of("PRONTO_MODEL_ROOT", "/app/models"), ALL);
        ServerConfig sameFile = ServerConfig.load(List.of("--config", both.toString()), Map.of(), ALL);

        assertThat(container.engineConfig()).containsEntry("storage.nas.root", "/app/models");
        assertThat(container.warnings()).contains("environment variable PRONTO_MODEL_ROOT ([Server] model_root) is the model root; "
                + seed + " [NAS] NAS_local_folder_path names another folder and is ignored");
        assertThat(sameFile.engineConfig()).containsEntry("storage.nas.root", "/srv/root");
        assertThat(sameFile.warnings()).anyMatch(w -> w.startsWith(both + " [Server] model_root is the model root"));
    }

    @Test
    void theSeedsDefaultBucketIsAllowedBesideTheEngineList() throws IOException {
        Path seedOnly = write("seed.properties", "[S3]\ndefault_bucket_name = models\n");
        Path withList = write("list.properties", "[S3]\ndefault_bucket_name = models\n[Engine]\nstorage.s3.buckets = archive, models, b2\n");
        Path listOnly = write("only.properties", "[Engine]\nstorage.s3.buckets = archive\n");

        assertThat(ServerConfig.load(List.of("--config", seedOnly.toString()), Map.of(), ALL).engineConfig())
                .containsEntry("storage.s3.buckets", "models");
        ServerConfig merged = ServerConfig.load(List.of("--config", withList.toString()), Map.of(), ALL);
        assertThat(merged.engineConfig()).containsEntry("storage.s3.buckets", "archive,models,b2");
        assertThat(merged.engine().origins().get("storage.s3.buckets"))
                .isEqualTo(withList + " [Engine] storage.s3.buckets and " + withList + " [S3] default_bucket_name");
        assertThat(ServerConfig.load(List.of("--config", listOnly.toString()), Map.of(), ALL).engineConfig())
                .containsEntry("storage.s3.buckets", "archive");
    }

    @Test
    void cloudStorageWithoutAnAllowListWarns() throws IOException {
        Path s3 = write("s3.properties", "[S3]\nS3_local_folder_path = /tmp/s3\n");

        ServerConfig closed = ServerConfig.load(List.of("--config", s3.toString()), Map.of(), ALL);
        ServerConfig nasOnly = ServerConfig.load(List.of(), Map.of(), ALL);

        assertThat(closed.warnings()).containsExactly("S3 storage is configured (" + s3 + " [S3] S3_local_folder_path) but "
                + "allows no bucket, so every s3:// and /s3- location is refused with 403; set [S3] default_bucket_name "
                + "or [Engine] storage.s3.buckets");
        assertThat(nasOnly.warnings()).isEmpty();
    }

    @Test
    void secretPropertiesOfTheInstalledProvidersAreMasked() throws IOException {
        Path project = write("project.properties", "[Engine]\nstorage.vault.pin = 4321\nstorage.vault.region = eu\n");
        InstalledStorage vault = new InstalledStorage(Map.of("nas", Set.of(), "vault", Set.of("pin")));

        ServerConfig config = ServerConfig.load(List.of("--config", project.toString()), Map.of(), vault);

        assertThat(config.summary()).contains("[Engine] storage.vault.pin = ****  (from " + project + ")",
                "[Engine] storage.vault.region = eu  (from " + project + ")");
        assertThat(InstalledStorage.discover().isSecret("storage.s3.secret-access-key")).isTrue();
        assertThat(InstalledStorage.discover().isSecret("storage.azure.sas-token")).isTrue();
        assertThat(InstalledStorage.discover().isSecret("storage.s3.region")).isFalse();
    }

    @Test
    void unknownProntoVariablesWarn() {
        ServerConfig config = ServerConfig.load(List.of(), Map.of("PRONTO_LIMITS_MAX_RECRODS", "5", "PRONTO_CONFIG_DIR", "x"), ALL);

        assertThat(config.warnings()).containsExactly(
                "environment variable PRONTO_CONFIG_DIR is not a Pronto setting and is ignored; see docs/server-configuration.md "
                        + "for the variables of each section",
                "environment variable PRONTO_LIMITS_MAX_RECRODS is not a Pronto setting and is ignored; see "
                        + "docs/server-configuration.md for the variables of each section");
    }

    @Test
    void engineErrorsAreLocatedByTheirField() throws IOException {
        Path project = write("project.properties", "[Engine]\nstorage.s3.buckets = Bad Bucket\n");
        ServerConfig config = ServerConfig.load(List.of("--config", project.toString()), Map.of(), ALL);

        String located = config.locate(new InferenceException(ErrorCategory.CONFIGURATION, "not a bucket name",
                "storage.s3.buckets", -1, null));

        assertThat(located).isEqualTo(project + " [Engine] storage.s3.buckets (not a bucket name)");
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
