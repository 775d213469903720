package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pronto.inference.InputFieldSchema;
import dev.pronto.inference.ModelSchema;
import dev.pronto.inference.testing.ConformanceCorpus;

/**
 * Every case of the conformance corpus through the Open Inference Protocol
 * ({@code POST /v2/models/{name}/infer}, one tensor per field) and through KServe V1
 * ({@code POST /v1/models/{name}:predict}, instances as objects and as arrays in input order), every
 * expected column compared at the case's tolerance, as {@link ConformanceOverHttpTest} does for
 * {@code /invocations}. Every V2 response is validated against the specification's schema.
 */
class ConformanceOverProtocolsTest {

    @RegisterExtension
    static final ServedBy CORPUS = CorpusOverHttp.SERVED;

    @TestFactory
    Stream<DynamicTest> everyCaseMatchesTheTrainingLibraryOverV2(TestServer server) {
        return CorpusOverHttp.CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> checkV2(server, c)));
    }

    @TestFactory
    Stream<DynamicTest> everyCaseMatchesTheTrainingLibraryOverV1(TestServer server) {
        return CorpusOverHttp.CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            checkV1(server, c, false);
            checkV1(server, c, true);
        }));
    }

    private static void checkV2(TestServer server, ConformanceCorpus.Case c) throws IOException {
        ModelSchema schema = CorpusOverHttp.schema(server, CorpusOverHttp.location(c));
        List<Map<String, Object>> records = CorpusOverHttp.records(c, schema);
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (InputFieldSchema input : schema.inputs()) {
            List<Object> column = new ArrayList<>();
            boolean numeric = false;
            for (Map<String, Object> record : records) {
                Object value = record.get(input.name());
                numeric |= value instanceof Number;
                column.add(value);
            }
            Map<String, Object> tensor = new LinkedHashMap<>();
            tensor.put("name", input.name());
            tensor.put("shape", List.of(records.size()));
            tensor.put("datatype", numeric ? "FP64" : "BYTES");
            tensor.put("data", column);
            inputs.add(tensor);
        }

        TestServer.Response response = server.post("/v2/models/" + c.name() + "/infer",
                ServerApp.MAPPER.writeValueAsString(Map.of("inputs", inputs)));

        assertThat(response.status()).as("%s: %s", c.name(), response.body()).isEqualTo(200);
        JsonNode body = response.json();
        OpenInferenceSpec.assertValidWithMissingValues("inference_response", body);
        Map<String, JsonNode> outputs = new HashMap<>();
        body.get("outputs").forEach(output -> outputs.put(output.get("name").asText(), output));
        String target = schema.primaryTarget().map(t -> t.name()).filter(n -> !n.isEmpty()).orElse("predicted");
        CorpusOverHttp.compare(c, (row, column) -> {
            JsonNode output = outputs.get(column);
            if (output == null && column.equals(target)) {
                output = outputs.get("predicted");
            }
            return output == null ? null : output.get("data").get(row);
        }, (row, column) -> {
            JsonNode probabilities = outputs.get("probabilities");
            return probabilities == null ? null : CorpusOverHttp.probability(probabilities.get("parameters").get("classes"),
                    probabilities.get("data"), row, column);
        });
    }

    private static void checkV1(TestServer server, ConformanceCorpus.Case c, boolean arrays) throws IOException {
        ModelSchema schema = CorpusOverHttp.schema(server, CorpusOverHttp.location(c));
        List<Object> instances = new ArrayList<>();
        for (Map<String, Object> record : CorpusOverHttp.records(c, schema)) {
            if (arrays) {
                List<Object> values = new ArrayList<>();
                schema.inputs().forEach(input -> values.add(record.get(input.name())));
                instances.add(values);
            } else {
                instances.add(record);
            }
        }

        TestServer.Response response = server.post("/v1/models/" + c.name() + ":predict", ServerApp.MAPPER
                .writeValueAsString(Map.of("instances", instances, "parameters", Map.of("output_fields", true))));

        assertThat(response.status()).as("%s: %s", c.name(), response.body()).isEqualTo(200);
        JsonNode body = response.json();
        String target = schema.primaryTarget().map(t -> t.name()).orElse("");
        CorpusOverHttp.compare(c, (row, column) -> body.get("outputs").get(row).get(column),
                (row, column) -> column.equals(target) ? body.get("predictions").get(row) : null);
    }
}
