package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Versioned names in {@code [Models]}, and how V1 and V2 resolve them ({@link ModelNames}). */
class ModelVersionsConfigTest {

    @TempDir
    Path dir;

    private ServerConfig load(String models) throws IOException {
        Path project = Files.writeString(dir.resolve("project.properties"), "[Models]\n" + models);
        return ServerConfig.load(List.of("--config", project.toString()), Map.of(), InstalledStorage.named("nas"));
    }

    @Test
    void versionedNamesAreAcceptedBesideUnversionedOnes() throws IOException {
        ServerConfig config = load("iris = iris/model.pmml\nchurn@1 = churn/1/model.pmml\nchurn@12 = churn/12/model.pmml\n");

        ModelNames names = ModelNames.of(config.settings().models());

        assertThat(names.names()).containsExactly("iris", "churn");
        assertThat(names.versions("churn")).containsExactly("1", "12");
        assertThat(names.resolve("churn", null).location()).isEqualTo("churn/12/model.pmml");
        assertThat(names.resolve("churn", "1").location()).isEqualTo("churn/1/model.pmml");
        assertThat(names.resolve("iris", null).version()).isNull();
        assertThat(names.versions("iris")).isEmpty();
    }

    @Test
    void anUnversionedEntryIsTheDefaultBesideVersions() {
        ModelNames names = ModelNames.of(Map.of("m", "a.pmml", "m@3", "b.pmml"));

        assertThat(names.resolve("m", null).location()).isEqualTo("a.pmml");
        assertThat(names.resolve("m", "3").location()).isEqualTo("b.pmml");
        assertThat(names.versions("m")).containsExactly("3");
    }

    @Test
    void unknownNamesAndVersionsAreNotFoundWithWhatExists() {
        ModelNames names = ModelNames.of(Map.of("m@1", "a.pmml"));

        assertThatThrownBy(() -> names.resolve("x", null)).hasMessage("no model named \"x\" is configured; the names are [m]");
        assertThatThrownBy(() -> names.resolve("m", "2")).hasMessage("model \"m\" has no version \"2\"; its versions are [1]");
        assertThatThrownBy(() -> names.resolve("m", "../1")).hasMessageContaining("has no version \"../1\"");
    }

    @Test
    void aVersionThatIsNotANumberIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> load("iris@v2 = iris/model.pmml\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[Models] iris@v2")
                .hasMessageContaining("may end in @<version>, a number such as iris@2");
    }

    @Test
    void modelVersionsMakeTheModelsValueAFolderOfVersionsWithItsPolicy() throws IOException {
        Path project = Files.writeString(dir.resolve("project.properties"), """
                [Models]
                iris = repo/iris
                churn = repo/churn
                fraud = s3://models/fraud
                [Model Versions]
                iris = latest 2
                churn = specific [1, 3]
                fraud = ALL
                [Cache]
                revalidate_interval = 5s
                """);
        ServerConfig config = ServerConfig.load(List.of("--config", project.toString()), Map.of(), InstalledStorage.named("nas"));

        VersionSettings versions = config.settings().versions();
        assertThat(versions.policies()).containsExactly(Map.entry("iris", VersionPolicy.latest(2)),
                Map.entry("churn", VersionPolicy.specific(List.of(1L, 3L))), Map.entry("fraud", VersionPolicy.all()));
        assertThat(versions.scanInterval()).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(ModelNames.of(config.settings().models(), versions.policies().keySet()).entries()).isEmpty();
    }

    @Test
    void aVersionPolicyMayComeFromTheEnvironment() throws IOException {
        Path project = Files.writeString(dir.resolve("project.properties"), "[Models]\niris = repo/iris\n");
        ServerConfig config = ServerConfig.load(List.of("--config", project.toString()),
                Map.of("PRONTO_MODEL_VERSIONS__IRIS", "latest 1"), InstalledStorage.named("nas"));

        assertThat(config.settings().versions().policies()).containsExactly(Map.entry("iris", VersionPolicy.latest(1)));
    }

    @Test
    void badVersionPoliciesAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> load("iris = repo/iris\n[Model Versions]\niris = newest 2\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[Model Versions] iris: expected \"latest <N>\" (N from 1), \"all\" or \"specific");
        assertThatThrownBy(() -> load("iris = repo/iris\n[Model Versions]\niris = latest 0\n"))
                .hasMessageContaining("[Model Versions] iris: expected");
        assertThatThrownBy(() -> load("iris = repo/iris\n[Model Versions]\nchurn = latest 1\n"))
                .hasMessageContaining("[Model Versions] churn: no [Models] entry \"churn\" names the folder of its versions");
        assertThatThrownBy(() -> load("iris = repo/iris\niris@2 = a.pmml\n[Model Versions]\niris = all\n"))
                .hasMessageContaining("[Model Versions] iris: the versions of \"iris\" are found in its folder");
    }

    @Test
    void versionPoliciesChooseCandidatesNewestFirst() {
        assertThat(VersionPolicy.parse("latest 2").candidates(List.of(1L, 5L, 3L))).containsExactly(5L, 3L, 1L);
        assertThat(VersionPolicy.parse("latest 2").wanted()).isEqualTo(2);
        assertThat(VersionPolicy.parse("specific 1,3").candidates(List.of(1L, 2L, 3L, 4L))).containsExactly(3L, 1L);
        assertThat(VersionPolicy.parse(" specific [ 3 , 1 ] ").toString()).isEqualTo("specific 1,3");
        assertThat(VersionPolicy.parse("all").candidates(List.of(2L, 1L))).containsExactly(2L, 1L);
    }
}
