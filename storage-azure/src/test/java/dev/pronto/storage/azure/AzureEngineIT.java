package dev.pronto.storage.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelInfo;
import dev.pronto.inference.Prediction;
import dev.pronto.inference.testing.ConformanceCorpus;
import dev.pronto.storage.azure.testing.Azurite;
import dev.pronto.storage.azure.testing.SharedAzurite;

/** Models served from a real Azurite through the public {@link InferenceEngine}, as an application would. */
@ExtendWith(SharedAzurite.class)
class AzureEngineIT {

    private static final String CONTAINER = "models";
    static final ConformanceCorpus.Case LOGISTIC = corpusCase("sklearn-MultinomialLogisticRegressionIris");
    static final ConformanceCorpus.Case TREE = corpusCase("sklearn-DecisionTreeIris");

    private static BlobContainerClient container;

    @BeforeAll
    static void createContainer(Azurite azurite) {
        container = azurite.container(CONTAINER);
    }

    @Test
    void loadsAndPredictsInTheSeedAndUriForms(Azurite azurite) {
        upload(container, "engine/iris.pmml", LOGISTIC);

        try (InferenceEngine engine = InferenceEngine.create(azurite.engineConfig(CONTAINER))) {
            assertMatches(LOGISTIC, engine, "/az-models/engine/iris.pmml");
            assertMatches(LOGISTIC, engine, "az://models/engine/iris.pmml");
            assertThat(engine.models()).hasSize(1); // both forms name one model
        }
    }

    @Test
    void replacedBlobGivesNewPredictionsAfterRevalidation(Azurite azurite) {
        upload(container, "engine/replaced.pmml", LOGISTIC);
        try (InferenceEngine engine = InferenceEngine.create(azurite.engineConfig(CONTAINER))) {
            assertMatches(LOGISTIC, engine, "az://models/engine/replaced.pmml");
            String firstVersion = engine.models().get(0).version();

            upload(container, "engine/replaced.pmml", TREE);
            engine.revalidate();

            assertMatches(TREE, engine, "az://models/engine/replaced.pmml");
            assertThat(engine.models().get(0).version()).isNotEqualTo(firstVersion);
        }
    }

    @Test
    void missingBlobIsNotFound(Azurite azurite) {
        try (InferenceEngine engine = InferenceEngine.create(azurite.engineConfig(CONTAINER))) {
            assertThatThrownBy(() -> engine.model("az://models/engine/missing.pmml"))
                    .isInstanceOfSatisfying(InferenceException.class,
                            e -> assertThat(e.category()).isEqualTo(ErrorCategory.NOT_FOUND))
                    .hasMessage("model not found: \"az://models/engine/missing.pmml\"");
        }
    }

    @Test
    void wrongKeyIsAccessDeniedAndNeverQuotesTheKey(Azurite azurite) {
        upload(container, "engine/wrong-key.pmml", LOGISTIC);
        // a well-formed key of the right length that is not the account's
        String wrongKey = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODk=";
        Map<String, String> config = azurite.storageConfig(CONTAINER);
        config.put("account-key", wrongKey);

        try (InferenceEngine engine = InferenceEngine.create(Azurite.engineKeys(config))) {
            assertThatThrownBy(() -> engine.model("/az-models/engine/wrong-key.pmml"))
                    .isInstanceOfSatisfying(InferenceException.class, e -> {
                        assertThat(e.category()).isEqualTo(ErrorCategory.ACCESS_DENIED);
                        assertThat(e.getMessage()).startsWith("access to model location \"az://models/engine/wrong-key.pmml\""
                                + " is not allowed: Azure Blob Storage refused the configured credentials (HTTP 403");
                        for (Throwable t = e; t != null; t = t.getCause()) {
                            assertThat(String.valueOf(t.getMessage()))
                                    .doesNotContain(wrongKey)
                                    .doesNotContain(Azurite.KEY)
                                    .doesNotContainIgnoringCase("signature");
                        }
                    });
        }
    }

