package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.io.NumberOutput;

/**
 * {@link DoubleText} against the writer it replaces (Jackson's fast double writer, which the server's
 * mapper enables) and against the parser: every text must be Jackson's, to the character, and read back
 * as the very same double.
 */
class DoubleTextTest {

    /** Writes with DoubleText; the array has room before and after, to catch writes outside the room it may use. */
    private static String text(double value) {
        byte[] buffer = new byte[8 + DoubleText.MAX_LENGTH + 8];
        int end = DoubleText.write(value, buffer, 8);
        assertThat(end - 8).isBetween(3, DoubleText.MAX_LENGTH);
        for (int i = 0; i < 8; i++) {
            assertThat(buffer[i]).isZero();
        }
        // the MAX_LENGTH bytes from the start are the writer's to use; nothing beyond them
        for (int i = 8 + DoubleText.MAX_LENGTH; i < buffer.length; i++) {
            assertThat(buffer[i]).as("byte after the room").isZero();
        }
        return new String(buffer, 8, end - 8, StandardCharsets.US_ASCII);
    }

    private static void assertSameAsJacksonAndExact(double value) {
        String text = text(value);
        assertThat(text).as("bits %x", Double.doubleToRawLongBits(value)).isEqualTo(NumberOutput.toString(value, true));
        assertThat(Double.doubleToRawLongBits(Double.parseDouble(text))).as(text)
                .isEqualTo(Double.doubleToRawLongBits(value));
    }

    @Test
    void hundredThousandDoublesOfEveryExponentReadBackExactlyAndMatchJackson() {
        SplittableRandom random = new SplittableRandom(19);
        int checked = 0;
        while (checked < 100_000) {
            double value = Double.longBitsToDouble(random.nextLong());
            if (Double.isFinite(value)) {
                assertSameAsJacksonAndExact(value);
                checked++;
            }
        }
    }

    @Test
    void hundredThousandProbabilitiesAndSubnormalsMatchJackson() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            assertSameAsJacksonAndExact(random.nextDouble());
            // subnormals: any significand with the smallest exponent
            assertSameAsJacksonAndExact(Double.longBitsToDouble(random.nextLong() & ((1L << 52) - 1)));
        }
    }

    @Test
    void edgesOfTheFormatsAndOfTheRange() {
        List<Double> values = new ArrayList<>(List.of(0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 2.0 / 3, 1e-3, 9.999999999999998e-4,
                1e-4, 1e7, 9999999.0, 9999999.999999998, 1.0e7 + 1, 123456.789, 100.0, 1e16, 1e17, 1e21, 1e22, 1e23,
                2e23, 9007199254740991.0, 9007199254740992.0, 9007199254740993.0, 4.35, 0.3, 5e-324, 1e-323,
                1.5e-323, 2e-323, Double.MIN_VALUE, Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL),
                Double.MAX_VALUE, Math.nextDown(Double.MAX_VALUE), -Double.MAX_VALUE, 1.7976931348623157e308,
                2.2250738585072014e-308, 4.9e-324, 1.0e-5, 0.001, 0.01, 0.9999999999999999, 0.09999999999999999));
        for (int e = -1074; e <= 1023; e++) {
            double power = Math.scalb(1.0, e);
            values.add(power);
            values.add(Math.nextUp(power));
            values.add(Math.nextDown(power));
        }
        for (int e = -323; e <= 308; e++) {
            double power = Double.parseDouble("1e" + e);
            values.add(power);
            values.add(Math.nextUp(power));
            values.add(Math.nextDown(power));
            values.add(-power);
        }
        for (long n = 1; n < 2_000; n++) {
            values.add((double) n);
            values.add(n / 1000.0);
        }
        values.forEach(DoubleTextTest::assertSameAsJacksonAndExact);
    }

    @Test
    void writesTheTextsJavaDocumentsForTheFormats() {
        assertThat(text(0.0)).isEqualTo("0.0");
        assertThat(text(-0.0)).isEqualTo("-0.0");
        assertThat(text(1.0)).isEqualTo("1.0");
        assertThat(text(1234567.0)).isEqualTo("1234567.0");
        assertThat(text(1e7)).isEqualTo("1.0E7");
        assertThat(text(0.001)).isEqualTo("0.001");
        assertThat(text(1e-4)).isEqualTo("1.0E-4");
        assertThat(text(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(text(Double.MIN_VALUE)).isEqualTo("4.9E-324");
        assertThat(text(-Double.MAX_VALUE)).isEqualTo("-1.7976931348623157E308");
        assertThat(text(-Double.MIN_NORMAL)).hasSize(DoubleText.MAX_LENGTH);
    }

    @Test
    void refusesWhatHasNoJsonNumber() {
        for (double value : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertThatThrownBy(() -> DoubleText.write(value, new byte[DoubleText.MAX_LENGTH], 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a finite number");
        }
    }
}
