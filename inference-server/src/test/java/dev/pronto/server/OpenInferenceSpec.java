package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * The schemas of the Open Inference Protocol's own OpenAPI file (vendored unchanged in
 * {@code src/test/resources/open-inference-protocol/}), for checking Pronto's {@code /v2} bodies.
 * OpenAPI 3.0 schemas are JSON Schema draft 4 with extensions these schemas do not use.
 */
final class OpenInferenceSpec {

    private static final JsonNode SPEC = load();
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private OpenInferenceSpec() {
    }

    /** Asserts that {@code body} is valid by {@code components.schemas.<schema>}. */
    static void assertValid(String schema, JsonNode body) {
        assertThat(errors(schema, body)).as("%s: %s", schema, body).isEmpty();
    }

    /**
     * As {@link #assertValid}, except that {@code null} elements of tensor data are accepted: Pronto
     * writes a value the model leaves missing as null, for which the specification's schema has no
     * representation.
     */
    static void assertValidWithMissingValues(String schema, JsonNode body) {
        assertThat(errors(schema, body)).as("%s: %s", schema, body)
                .allSatisfy(error -> assertThat(error.getMessage()).contains("null found"));
    }

    /** The violations of {@code components.schemas.<schema>}; empty when valid. */
    static Set<ValidationMessage> errors(String schema, JsonNode body) {
        return SCHEMAS.computeIfAbsent(schema, OpenInferenceSpec::compile).validate(body);
    }

    private static JsonSchema compile(String name) {
        if (!SPEC.path("components").path("schemas").has(name)) {
            throw new IllegalArgumentException("the specification has no schema " + name);
        }
        // the whole document stays the root, so that its '#/components/schemas/...' references resolve
        ObjectNode root = SPEC.deepCopy();
        root.remove("paths");
        root.put("$ref", "#/components/schemas/" + name);
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(root);
    }

    private static JsonNode load() {
        try (InputStream in = OpenInferenceSpec.class.getResourceAsStream("/open-inference-protocol/open_inference_rest.yaml")) {
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
