package dev.pronto.storage.nas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelLocation;

/**
 * Jail tests: every way out of the configured folders is refused, and refused before the file
 * outside is read.
 */
class NasStorageTest {

    @TempDir
    Path dir;
    Path root;
    Path share;
    Path outside;
    NasStorage storage;

    @BeforeEach
    void folders() throws Exception {
        root = Files.createDirectories(dir.resolve("models"));
        share = Files.createDirectories(dir.resolve("share"));
        outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.pmml"), "SECRET");
        Files.writeString(root.resolve("inside.pmml"), "INSIDE");
        storage = (NasStorage) new NasStorageProvider().create(Map.of(
                "root", root.toString(), "share.team", share.toString()));
    }

    @Test
    void readsBareNamesUnderTheRootAndSharePaths() throws Exception {
        Files.writeString(share.resolve("s.pmml"), "SHARED");

        assertThat(read("inside.pmml")).isEqualTo("INSIDE");
        assertThat(read("file:inside.pmml")).isEqualTo("INSIDE");
        assertThat(read("/nas-team/s.pmml")).isEqualTo("SHARED");
        assertThat(read("file://" + root.resolve("inside.pmml"))).isEqualTo("INSIDE");
    }

    @Test
    void parentSegmentsNeverReachTheStorage() {
        assertThatThrownBy(() -> ModelLocation.parse("../outside/secret.pmml")).isInstanceOf(InferenceException.class);
        assertThatThrownBy(() -> ModelLocation.parse("/nas-team/../outside/secret.pmml")).isInstanceOf(InferenceException.class);
    }

