package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pronto.inference.Column;

/**
 * A tensor's data straight into typed columns: each datatype into the column kind whose values are
 * the ones the record path put in a record, nested and flat data alike, missing values, matrices split
 * by column, and the errors naming the tensor and the element.
 */
class TensorColumnsTest {

    @Test
    void everyDatatypeBecomesTheColumnWhoseValuesARecordHeld() {
        for (TensorType type : TensorType.values()) {
            String data = type.isInteger() ? "[3, 0]" : type.isFloat() ? "[1.5, 7]" : type == TensorType.BOOL
                    ? "[true, false]" : "[\"a\", \"b\"]";

            Column column = decode(data, type, 2, "x").get(0);

            Class<?> kind = type.isInteger() ? Column.OfLong.class : type.isFloat() ? Column.OfDouble.class
                    : type == TensorType.BOOL ? Column.OfBoolean.class : Column.OfString.class;
            assertThat(column).as(type.name()).isInstanceOf(kind);
            assertThat(column.name()).isEqualTo("x");
            List<Object> expected = type.isInteger() ? List.of(3L, 0L) : type.isFloat() ? List.of(1.5, 7.0)
                    : type == TensorType.BOOL ? List.of(true, false) : List.of("a", "b");
            assertThat(values(column)).as(type.name()).isEqualTo(expected);
        }
    }

    @Test
    void floatDataStayDoublesSoThatADoubleFieldReadsTheDecimalSent() {
        Column column = decode("[5.1]", TensorType.FP32, 1, "x").get(0);

        assertThat(column).isInstanceOf(Column.OfDouble.class);
        assertThat(column.value(0)).isEqualTo(5.1);
    }

    @Test
    void nestedAndFlatDataGiveTheSameColumn() {
        List<Object> flat = values(decode("[1.5, 2.5, 3.5]", TensorType.FP64, 3, "x").get(0));
        List<Object> nested = values(decode("[[1.5], [2.5], [3.5]]", TensorType.FP64, 3, "x").get(0));
        List<Object> deeper = values(decode("[[[1.5], [2.5]], [[3.5]]]", TensorType.FP64, 3, "x").get(0));

        assertThat(nested).isEqualTo(flat).isEqualTo(deeper);
    }

    @Test
    void aMissingValueMakesTheColumnBoxedWithANullThere() {
        for (TensorType type : List.of(TensorType.INT64, TensorType.FP32, TensorType.BOOL, TensorType.BYTES)) {
            String value = type.isInteger() ? "4" : type.isFloat() ? "4.5" : type == TensorType.BOOL ? "true" : "\"s\"";

            Column column = decode("[null, " + value + "]", type, 2, "x").get(0);

            assertThat(column.value(0)).as(type.name()).isNull();
            assertThat(column.value(1)).as(type.name()).isEqualTo(type.isInteger() ? (Object) 4L : type.isFloat()
                    ? (Object) 4.5 : type == TensorType.BOOL ? (Object) true : "s");
        }
    }

    @Test
    void aMatrixIsSplitIntoOneColumnPerNameRowMajor() {
        List<Column> columns = decode("[[1, 2, 3], [4, null, 6]]", TensorType.INT32, 6, "a", "b", "c");

        assertThat(columns).extracting(Column::name).containsExactly("a", "b", "c");
        assertThat(columns.get(0)).isInstanceOf(Column.OfLong.class);
        assertThat(values(columns.get(0))).containsExactly(1L, 4L);
        assertThat(values(columns.get(1))).containsExactly(2L, null);
        assertThat(values(columns.get(2))).containsExactly(3L, 6L);
        assertThat(values(decode("[1, 2, 3, 4, 5, 6]", TensorType.INT32, 6, "a", "b", "c").get(2))).containsExactly(3L, 6L);
    }

    @Test
    void anElementOfAnotherTypeIsNamedByItsFlatIndex() {
        assertThatThrownBy(() -> decode("[[1.0, 2.0], [3.0, \"abc\"]]", TensorType.FP64, 4, "a", "b"))
                .isInstanceOf(ApiException.class)
                .hasMessage("input \"t\": datatype FP64 holds numbers, element 3 is \"abc\"");
        assertThatThrownBy(() -> decode("[1, 2.5]", TensorType.INT64, 2, "x"))
                .hasMessage("input \"t\": datatype INT64 holds integers, element 1 is 2.5");
        assertThatThrownBy(() -> decode("[true, 1]", TensorType.BOOL, 2, "x"))
                .hasMessage("input \"t\": datatype BOOL holds true or false, element 1 is 1");
        assertThatThrownBy(() -> decode("[\"a\", 1]", TensorType.BYTES, 2, "x"))
                .hasMessage("input \"t\": datatype BYTES holds strings, element 1 is 1");
    }

    @Test
    void dataOfAnotherLengthThanTheShapeIsRefusedNamingTheTensor() {
        assertThatThrownBy(() -> decode("[1.0, 2.0]", TensorType.FP64, 3, "x"))
                .isInstanceOf(ApiException.class).hasMessage("input \"t\": its shape holds 3 elements, its data 2");
        // reading stops one element past the shape, which is still checked against the datatype
        assertThatThrownBy(() -> decode("[1.0, 2.0, 3.0, 4.0]", TensorType.FP64, 2, "x"))
                .hasMessage("input \"t\": its shape holds 2 elements, its data 3");
        assertThatThrownBy(() -> decode("[1.0, 2.0, \"x\"]", TensorType.FP64, 2, "x"))
                .hasMessage("input \"t\": datatype FP64 holds numbers, element 2 is \"x\"");
    }

    private static List<Column> decode(String data, TensorType type, int count, String... names) {
        try {
            JsonNode node = ServerApp.MAPPER.readTree(data);
            return TensorColumns.decode(node, type, "t", count, Arrays.asList(names));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Object> values(Column column) {
        List<Object> values = new ArrayList<>();
        for (int row = 0; row < column.size(); row++) {
            values.add(column.value(row));
        }
        return values;
    }
}
