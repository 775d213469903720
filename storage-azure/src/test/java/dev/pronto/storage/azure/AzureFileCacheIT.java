package dev.pronto.storage.azure;

import static dev.pronto.storage.azure.AzureEngineIT.LOGISTIC;
import static dev.pronto.storage.azure.AzureEngineIT.TREE;
import static dev.pronto.storage.azure.AzureEngineIT.assertMatches;
import static dev.pronto.storage.azure.AzureEngineIT.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.azure.storage.blob.BlobContainerClient;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.InferenceException;
import dev.pronto.storage.azure.testing.Azurite;
import dev.pronto.storage.azure.testing.SharedAzurite;

/**
 * Azure storage behind the local file cache ({@code storage.azure.local-folder}), against a real
 * Azurite: one download per version, and the last good copy serving through an outage and a restart.
 */
@ExtendWith(SharedAzurite.class)
class AzureFileCacheIT {

    private static final String CONTAINER = "cached";

    @TempDir
    Path folder;

    private Map<String, String> config(Azurite azurite) {
        Map<String, String> config = azurite.storageConfig(CONTAINER);
        config.put("local-folder", folder.toString());
        config.put("revalidate-interval", "0"); // ask Azure on every check the test makes
        return Azurite.engineKeys(config);
    }

    private Path copyOf(String blob) {
        return folder.resolve("az").resolve(CONTAINER).resolve(blob);
    }

    @Test
    void keepsOneCopyPerVersionAndDownloadsAReplacedBlob(Azurite azurite) throws IOException {
        BlobContainerClient container = azurite.container(CONTAINER);
        upload(container, "replaced/iris.pmml", LOGISTIC);
        Object firstFile;
        try (InferenceEngine engine = InferenceEngine.create(config(azurite))) {
            assertMatches(LOGISTIC, engine, "/az-cached/replaced/iris.pmml");
            assertThat(copyOf("replaced/iris.pmml")).hasBinaryContent(LOGISTIC.model());
            firstFile = fileKey(copyOf("replaced/iris.pmml"));
        }

        // a restart with the same blob: the copy is checked against Azure's ETag, not downloaded again
        try (InferenceEngine engine = InferenceEngine.create(config(azurite))) {
            assertMatches(LOGISTIC, engine, "/az-cached/replaced/iris.pmml");
            assertThat(fileKey(copyOf("replaced/iris.pmml"))).isEqualTo(firstFile);

            upload(container, "replaced/iris.pmml", TREE);
            engine.revalidate();

            assertMatches(TREE, engine, "/az-cached/replaced/iris.pmml");
            assertThat(copyOf("replaced/iris.pmml")).hasBinaryContent(TREE.model());
        }
    }

    @Test
    void blobDeletedFromAzureIsNotFoundAndItsCopyIsRemoved(Azurite azurite) {
        BlobContainerClient container = azurite.container(CONTAINER);
        upload(container, "deleted/iris.pmml", LOGISTIC);
        try (InferenceEngine engine = InferenceEngine.create(config(azurite))) {
            assertMatches(LOGISTIC, engine, "az://cached/deleted/iris.pmml");
        }
        container.getBlobClient("deleted/iris.pmml").delete();

        try (InferenceEngine engine = InferenceEngine.create(config(azurite))) {
            assertThatThrownBy(() -> engine.model("az://cached/deleted/iris.pmml"))
                    .isInstanceOfSatisfying(InferenceException.class,
                            e -> assertThat(e.category()).isEqualTo(ErrorCategory.NOT_FOUND));
        }
        assertThat(copyOf("deleted/iris.pmml")).doesNotExist();
    }

    @Test
    void lastGoodCopyServesWhileAzuriteIsDown() {
        try (Azurite own = Azurite.start();
             InferenceEngine engine = InferenceEngine.create(config(own))) {
            upload(own.container(CONTAINER), "outage/iris.pmml", LOGISTIC);
            assertMatches(LOGISTIC, engine, "az://cached/outage/iris.pmml");
            assertThat(engine.status(engine.models().get(0)).problem()).isEmpty();

            own.stop();
            engine.revalidate();

            assertMatches(LOGISTIC, engine, "az://cached/outage/iris.pmml");
            assertThat(engine.status(engine.models().get(0)).problem()).hasValueSatisfying(reason -> assertThat(reason)
                    .contains("could not be reached")
                    .doesNotContain(folder.toString())
                    .doesNotContain(Azurite.KEY));
        }
    }

    @Test
    void restartWithAWarmCacheServesWhileAzuriteIsDown() {
        try (Azurite own = Azurite.start()) {
            BlobContainerClient container = own.container(CONTAINER);
            upload(container, "restart/iris.pmml", LOGISTIC);
            upload(container, "restart/never-fetched.pmml", TREE);
            try (InferenceEngine engine = InferenceEngine.create(config(own))) {
                assertMatches(LOGISTIC, engine, "az://cached/restart/iris.pmml");
            }
            own.stop();

            try (InferenceEngine restarted = InferenceEngine.create(config(own))) {
                assertMatches(LOGISTIC, restarted, "/az-cached/restart/iris.pmml");
                assertThat(restarted.status(restarted.models().get(0)).problem()).hasValueSatisfying(reason ->
                        assertThat(reason).contains("could not be reached"));
                // a blob that was never fetched has no copy to fall back on
                assertThatThrownBy(() -> restarted.model("az://cached/restart/never-fetched.pmml"))
                        .isInstanceOfSatisfying(InferenceException.class,
                                e -> assertThat(e.category()).isEqualTo(ErrorCategory.UNAVAILABLE));
            }
        }
    }

    /** Identifies the file itself: a new download is moved into place as a new file. */
    private static Object fileKey(Path file) throws IOException {
        Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        assertThat(key).as("file key of %s", file).isNotNull();
        return key;
    }
}
