package dev.pronto.inference.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class CellTypesTest {

    private static Object cell(CellTypes.Kind kind, String text) {
        byte[] bytes = ("@" + text + "@").getBytes(StandardCharsets.UTF_8);
        return CellTypes.value(kind, bytes, 1, bytes.length - 1);
    }

    private static Object jdkDecimal(String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Test
    void decimalsAreTheDoublesTheJdkReads() {
        List<String> cells = new ArrayList<>(List.of("-0", "+5", "5.", ".5", "1e3", " 7 ", "0.1", "123456789012345",
                "1234567890123456", "0.000000000000001", "9007199254740993", "NaN", "-Infinity", "0x1p3", "1d", "", ".",
                "-", "1.2.3", "1,5", "٣", "4.35", "0.3", "2.675"));
        Random random = new Random(17);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder text = new StringBuilder(random.nextInt(4) == 0 ? "-" : "");
            int digits = 1 + random.nextInt(18);
            int point = random.nextInt(digits + 1);
            for (int d = 0; d < digits; d++) {
                text.append(d == point ? "." : "").append((char) ('0' + random.nextInt(10)));
            }
            cells.add(text.toString());
        }
        for (String text : cells) {
            assertThat(cell(CellTypes.Kind.DECIMAL, text)).as(text).isEqualTo(jdkDecimal(text));
        }
    }

    @Test
    void integersFitTheNarrowestTypeAsJsonWould() {
        assertThat(cell(CellTypes.Kind.INTEGER, "42")).isEqualTo(42);
        assertThat(cell(CellTypes.Kind.INTEGER, "-7")).isEqualTo(-7);
        assertThat(cell(CellTypes.Kind.INTEGER, "+3")).isEqualTo(3);
        assertThat(cell(CellTypes.Kind.INTEGER, "3000000000")).isEqualTo(3_000_000_000L);
        assertThat(cell(CellTypes.Kind.INTEGER, "9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(cell(CellTypes.Kind.INTEGER, " 5 ")).isEqualTo(5);
        assertThat(cell(CellTypes.Kind.INTEGER, "2.0")).isEqualTo(2.0);
        assertThat(cell(CellTypes.Kind.INTEGER, "two")).isNull();
        assertThat(cell(CellTypes.Kind.BOOLEAN, "TRUE")).isEqualTo(true);
        assertThat(cell(CellTypes.Kind.TEXT, "grün")).isEqualTo("grün");
    }
}
