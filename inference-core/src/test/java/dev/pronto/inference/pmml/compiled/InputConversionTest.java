package dev.pronto.inference.pmml.compiled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.dmg.pmml.DataType;
import org.jpmml.evaluator.TypeUtil;
import org.junit.jupiter.api.Test;

/**
 * The conversion of raw values for continuous integer inputs gives jpmml's own number wherever it
 * converts, and declines the values whose conversion it does not mirror. The reference is jpmml's
 * {@code TypeUtil.parseOrCast}, the call its input preparation makes, so a changed detail (rounding
 * 37.5, reading "37.9" as 37, letting a Long wrap) fails here.
 */
class InputConversionTest {

    private static final List<Object> VALUES = List.of(0, 37, -4, Integer.MAX_VALUE, Integer.MIN_VALUE, 37L, -37L,
            (long) Integer.MAX_VALUE, (long) Integer.MAX_VALUE + 1, 1L << 40, (short) 12, (byte) -3, 37.0, -0.0, 0.0, 37.5,
            -37.0, 1e9, 3e9, -2147483648.0, 2147483648.0, Double.NaN, Double.POSITIVE_INFINITY, 37.0f, 37.25f, "37", "-4",
            "0", "-0", "007", "37.0", "37.00", "-0.0", "37.5", "37.9", "+37", "1e1", " 37", "37 ", "", "abc", "true",
            "999999999", "999999999.0", "2147483648", "12345678901", true, List.of(1));

    @Test
    void convertsIntegersAsJpmmlDoesAndDeclinesTheRest() {
        List<Object> converted = new ArrayList<>();
        for (Object raw : VALUES) {
            Double compiled = compiled(raw);
            if (compiled == null) {
                continue;
            }
            converted.add(raw);
            Object reference = TypeUtil.parseOrCast(DataType.INTEGER, raw);
            assertThat(reference).as("jpmml's value of %s", raw).isInstanceOf(Integer.class);
            assertThat(compiled).as("compiled value of %s (%s)", raw, raw.getClass().getSimpleName())
                    .isEqualTo(((Integer) reference).doubleValue());
            assertThat(Double.doubleToRawLongBits(compiled)).as("no negative zero for %s", raw)
                    .isEqualTo(Double.doubleToRawLongBits(((Integer) reference).doubleValue()));
        }
        // the spellings clients send are taken, not left to jpmml
        assertThat(converted).contains(37, 37L, (short) 12, 37.0, -0.0, 37.0f, "37", "-0", "007", "37.0", "-0.0", "999999999");
    }

    @Test
    void convertsDoublesBitForBitAsJpmmlDoesNegativeZeroIncluded() {
        // jpmml keeps a Double as it is (-0.0 too) but hands out its shared 0.0 for a Float or Long zero:
        // a -0.0 kept where jpmml has 0.0 would go the other way at a threshold of 0
        for (Object raw : new Object[] {-0.0, 0.0, -0.0f, 0.0f, 0, 0L, (short) 0, (byte) 0, 37.5, -37.25f, 37L, 1e300}) {
            Object reference = TypeUtil.parseOrCast(DataType.DOUBLE, raw);
            assertThat(Double.doubleToRawLongBits(InputConversion.decimal(raw))).as("%s (%s)", raw, raw.getClass().getSimpleName())
                    .isEqualTo(Double.doubleToRawLongBits((Double) reference));
        }
    }

    @Test
    void declinesWhatJpmmlRejectsOrConvertsByRulesNotMirrored() {
        for (Object raw : new Object[] {37.5, 37.25f, "37.5", "37.9", Double.NaN, Double.POSITIVE_INFINITY, 3e9, 1L << 40,
            "+37", "1e1", "true", true, "2147483648", "", "abc", " 37"}) {
            assertThatThrownBy(() -> InputConversion.integer(raw)).as("%s", raw).isSameAs(NotCompiled.INSTANCE);
        }
    }

    @Test
    void anIntegerInputKeepsOrDeclinesValuesOutsideItsIntervalsAsItsTreatmentSays() {
        Input.Interval[] range = {new Input.Interval(1, true, 99, true)};
        assertThat(new Input.Numeric("n", DataType.INTEGER, range, false, false).number("37.0")).isEqualTo(37.0);
        assertThatThrownBy(() -> new Input.Numeric("n", DataType.INTEGER, range, false, false).number(100)).isSameAs(NotCompiled.INSTANCE);
        // invalidValueTreatment="asIs": jpmml keeps the number as it is
        assertThat(new Input.Numeric("n", DataType.INTEGER, range, false, true).number(100)).isEqualTo(100.0);
        assertThatThrownBy(() -> new Input.Numeric("n", DataType.INTEGER, range, false, true).number(37.5)).isSameAs(NotCompiled.INSTANCE);
    }

    private static Double compiled(Object raw) {
        try {
            return InputConversion.integer(raw);
        } catch (NotCompiled e) {
            return null;
        }
    }
}
