package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.pronto.inference.Prediction;

/**
 * {@link AnswerBytes} writes the very bytes that Jackson's generator ({@link InvocationResponse#generate})
 * writes, for the answers of every corpus model and for labels and values of every type it takes.
 */
class AnswerBytesTest {

    @RegisterExtension
    static final ServedBy CORPUS = CorpusOverHttp.SERVED;

    private final AnswerBytes bytes = new AnswerBytes();

    /** Until DoubleText's table is computed (on a thread of its own), answers go through the generator. */
    @org.junit.jupiter.api.BeforeAll
    static void tableComputed() throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!DoubleText.ready() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(DoubleText.ready()).isTrue();
    }

    private String generated(List<Prediction> predictions) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InvocationResponse.generate(out, ServerApp.MAPPER, predictions, false, false);
        return out.toString(StandardCharsets.UTF_8);
    }

    private String written(List<Prediction> predictions) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(bytes.write(predictions, out)).as("written as bytes").isTrue();
        return out.toString(StandardCharsets.UTF_8);
    }

    @TestFactory
    Stream<DynamicTest> everyCorpusAnswerIsTheGeneratorsToTheByte(TestServer server) {
        return CorpusOverHttp.CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            String location = CorpusOverHttp.location(c);
            List<Map<String, Object>> records = CorpusOverHttp.records(c, CorpusOverHttp.schema(server, location));
            List<Prediction> predictions = server.ownEngine.predict(location, records);
            String expected = generated(predictions);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InvocationResponse.write(out, ServerApp.MAPPER, predictions, false, false);
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
            if (predictions.stream().allMatch(p -> isCommonType(p.value()))) {
                assertThat(written(predictions)).isEqualTo(expected);
                // the second answer of a model reuses its labels' text
                assertThat(written(predictions)).isEqualTo(expected);
            } else {
                // a float (XGBoost's regressions) or another type: left to the generator
                assertThat(bytes.write(predictions, new ByteArrayOutputStream())).isFalse();
            }
        }));
    }

    private static boolean isCommonType(Object value) {
        return value == null || value instanceof String || value instanceof Integer || value instanceof Long
                || value instanceof Double || value instanceof Boolean;
    }

    private static Prediction classified(Object label, Map<Object, Double> probabilities) {
        return new Prediction(label, probabilities, Map.of(), List.of());
    }

    private static Map<Object, Double> probabilities(Object[] classes, Double... values) {
        Map<Object, Double> map = new LinkedHashMap<>();
        for (int i = 0; i < classes.length; i++) {
            map.put(classes[i], values[i]);
        }
        return map;
    }

    @Test
    void labelsNeedingEscapesAndOfEveryTypeAreWrittenAsTheGeneratorWritesThem() throws IOException {
        Object[][] classSets = {
            {"set\"osa", "vers\\icolor", "vir\nginica\u0001", "é ü 日本 \uD83D\uDE00", "a/b", ""},
            {1, 2, 30},
            {Long.MAX_VALUE, -5L},
            {true, false},
            {0.5, -0.0, 1e300},
        };
        for (Object[] classes : classSets) {
            List<Prediction> predictions = new ArrayList<>();
            Double[] ps = new Double[classes.length];
            for (int i = 0; i < classes.length; i++) {
                ps[i] = (i + 1) / 7.0;
            }
            predictions.add(classified(classes[0], probabilities(classes, ps)));
            ps[classes.length - 1] = null;
            predictions.add(classified(classes[classes.length - 1], probabilities(classes, ps)));
            predictions.add(classified(null, Map.of()));
            predictions.add(classified(classes[0], probabilities(classes, ps)));
            assertThat(written(predictions)).isEqualTo(generated(predictions));
        }
    }

    @Test
    void regressionsAndNonFiniteValuesAreWrittenAsTheGeneratorWritesThem() throws IOException {
        List<Prediction> predictions = new ArrayList<>();
        for (double value : new double[] {1.5, -0.0, 1e-7, 12345678.9, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.MIN_VALUE}) {
            predictions.add(classified(value, Map.of()));
        }
        predictions.add(classified(7, Map.of()));
        predictions.add(classified("text", Map.of()));
        predictions.add(classified(null, Map.of()));
        assertThat(written(predictions)).isEqualTo(generated(predictions));
        List<Prediction> withNaN = List.of(classified("a", probabilities(new Object[] {"a", "b"}, Double.NaN, 1.0)));
        assertThat(written(withNaN)).isEqualTo(generated(withNaN));
    }

    @Test
    void leavesOtherTypesToTheGenerator() throws IOException {
        assertThat(bytes.write(List.of(classified("a", Map.of())), new ByteArrayOutputStream())).isTrue();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Prediction> decimal = List.of(classified(new java.math.BigDecimal("1.25"), Map.of()));
        assertThat(bytes.write(decimal, out)).isFalse();
        List<Prediction> floatLabels = List.of(classified(1.5f, probabilities(new Object[] {1.5f, 2.5f}, 0.25, 0.75)));
        assertThat(bytes.write(floatLabels, out)).isFalse();
        assertThat(out.size()).isZero();
        // and InvocationResponse.write then answers through the generator
        InvocationResponse.write(out, ServerApp.MAPPER, decimal, false, false);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(generated(decimal));
    }
}
