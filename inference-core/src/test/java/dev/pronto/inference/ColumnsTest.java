package dev.pronto.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ColumnsTest {

    @Test
    void recordsViewEachRowAsTheMapARecordPathTakes() {
        Columns columns = Columns.of(Column.ofDoubles("x", 1.5, 2.5), Column.ofLongs("n", 3, 4),
                Column.ofStrings("color", "red", null), Column.ofBooleans("flag", true, false),
                Column.ofFloats("f", 0.5f, 0.25f), Column.ofObjects("any", "text", null));

        Map<String, Object> second = new LinkedHashMap<>();
        second.put("x", 2.5);
        second.put("n", 4L);
        second.put("color", null);
        second.put("flag", false);
        second.put("f", 0.25f);
        second.put("any", null);
        assertThat(columns.rows()).isEqualTo(2);
        assertThat(columns.names()).containsExactly("x", "n", "color", "flag", "f", "any");
        assertThat(columns.record(1)).isEqualTo(second).containsKey("color");
        assertThat(columns.record(1).keySet()).containsExactly("x", "n", "color", "flag", "f", "any");
        assertThat(columns.records()).hasSize(2).element(0).isEqualTo(columns.record(0));
        assertThat(columns.record(0)).doesNotContainKey("absent");
        assertThatThrownBy(() -> columns.record(2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void columnsCopyTheirArrays() {
        double[] values = {1, 2};
        Column.OfDouble column = Column.ofDoubles("x", values);
        values[0] = 99;

        assertThat(column.get(0)).isEqualTo(1.0);
        assertThat(column.value(0)).isEqualTo(1.0);
    }

    @Test
    void refusesColumnsOfDifferentLengthsAndTwoColumnsOfOneName() {
        assertThatThrownBy(() -> Columns.of(Column.ofDoubles("x", 1, 2), Column.ofLongs("n", 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("column \"n\" has 1 values for 2 records");
        assertThatThrownBy(() -> Columns.of(Column.ofDoubles("x", 1), Column.ofLongs("x", 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("two columns are named \"x\"");
        assertThatThrownBy(() -> Columns.of(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThat(Columns.of(3, List.of()).records()).containsExactly(Map.of(), Map.of(), Map.of());
    }

    @Test
    void batchResultFromArraysReadsValuesAndProbabilitiesAndMakesPredictionsWhenAsked() {
        double[] matrix = {0.9, 0.1, 0.2, 0.8};
        BatchPrediction result = BatchPrediction.builder(2).values(new Object[] {"a", "b"})
                .probabilities(List.of("a", "b"), matrix).build();

        assertThat(result.size()).isEqualTo(2);
        assertThat(result.value(1)).isEqualTo("b");
        assertThat(result.classes()).containsExactly("a", "b");
        assertThat(result.probability(1, 1)).isEqualTo(0.8);
        assertThat(result.predictions()).containsExactly(
                new Prediction("a", probabilities("a", 0.9, "b", 0.1), Map.of(), List.of()),
                new Prediction("b", probabilities("a", 0.2, "b", 0.8), Map.of(), List.of()));
        assertThat(result.predictions()).isSameAs(result.predictions());
        assertThat(result.isColumnar()).as("still columnar once its predictions were read").isTrue();
        assertThatThrownBy(() -> result.probability(0, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> BatchPrediction.builder(2).values(new double[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("values has 3 elements where 2 are due");
    }

    @Test
    void batchResultFromPredictionsReadsTheirValuesAndProbabilities() {
        List<Prediction> predictions = List.of(
                new Prediction(1, probabilities(0, 0.3, 1, 0.7), Map.of(), List.of()),
                new Prediction(0, probabilities(0, 0.6, 1, 0.4), Map.of(), List.of()));

        BatchPrediction result = BatchPrediction.of(predictions);

        assertThat(result.predictions()).isEqualTo(predictions);
        assertThat(result.isColumnar()).isFalse();
        assertThat(result.classes()).containsExactly(0, 1);
        assertThat(result.value(0)).isEqualTo(1);
        assertThat(result.probability(1, 0)).isEqualTo(0.6);
        assertThat(result).isEqualTo(BatchPrediction.builder(2).values(new Object[] {1, 0})
                .probabilities(List.of(0, 1), new double[] {0.3, 0.7, 0.6, 0.4}).build());
        assertThat(BatchPrediction.of(List.of()).classes()).isEmpty();
    }

    private static Map<Object, Double> probabilities(Object first, double p, Object second, double q) {
        Map<Object, Double> map = new LinkedHashMap<>();
        map.put(first, p);
        map.put(second, q);
        return map;
    }
}