    @Test
    void readsWithAContainerSasToken(Azurite azurite) {
        String sas = container.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
                new BlobContainerSasPermission().setReadPermission(true)));
        Map<String, String> config = azurite.storageConfig(CONTAINER);
        config.remove("account-key");
        config.put("sas-token", "?" + sas); // as the portal shows it

        assertServes(config, "engine/sas.pmml", LOGISTIC);
    }

    @Test
    void readsWithAConnectionString(Azurite azurite) {
        Map<String, String> config = azurite.storageConfig(CONTAINER);
        config.keySet().removeAll(List.of("account-key", "account-name", "endpoint"));
        config.put("connection-string", azurite.connectionString());

        assertServes(config, "engine/connection-string.pmml", TREE);
    }

    @Test
    void endpointOverridesTheOneInTheConnectionString(Azurite azurite) {
        Map<String, String> config = azurite.storageConfig(CONTAINER);
        config.keySet().removeAll(List.of("account-key", "account-name"));
        config.put("connection-string", azurite.connectionString().replace(azurite.endpoint(),
                "http://127.0.0.1:1/" + Azurite.ACCOUNT));

        assertServes(config, "engine/override.pmml", LOGISTIC);
    }

    @Test
    void containerOutsideTheConfiguredOnesIsAccessDenied(Azurite azurite) {
        azurite.container("other").getBlobClient("iris.pmml").upload(BinaryData.fromBytes(LOGISTIC.model()), true);

        try (InferenceEngine engine = InferenceEngine.create(azurite.engineConfig(CONTAINER))) {
            assertThatThrownBy(() -> engine.model("/az-other/iris.pmml"))
                    .isInstanceOfSatisfying(InferenceException.class,
                            e -> assertThat(e.category()).isEqualTo(ErrorCategory.ACCESS_DENIED))
                    .hasMessageContaining("container \"other\" is not one of the containers this server may read");
        }
    }

    @Test
    void loadedModelKeepsServingWhileAzuriteIsDown() {
        try (Azurite own = Azurite.start();
             InferenceEngine engine = InferenceEngine.create(own.engineConfig(CONTAINER))) {
            BlobContainerClient models = own.container(CONTAINER);
            upload(models, "outage/iris.pmml", LOGISTIC);
            upload(models, "outage/never-loaded.pmml", TREE);
            assertMatches(LOGISTIC, engine, "az://models/outage/iris.pmml");

            own.stop();
            engine.revalidate();

            assertMatches(LOGISTIC, engine, "az://models/outage/iris.pmml");
            ModelInfo info = engine.models().get(0);
            assertThat(engine.status(info).problem()).hasValueSatisfying(reason -> assertThat(reason)
                    .contains("az://models/outage/iris.pmml"));
            assertThatThrownBy(() -> engine.model("az://models/outage/never-loaded.pmml"))
                    .isInstanceOfSatisfying(InferenceException.class,
                            e -> assertThat(e.category()).isEqualTo(ErrorCategory.UNAVAILABLE));
        }
    }

    /** Uploads the model, then scores it through an engine with this storage configuration. */
    private static void assertServes(Map<String, String> storageConfig, String blob, ConformanceCorpus.Case model) {
        upload(container, blob, model);
        try (InferenceEngine engine = InferenceEngine.create(Azurite.engineKeys(storageConfig))) {
            assertMatches(model, engine, "az://" + CONTAINER + "/" + blob);
        }
    }

    static void upload(BlobContainerClient container, String name, ConformanceCorpus.Case model) {
        container.getBlobClient(name).upload(BinaryData.fromBytes(model.model()), true);
    }

    /** Scores every input row of the case and compares with the training library's outputs. */
    static void assertMatches(ConformanceCorpus.Case expectedCase, InferenceEngine engine, String location) {
        List<Map<String, Object>> expected = expectedCase.expected();
        List<Prediction> predictions = engine.predict(location, expectedCase.inputs());
        assertThat(predictions).hasSameSizeAs(expected);
        List<String> mismatches = new ArrayList<>();
        for (int row = 0; row < expected.size(); row++) {
            for (Map.Entry<String, Object> cell : expected.get(row).entrySet()) {
                String mismatch = expectedCase.mismatch(cell.getKey(), (String) cell.getValue(),
                        predictions.get(row).fields().get(cell.getKey()));
                if (mismatch != null) {
                    mismatches.add("row " + row + ": " + mismatch);
                }
            }
        }
        assertThat(mismatches).as("%s served from %s", expectedCase.name(), location).isEmpty();
    }

    private static ConformanceCorpus.Case corpusCase(String name) {
        return ConformanceCorpus.cases().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no corpus case " + name));
    }
}
