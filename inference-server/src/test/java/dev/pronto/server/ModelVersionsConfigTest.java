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
}
