package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pronto.inference.BatchPrediction;
import dev.pronto.inference.InputFieldSchema;
import dev.pronto.inference.ModelSchema;
import dev.pronto.inference.OutputFieldSchema;
import dev.pronto.inference.Prediction;
import dev.pronto.inference.TargetFieldSchema;

/**
 * The V2 answer written from a batch result: read by column when a columnar pipeline made it, from its
 * predictions when the record path did, with the same body either way.
 */
class InferResponseTest {

    private static final ModelTensors CLASSIFIER = ModelTensors.of(new ModelSchema("classification",
            List.of(new InputFieldSchema("x", "double", "continuous", List.of(), List.of())),
            List.of(new TargetFieldSchema("y", "string", "categorical", List.of("a", "b"))),
            List.of(new OutputFieldSchema("probability(a)", "double", "continuous", "probability"),
                    new OutputFieldSchema("probability(b)", "double", "continuous", "probability"))));

    @Test
    void aColumnarResultWritesWhatItsPredictionsWrite() throws IOException {
        List<Prediction> predictions = List.of(prediction("a", 0.9, 0.1), prediction("b", 0.25, 0.75));
        BatchPrediction columnar = BatchPrediction.builder(2).values(new Object[] {"a", "b"})
                .probabilities(List.of("a", "b"), new double[] {0.9, 0.1, 0.25, 0.75}).predictions(predictions::get).build();

        String byColumn = write(columnar, List.of());
        String byRecord = write(BatchPrediction.of(predictions), List.of());

        assertThat(byColumn).isEqualTo(byRecord);
        JsonNode body = ServerApp.MAPPER.readTree(byColumn);
        assertThat(body.get("outputs")).extracting(t -> t.get("name").asText())
                .containsExactly("y", "probabilities", "probability(a)", "probability(b)");
        assertThat(body.get("outputs").get(1).get("data").toString()).isEqualTo("[0.9,0.1,0.25,0.75]");
        assertThat(body.get("outputs").get(3).get("data").toString()).isEqualTo("[0.1,0.75]");
    }

    @Test
    void aColumnarResultsClassesAreWrittenInTheModelsOrder() throws IOException {
        BatchPrediction columnar = BatchPrediction.builder(1).values(new Object[] {"b"})
                .probabilities(List.of("b", "a"), new double[] {0.75, 0.25}).build();

        JsonNode body = ServerApp.MAPPER.readTree(write(columnar, List.of("probabilities")));

        assertThat(body.get("outputs").get(0).get("parameters").get("classes").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(body.get("outputs").get(0).get("data").toString()).isEqualTo("[0.25,0.75]");
    }

    @Test
    void recordsWithoutProbabilitiesGetNullsWhenAnotherRecordHasThem() throws IOException {
        // the record path may leave a record without a prediction (a tree without a true child), so without probabilities
        Prediction none = new Prediction(null, Map.of(), Map.of(), List.of());
        BatchPrediction result = BatchPrediction.of(List.of(none, prediction("b", 0.25, 0.75)));

        JsonNode body = ServerApp.MAPPER.readTree(write(result, List.of("y", "probabilities")));

        assertThat(body.get("outputs").get(0).get("data").toString()).isEqualTo("[null,\"b\"]");
        assertThat(body.get("outputs").get(1).get("data").toString()).isEqualTo("[null,null,0.25,0.75]");
        assertThat(write(BatchPrediction.of(List.of(none)), List.of())).doesNotContain("probabilities");
    }

    private static Prediction prediction(String label, double a, double b) {
        Map<Object, Double> probabilities = new LinkedHashMap<>();
        probabilities.put("a", a);
        probabilities.put("b", b);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("y", label);
        fields.put("probability(a)", a);
        fields.put("probability(b)", b);
        return new Prediction(label, probabilities, fields, List.of());
    }

    private static String write(BatchPrediction result, List<String> selected) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        InferResponse.write(body, ServerApp.MAPPER, "m", null, "7", CLASSIFIER, selected, result);
        return body.toString(StandardCharsets.UTF_8);
    }
}
