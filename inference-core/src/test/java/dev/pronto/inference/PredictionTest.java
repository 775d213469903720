package dev.pronto.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class PredictionTest {

    @Test
    void constructorCopiesKeepingOrderSoLaterChangesDoNotLeakIn() {
        Map<Object, Double> probabilities = new LinkedHashMap<>();
        probabilities.put("b", 0.25);
        probabilities.put("a", 0.75);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("z", null);
        fields.put("y", 1);

        Prediction prediction = new Prediction("a", probabilities, fields, List.of("7"));
        probabilities.put("c", 0.0);
        fields.clear();

        assertThat(prediction.probabilities()).containsExactly(Map.entry("b", 0.25), Map.entry("a", 0.75));
        assertThat(prediction.fields().keySet()).containsExactly("z", "y");
        assertThat(prediction.fields()).containsEntry("z", null);
        assertThatThrownBy(() -> prediction.probabilities().put("d", 1.0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> prediction.fields().remove("y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void builderAndConstructorMakeEqualPredictions() {
        Prediction built = Prediction.builder(2, 1).value(1).probability(0, 0.4).probability(1, 0.6)
                .field("species", 1).entityIds(List.of("3")).build();
        Map<Object, Double> probabilities = new HashMap<>();
        probabilities.put(0, 0.4);
        probabilities.put(1, 0.6);

        assertThat(built).isEqualTo(new Prediction(1, probabilities, Map.of("species", 1), List.of("3")));
        assertThat(built.hashCode()).isEqualTo(new Prediction(1, probabilities, Map.of("species", 1), List.of("3")).hashCode());
    }

    @Test
    void builderGrowsPastItsCapacity() {
        Prediction.Builder builder = Prediction.builder(0, 0);
        for (int i = 0; i < 10; i++) {
            builder.probability("c" + i, i / 45.0).field("f" + i, i);
        }
        Prediction prediction = builder.build();

        assertThat(prediction.probabilities()).hasSize(10).containsEntry("c9", 9 / 45.0);
        assertThat(prediction.fields().keySet()).startsWith("f0", "f1").endsWith("f9");
    }

    @Test
    void derivedFieldsAreComputedOnlyWhenRead() {
        AtomicInteger calls = new AtomicInteger();
        Prediction prediction = Prediction.builder(0, 0)
                .fields(List.of("x", "y"), name -> {
                    calls.incrementAndGet();
                    return name.toUpperCase();
                }).build();

        assertThat(calls).hasValue(0);
        assertThat(prediction.fields().get("y")).isEqualTo("Y");
        assertThat(prediction.fields().get("nope")).isNull();
        assertThat(prediction.fields()).containsExactly(Map.entry("x", "X"), Map.entry("y", "Y"));
        assertThatThrownBy(() -> prediction.fields().put("z", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void probabilityRowsViewTheirRowOfASharedMatrixAndEqualCopiedMaps() {
        List<Object> classes = List.of("setosa", "versicolor", "virginica");
        double[] matrix = {0.7, 0.2, 0.1, 0.05, 0.15, 0.8};
        Prediction second = Prediction.builder(0, 0).value("virginica").probabilities(classes, matrix, 1).build();
        Map<Object, Double> copied = new LinkedHashMap<>();
        copied.put("setosa", 0.05);
        copied.put("versicolor", 0.15);
        copied.put("virginica", 0.8);

        assertThat(second.probabilities()).containsExactly(Map.entry("setosa", 0.05), Map.entry("versicolor", 0.15),
                Map.entry("virginica", 0.8));
        assertThat(second.probabilities().keySet()).containsExactly("setosa", "versicolor", "virginica");
        assertThat(second.probabilities().get("virginica")).isEqualTo(0.8);
        assertThat(second.probabilities().get("daisy")).isNull();
        assertThat(second).isEqualTo(new Prediction("virginica", copied, Map.of(), List.of()));
        assertThat(second.hashCode()).isEqualTo(new Prediction("virginica", copied, Map.of(), List.of()).hashCode());
        assertThatThrownBy(() -> second.probabilities().put("daisy", 0.0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> second.probabilities().keySet().remove("setosa"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void probabilityRowOutsideTheMatrixIsRefused() {
        assertThatThrownBy(() -> Prediction.builder(0, 0).probabilities(List.of(0, 1), new double[4], 2))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void rejectsNullCollectionsAndNullKeys() {
        assertThatThrownBy(() -> new Prediction(1, null, Map.of(), List.of())).hasMessageContaining("probabilities");
        Map<Object, Double> withNullKey = new HashMap<>();
        withNullKey.put(null, 1.0);
        assertThatThrownBy(() -> new Prediction(1, withNullKey, Map.of(), List.of())).hasMessageContaining("null key");
    }
}