    @Test
    void absolutePathsOutsideEveryFolderAreDenied() {
        assertThatThrownBy(() -> storage.stat(ModelLocation.parse("file://" + outside.resolve("secret.pmml"))))
                .isInstanceOf(AccessDeniedException.class)
                .satisfies(e -> assertThat(((AccessDeniedException) e).getReason())
                        .isEqualTo("it is outside the configured model folders"));
        assertThatThrownBy(() -> storage.stat(ModelLocation.parse("file:///etc/passwd")))
                .isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void aFolderThatOnlySharesAPrefixWithTheRootIsOutsideIt() throws Exception {
        Path sibling = Files.createDirectories(dir.resolve("models-private"));
        Files.writeString(sibling.resolve("x.pmml"), "PRIVATE");

        assertThatThrownBy(() -> storage.stat(ModelLocation.parse("file://" + sibling.resolve("x.pmml"))))
                .isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void symbolicLinksLeavingTheRootAreDenied() throws Exception {
        Files.createSymbolicLink(root.resolve("escape.pmml"), outside.resolve("secret.pmml"));
        Files.createSymbolicLink(root.resolve("escape-dir"), outside);

        assertThatThrownBy(() -> storage.open(ModelLocation.parse("escape.pmml")))
                .isInstanceOf(AccessDeniedException.class)
                .satisfies(e -> assertThat(((AccessDeniedException) e).getReason()).contains("symbolic link"));
        assertThatThrownBy(() -> storage.stat(ModelLocation.parse("escape-dir/secret.pmml")))
                .isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void symbolicLinksInsideTheRootWork() throws Exception {
        Files.createDirectories(root.resolve("v2"));
        Files.writeString(root.resolve("v2/model.pmml"), "V2");
        Files.createSymbolicLink(root.resolve("current"), root.resolve("v2"));

        assertThat(read("current/model.pmml")).isEqualTo("V2");
    }

    @Test
    void unconfiguredSharesAndMissingRootAreDenied() {
        assertThatThrownBy(() -> storage.stat(ModelLocation.parse("/nas-other/x.pmml")))
                .isInstanceOf(AccessDeniedException.class)
                .satisfies(e -> assertThat(((AccessDeniedException) e).getReason()).isEqualTo("share \"other\" is not configured"));
        NasStorage withoutRoot = (NasStorage) new NasStorageProvider().create(Map.of("share.team", share.toString()));
        assertThatThrownBy(() -> withoutRoot.stat(ModelLocation.parse("inside.pmml")))
                .isInstanceOf(AccessDeniedException.class)
                .satisfies(e -> assertThat(((AccessDeniedException) e).getReason()).contains("storage.nas.root"));
    }

    @Test
    void foldersAreNotModels() throws Exception {
        Files.createDirectories(root.resolve("folder.pmml"));

        assertThatThrownBy(() -> storage.stat(ModelLocation.parse("folder.pmml"))).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> storage.stat(ModelLocation.parse("nope.pmml")))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageNotContaining(root.toString());
    }

    @Test
    void configurationErrorsNameTheKey() {
        assertThatThrownBy(() -> new NasStorageProvider().create(Map.of("root", dir.resolve("missing").toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("storage.nas.root");
        assertThatThrownBy(() -> new NasStorageProvider().create(Map.of("roots", root.toString())))
                .hasMessageContaining("storage.nas.roots");
        assertThatThrownBy(() -> new NasStorageProvider().create(Map.of("share.bad/name", root.toString())))
                .hasMessageContaining("storage.nas.share.bad/name");
    }

    @Test
    void engineFindsTheProviderAndRefusesEscapesAsAccessDenied() throws Exception {
        Files.copy(Path.of("../examples/models/iris/model.pmml"), root.resolve("iris.pmml"));
        Files.createSymbolicLink(root.resolve("link.pmml"), outside.resolve("secret.pmml"));
        try (InferenceEngine engine = InferenceEngine.create(Map.of("storage.nas.root", root.toString()))) {
            assertThat(engine.schemes()).contains("file", "nas");
            assertThat(engine.predict("iris.pmml", Map.of("sepal_length", 5.1, "sepal_width", 3.5,
                    "petal_length", 1.4, "petal_width", 0.2)).value()).isEqualTo(0);

            assertThatThrownBy(() -> engine.predict("link.pmml", Map.of()))
                    .isInstanceOf(InferenceException.class)
                    .satisfies(e -> assertThat(((InferenceException) e).category()).isEqualTo(ErrorCategory.ACCESS_DENIED))
                    .hasMessageNotContaining(dir.toString());
        }
    }

    @Test
    void changedFileIsLoadedBesideTheOldAndABrokenOneLeavesTheOldServing() throws Exception {
        Path model = root.resolve("m.pmml");
        Files.copy(Path.of("../examples/models/iris/model.pmml"), model);
        Map<String, Object> setosa = Map.of("sepal_length", 5.1, "sepal_width", 3.5, "petal_length", 1.4, "petal_width", 0.2);
        try (InferenceEngine engine = InferenceEngine.create(Map.of("storage.nas.root", root.toString(),
                "cache.revalidate-interval", "0"))) {
            assertThat(engine.predict("m.pmml", setosa).value()).isEqualTo(0);
            String firstSha = engine.model("m.pmml").sha256();

            // a regression model with the same inputs replaces the classifier in place
            Files.writeString(model, """
                    <PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
                      <DataDictionary>
                        <DataField name="sepal_length" optype="continuous" dataType="double"/>
                        <DataField name="y" optype="continuous" dataType="double"/>
                      </DataDictionary>
                      <RegressionModel functionName="regression">
                        <MiningSchema><MiningField name="y" usageType="target"/><MiningField name="sepal_length"/></MiningSchema>
                        <RegressionTable intercept="0.5"><NumericPredictor name="sepal_length" coefficient="2"/></RegressionTable>
                      </RegressionModel>
                    </PMML>""");
            engine.revalidate();
            assertThat(engine.predict("m.pmml", setosa).value()).isEqualTo(10.7);
            String secondSha = engine.model("m.pmml").sha256();
            assertThat(secondSha).isNotEqualTo(firstSha);

            Files.writeString(model, "<PMML>half-written");
            engine.revalidate();
            assertThat(engine.predict("m.pmml", setosa).value()).isEqualTo(10.7);
            assertThat(engine.model("m.pmml").sha256()).isEqualTo(secondSha);
            assertThat(engine.status(engine.model("m.pmml")).problem()).isPresent();
        }
    }

    private String read(String location) throws Exception {
        try (var in = storage.open(ModelLocation.parse(location))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void engineRefusesALocalFileCacheForFoldersNamingTheKey() {
        assertThatThrownBy(() -> InferenceEngine.create(Map.of("storage.nas.root", root.toString(),
                "storage.nas.local-folder", dir.resolve("cache").toString())))
                .isInstanceOfSatisfying(InferenceException.class,
                        e -> assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION))
                .hasMessageStartingWith("storage.nas.local-folder: the local file cache is for remote stores");
        assertThat(dir.resolve("cache")).doesNotExist();
    }
}
