package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.InferenceException;

/**
 * The configuration: the seed's INI files read unchanged, Pronto's sections, environment and flag
 * precedence, and one clear line naming file, section and key for every mistake.
 */
class ServerConfigTest {

    private static final InstalledStorage NAS_ONLY = InstalledStorage.named("nas");
    private static final String SEED_PROJECT = """
            [S3]
            S3_local_folder_path = /tmp/s3/
            default_bucket_name = models-bucket

            [Azure]
            Azure_local_folder_path = /tmp/az/
            storage_account_name = myaccount

            [NAS]
            NAS_local_folder_path = /mnt/nas/

            [Logs]
            logger_default_name = RTPE
            log_file_path = /var/log/rtpe/
            log_file_prefix = rtpe
            log_time_rotator = midnight
            log_time_interval = 1
            log_level_file = DEBUG
            log_level_console = WARNING
            logger_type = TimedRotatingFileHandler
            """;
    private static final String SEED_CREDENTIALS = """
            [AWS Credentials]
            access_key = AKIASECRETACCESSKEY
            secret_key = s3cr3t-value

            [Azure Credentials]
            account_key = azure-s3cr3t
            """;

    @TempDir
    Path dir;

    @Test
    void seedFilesLoadUnchanged() throws IOException {
        Path project = write("project.properties", SEED_PROJECT);
        write("credentials.properties", SEED_CREDENTIALS);

        ServerConfig config = ServerConfig.load(List.of("--config", project.toString()), Map.of(), NAS_ONLY);

        assertThat(config.engineConfig()).containsEntry("storage.nas.root", "/mnt/nas/");
        assertThat(config.engineConfig().keySet()).noneMatch(key -> key.startsWith("storage.s3") || key.startsWith("storage.azure"));
        assertThat(config.warnings()).anyMatch(w -> w.contains("[AWS Credentials] secret_key") && w.contains("\"s3\" storage is not installed"));
        assertThat(config.logs().directory()).contains(Path.of("/var/log/rtpe/"));
        assertThat(config.logs().filePrefix()).isEqualTo("rtpe");
        assertThat(config.logs().fileLevel()).isEqualTo("DEBUG");
        assertThat(config.logs().consoleLevel()).isEqualTo("WARN");
        assertThat(config.logs().rotation()).isEqualTo("daily");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.settings()).isEqualTo(ServerSettings.defaults());
    }

    @Test
    void secretsAreMaskedInTheSummary() throws IOException {
        Path project = write("project.properties", SEED_PROJECT);
        write("credentials.properties", SEED_CREDENTIALS);

        ServerConfig config = ServerConfig.load(List.of("--config", project.toString()), Map.of(), InstalledStorage.named("nas", "s3", "azure"));

        String summary = String.join("\n", config.summary());
        assertThat(summary).contains("[AWS Credentials] secret_key = ****", "[NAS] NAS_local_folder_path = /mnt/nas/");
        assertThat(summary).doesNotContain("s3cr3t", "AKIASECRETACCESSKEY", "azure-s3cr3t");
    }

    @Test
    void cloudKeysBecomeEngineKeysWhenTheirStorageIsInstalled() throws IOException {
        Path project = write("project.properties", SEED_PROJECT);
        write("credentials.properties", SEED_CREDENTIALS);

        ServerConfig config = ServerConfig.load(List.of("--config", project.toString()), Map.of(), InstalledStorage.named("nas", "s3", "azure"));

        assertThat(config.engineConfig())
                .containsEntry("storage.s3.secret-access-key", "s3cr3t-value")
                .containsEntry("storage.azure.account-key", "azure-s3cr3t")
                .containsEntry("storage.azure.account-name", "myaccount")
                .containsEntry("storage.s3.buckets", "models-bucket");
        assertThat(config.warnings()).noneMatch(w -> w.contains("default_bucket_name") || w.contains("S3 storage"))
                .contains("Azure storage is configured (" + project + " [Azure] Azure_local_folder_path) but allows no "
                        + "container, so every az:// and /az- location is refused with 403; set [Engine] storage.azure.containers");
    }

    @Test
    void prontoSectionsSetLimitsCacheAndModels() throws IOException {
        Path project = write("project.properties", """
                [Server]
                host = 127.0.0.1
                port = 9090
                model_root = /srv/models
                [Limits]
                max_body_size = 2MB
                max_records = 50
                request_timeout = 1500ms
                max_model_size = 64MiB
                [Cache]
                max_models = 3
                max_weight = 512MB
                revalidate_interval = 1m
                [Models]
                iris = iris/model.pmml
                churn = /nas-team/churn/v2.pmml
                [NAS Shares]
                team = /mnt/team
                [Engine]
                pipeline.pmml.warmup-evaluations = 10
                """);

        ServerConfig config = ServerConfig.load(List.of("--config", project.toString()), Map.of(), NAS_ONLY);

        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(9090);
        assertThat(config.settings().maxBodyBytes()).isEqualTo(2L * 1024 * 1024);
        assertThat(config.settings().maxRecords()).isEqualTo(50);
        assertThat(config.settings().requestTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.settings().models()).containsExactly(Map.entry("iris", "iris/model.pmml"),
                Map.entry("churn", "/nas-team/churn/v2.pmml"));
        assertThat(config.engineConfig()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "storage.nas.root", "/srv/models", "storage.nas.share.team", "/mnt/team",
                "model.max-bytes", String.valueOf(64L * 1024 * 1024), "cache.max-models", "3",
                "cache.max-weight", String.valueOf(512L * 1024 * 1024),
                "cache.revalidate-interval", "1m", "pipeline.pmml.warmup-evaluations", "10"));
    }

    @Test
    void readsProtectionAndLogCapSettings() throws IOException {
        Path project = write("project.properties", """
                [Limits]
                max_in_flight_requests = 32
                max_in_flight_bytes = 200MB
                min_body_rate = 4KB
                body_grace_period = 5s
                unknown_record_keys = refuse
                failed_load_backoff = 1m
                [Logs]
                max_file_size = 10MB
                max_files = 3
                """);

        ServerConfig config = ServerConfig.load(List.of("--config", project.toString()), Map.of(), NAS_ONLY);

        assertThat(config.protection()).isEqualTo(new ProtectionSettings(32, 200L * 1024 * 1024, 4096, Duration.ofSeconds(5),
                ProtectionSettings.UnknownKeys.REFUSE));
        assertThat(config.engineConfig()).containsEntry("model.failed-load-backoff", "1m");
        assertThat(config.logs().maxFileBytes()).isEqualTo(10L * 1024 * 1024);
        assertThat(config.logs().maxFiles()).isEqualTo(3);
    }

    @Test
    void unknownRecordKeysPolicyMustBeKnown() throws IOException {
        Path project = write("project.properties", "[Limits]\nunknown_record_keys = sometimes\n");

        assertThatThrownBy(() -> ServerConfig.load(List.of("--config", project.toString()), Map.of(), NAS_ONLY))
                .hasMessageContaining("[Limits] unknown_record_keys").hasMessageContaining("refuse_if_input_missing");
    }

    @Test
    void environmentOverridesFilesAndFlagsOverrideEnvironment() throws IOException {
        Path project = write("project.properties", "[Server]\nport = 9090\nhost = 10.0.0.1\n[Limits]\nmax_records = 50\n");

        ServerConfig config = ServerConfig.load(List.of("--config", project.toString(), "--port=7070", "--model-root", "/flag/root"),
                Map.of("PORT", "6060", "HOST", "127.0.0.1", "PRONTO_LIMITS_MAX_RECORDS", "70", "PRONTO_MODEL_ROOT", "/env/root"),
                NAS_ONLY);

        assertThat(config.port()).isEqualTo(7070);
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.settings().maxRecords()).isEqualTo(70);
        assertThat(config.engineConfig()).containsEntry("storage.nas.root", "/flag/root");
    }

    @Test
    void modelRootFlagWinsOverTheSeedsNasFolder() throws IOException {
        Path project = write("project.properties", SEED_PROJECT);

        ServerConfig config = ServerConfig.load(List.of("--config", project.toString(), "--model-root", "examples/models"),
                Map.of(), NAS_ONLY);

        assertThat(config.engineConfig()).containsEntry("storage.nas.root", "examples/models");
    }

    @Test
    void deployEnvironmentChoosesTheConfigFolder() {
        assertThatThrownBy(() -> ServerConfig.load(List.of(), Map.of("DEPLOY_ENV", "qa-7"), NAS_ONLY))
                .isInstanceOf(ConfigException.class)
                .hasMessage(Path.of("configs", "qa-7", "project.properties") + ": configuration file not found");
    }

    @Test
    void noConfigurationAtAllMeansDefaults() {
        ServerConfig config = ServerConfig.load(List.of(), Map.of(), NAS_ONLY);

        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.engineConfig()).isEmpty();
        assertThat(config.logs()).isEqualTo(LogSettings.consoleOnly());
    }

    @Test
    void unknownKeyNamesFileSectionAndKey() throws IOException {
        Path project = write("project.properties", "[NAS]\nNAS_local_folder_path = /mnt\nNAS_locl_folder = /x\n");

        assertThatThrownBy(() -> ServerConfig.load(List.of("--config", project.toString()), Map.of(), NAS_ONLY))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(project + " [NAS] NAS_locl_folder: unknown key")
                .hasMessageContaining("NAS_local_folder_path");
    }

    @Test
    void unknownSectionNamesFileAndSection() throws IOException {
        Path project = write("project.properties", "[Limit]\nmax_records = 5\n");

        assertThatThrownBy(() -> ServerConfig.load(List.of("--config", project.toString()), Map.of(), NAS_ONLY))
                .hasMessageStartingWith(project + " [Limit] max_records: unknown section");
    }

    @Test
    void invalidValueNamesFileSectionAndKeyWithoutQuotingTheValue() throws IOException {
        Path project = write("project.properties", "[Limits]\nmax_records = lots\n");

        assertThatThrownBy(() -> ServerConfig.load(List.of("--config", project.toString()), Map.of(), NAS_ONLY))
                .hasMessage(project + " [Limits] max_records: expected a whole number from 1 to 10000000");
    }

    @Test
    void invalidEnvironmentValueNamesTheVariable() {
        assertThatThrownBy(() -> ServerConfig.load(List.of(), Map.of("PRONTO_LIMITS_REQUEST_TIMEOUT", "soon"), NAS_ONLY))
                .hasMessageStartingWith("environment variable PRONTO_LIMITS_REQUEST_TIMEOUT ([Limits] request_timeout): expected a duration");
        assertThatThrownBy(() -> ServerConfig.load(List.of("--port", "80000"), Map.of(), NAS_ONLY))
                .hasMessageStartingWith("flag --port ([Server] port): expected a whole number");
    }

    @Test
    void drainTimeoutStaysBelowThePlatformsThirtySecondsUnlessSet() throws IOException {
        // SageMaker and Kubernetes (by default) send SIGKILL 30 s after SIGTERM
        assertThat(ServerConfig.load(List.of(), Map.of(), NAS_ONLY).settings().drainTimeout()).isEqualTo(Duration.ofSeconds(25));
        assertThat(ServerConfig.load(List.of(), Map.of("PRONTO_LIMITS_REQUEST_TIMEOUT", "10s"), NAS_ONLY).settings().drainTimeout())
                .as("the request timeout plus 1 s when that is shorter").isEqualTo(Duration.ofSeconds(11));
        Path project = write("drain.properties", "[Server]\ndrain_timeout = 50s\n");
        assertThat(ServerConfig.load(List.of("--config", project.toString()), Map.of(), NAS_ONLY).settings().drainTimeout())
                .isEqualTo(Duration.ofSeconds(50));
        Path invalid = write("drain-invalid.properties", "[Server]\ndrain_timeout = later\n");
        assertThatThrownBy(() -> ServerConfig.load(List.of("--config", invalid.toString()), Map.of(), NAS_ONLY))
                .hasMessageStartingWith(invalid + " [Server] drain_timeout: expected a duration");
    }

    @Test
    void invalidLogLevelAndRotatorAreRefused() throws IOException {
        Path project = write("project.properties", "[Logs]\nlog_level_file = LOUD\n");
        assertThatThrownBy(() -> ServerConfig.load(List.of("--config", project.toString()), Map.of(), NAS_ONLY))
                .hasMessage(project + " [Logs] log_level_file: expected CRITICAL, ERROR, WARNING, INFO, DEBUG or NOTSET");

        Path rotator = write("rotator.properties", "[Logs]\nlogger_type = TimedRotatingFileHandler\nlog_time_rotator = fortnight\n");
        assertThatThrownBy(() -> ServerConfig.load(List.of("--config", rotator.toString()), Map.of(), NAS_ONLY))
                .hasMessageStartingWith(rotator + " [Logs] log_time_rotator:");
    }

    @Test
    void unknownFlagIsRefused() {
        assertThatThrownBy(() -> ServerConfig.load(List.of("--prot", "80"), Map.of(), NAS_ONLY))
                .hasMessageStartingWith("unknown argument --prot");
    }

    @Test
    void skLearnSectionsBecomePipelineKeysTheEngineAccepts() throws IOException {
        Path project = write("project.properties", """
                [SkLearn]
                cache_folder = %s
                feature_names = a,b
                max_unpacked_size = 64MB
                [Models]
                linear = file:linear/model.pkl
                [SkLearn Feature Names]
                linear = x1,x2
                tree/model.pkl = f1,f2,f3
                """.formatted(dir.resolve("converted")));

        ServerConfig config = ServerConfig.load(List.of("--config", project.toString(), "--model-root", dir.toString()),
                Map.of(), NAS_ONLY);

        assertThat(config.engineConfig())
                .containsEntry("pipeline.sklearn.cache-folder", dir.resolve("converted").toString())
                .containsEntry("pipeline.sklearn.feature-names", "a,b")
                .containsEntry("pipeline.sklearn.max-uncompressed-bytes", String.valueOf(64L * 1024 * 1024))
                .containsEntry("pipeline.sklearn.feature-names.file:linear/model.pkl", "x1,x2")
                .containsEntry("pipeline.sklearn.feature-names.tree/model.pkl", "f1,f2,f3");
        try (InferenceEngine engine = InferenceEngine.create(config.engineConfig())) {
            assertThat(engine.formats()).contains("sklearn");
        }
        assertThat(config.locate(new InferenceException(ErrorCategory.CONFIGURATION,
                "pipeline.sklearn.feature-names.tree/model.pkl: a name is repeated",
                "pipeline.sklearn.feature-names.tree/model.pkl", -1, null)))
                .startsWith(project + " [SkLearn Feature Names] tree/model.pkl (");
    }

    @Test
    void convertedPmmlIsKeptInsideTheS3LocalCacheUnlessConfigured() throws IOException {
        Path s3Cache = dir.resolve("s3-cache");
        Path project = write("project.properties", "[S3]\nS3_local_folder_path = " + s3Cache + "\n");
        Path off = write("off.properties", "[S3]\nS3_local_folder_path = " + s3Cache + "\n[SkLearn]\ncache_folder =\n");

        ServerConfig withS3 = ServerConfig.load(List.of("--config", project.toString()), Map.of(), InstalledStorage.named("nas", "s3"));
        ServerConfig withoutS3 = ServerConfig.load(List.of("--config", project.toString()), Map.of(), NAS_ONLY);
        ServerConfig turnedOff = ServerConfig.load(List.of("--config", off.toString()), Map.of(), InstalledStorage.named("nas", "s3"));
        ServerConfig chosen = ServerConfig.load(List.of("--config", project.toString()),
                Map.of("PRONTO_SKLEARN_CACHE_FOLDER", "/srv/converted"), InstalledStorage.named("nas", "s3"));

        String inside = s3Cache.resolve(".converted-pmml").toString();
        assertThat(withS3.engineConfig()).containsEntry("pipeline.sklearn.cache-folder", inside);
        assertThat(withS3.summary()).contains("[SkLearn] cache_folder = " + inside + "  (default: inside storage.s3.local-folder)");
        assertThat(withoutS3.engineConfig()).doesNotContainKey("pipeline.sklearn.cache-folder");
        assertThat(turnedOff.engineConfig()).doesNotContainKey("pipeline.sklearn.cache-folder");
        assertThat(chosen.engineConfig()).containsEntry("pipeline.sklearn.cache-folder", "/srv/converted");
    }

    @Test
    void engineErrorsAreTracedBackToTheirSetting() throws IOException {
        Path project = write("project.properties", "[NAS]\nNAS_local_folder_path = /no/such/folder\n");
        ServerConfig config = ServerConfig.load(List.of("--config", project.toString()), Map.of(), NAS_ONLY);

        // the engine itself refuses the folder, naming the key in field()
        InferenceException refused = catchThrowableOfType(InferenceException.class,
                () -> InferenceEngine.create(config.engineConfig()).close());

        assertThat(refused.field()).contains("storage.nas.root");
        assertThat(config.locate(refused)).startsWith(project + " [NAS] NAS_local_folder_path (storage.nas.root");
        assertThat(config.locate(new IllegalStateException("no key here"))).isEqualTo("no key here");
    }

    @Test
    void iniSyntaxOfConfigparserIsUnderstood() {
        IniFile ini = IniFile.parse("f.ini", """
                ; a comment
                # another
                [Logs]
                LOG_FILE_PATH : /var/log/
                log_file_prefix=app
                logger_default_name = first line
                    second line
                """);

        assertThat(ini.entries()).extracting(IniFile.Entry::key, IniFile.Entry::value).containsExactly(
                org.assertj.core.groups.Tuple.tuple("LOG_FILE_PATH", "/var/log/"),
                org.assertj.core.groups.Tuple.tuple("log_file_prefix", "app"),
                org.assertj.core.groups.Tuple.tuple("logger_default_name", "first line\nsecond line"));
    }

    @Test
    void duplicateKeysAndKeysOutsideSectionsAreRefused() {
        assertThatThrownBy(() -> IniFile.parse("f.ini", "[NAS]\nNAS_local_folder_path = a\nnas_local_folder_path = b\n"))
                .hasMessage("f.ini [NAS] nas_local_folder_path: key appears twice (lines 2 and 3)");
        assertThatThrownBy(() -> IniFile.parse("f.ini", "port = 1\n"))
                .hasMessage("f.ini line 1: key before the first [Section] header");
    }

    @Test
    void bundledDevConfigurationLoads() {
        ServerConfig config = ServerConfig.load(List.of("--config", "../configs/dev/project.properties"), Map.of(), NAS_ONLY);

        assertThat(config.settings().models()).containsKey("iris");
        assertThat(config.engineConfig()).containsEntry("storage.nas.root", "examples/models/");
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
