package dev.pronto.inference.pmml.compiled;

import java.util.regex.Pattern;

/**
 * How jpmml-evaluator 1.7.7 turns a raw value into the number of a continuous input field, for the
 * values where the compiled code can prove it gets the same number; every other value throws
 * {@link NotCompiled}, and jpmml prepares the record (with its own invalid-value treatment and
 * error message). The one place for input-value conversion: a data type the compiled code learns
 * to take adds its method here.
 *
 * <p>Stateless and thread-safe.
 */
final class InputConversion {

    /**
     * Text that {@code TypeUtil.parseInteger} turns into the same int as {@code Double.parseDouble}
     * followed by a cast: an optional minus, at most nine digits (so within int range), and an
     * optional fraction of digits ("37", "-4", "37.0", "37.5"; a fraction that is not zero is
     * declined after parsing).
     */
    private static final Pattern PLAIN_NUMBER = Pattern.compile("-?[0-9]{1,9}(\\.[0-9]{1,15})?");

    private InputConversion() {
    }

    /**
     * The value jpmml prepares for a continuous {@code integer} field, as a double (exact: every int
     * is a double). Mirrors {@code TypeUtil.toInteger} and {@code parseInteger}:
     * <ul>
     *   <li>an {@code Integer} as it is; a {@code Long} that fits an int ({@code MathUtil.toIntExact});
     *       a {@code Short} or {@code Byte} by {@code intValue()};</li>
     *   <li>a {@code Double} or {@code Float} that is a mathematical integer within int range
     *       (37.0 is 37; 37.5, NaN and infinities are invalid for jpmml);</li>
     *   <li>text: {@code Long.parseLong}, else {@code Double.parseDouble} when the result is a
     *       mathematical integer ("37.0" is 37; "37.5" is invalid).</li>
     * </ul>
     * Declined (left to jpmml): everything else, which jpmml either rejects as invalid or converts by
     * rules not mirrored here (booleans as 1 and 0, "+37", "1e1", "true", values outside int range).
     */
    static double integer(Object raw) {
        if (raw instanceof Integer i) {
            return i;
        }
        if (raw instanceof Long l) {
            if (l != l.intValue()) {
                throw NotCompiled.INSTANCE;
            }
            return l.intValue();
        }
        if (raw instanceof Short || raw instanceof Byte) {
            return ((Number) raw).intValue();
        }
        double x;
        if (raw instanceof Double || raw instanceof Float) {
            x = ((Number) raw).doubleValue();
        } else if (raw instanceof String text && PLAIN_NUMBER.matcher(text).matches()) {
            // "37" and "37.0" give the same int whether Long.parseLong or Double.parseDouble reads them
            x = Double.parseDouble(text);
        } else {
            throw NotCompiled.INSTANCE;
        }
        // DoubleMath.isMathematicalInteger, then Number.longValue() and MathUtil.toIntExact
        if (x != Math.rint(x) || Double.isInfinite(x) || x < Integer.MIN_VALUE || x > Integer.MAX_VALUE) {
            throw NotCompiled.INSTANCE;
        }
        // (int) turns -0.0 into 0, as longValue() does: jpmml holds the Integer 0
        return (int) x;
    }

    /**
     * The value jpmml prepares for a continuous {@code double} field ({@code TypeUtil.toDouble}:
     * {@code Number.doubleValue()} of these types); text and other types are declined. A
     * {@code Double} is kept as it is, -0.0 included; any other type goes through
     * {@code toDouble(double)}, which hands out its shared zero for -0.0, so a {@code Float} -0.0
     * becomes 0.0 (it orders differently against a threshold of 0).
     */
    static double decimal(Object raw) {
        if (raw instanceof Double d) {
            return d;
        }
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Float || raw instanceof Short
                || raw instanceof Byte) {
            double x = ((Number) raw).doubleValue();
            return x == 0d ? 0d : x;
        }
        throw NotCompiled.INSTANCE;
    }

    /**
     * The value jpmml prepares for a continuous {@code float} field (XGBoost's inputs), held exactly
     * as a double. Mirrors {@code TypeUtil.toFloat}: {@code Number.floatValue()} of a {@code Double},
     * {@code Float}, {@code Long}, {@code Integer}, {@code Short} or {@code Byte} (a double rounded
     * once to the nearest float), then {@code toFloat(float)}, which hands out its shared
     * {@code FLOAT_ZERO} for any zero, so that -0.0 becomes 0.0 (it orders differently against a
     * threshold of 0). A result that is not finite (a double beyond float range, NaN) is declined:
     * jpmml keeps an infinity and refuses NaN, and either is its to handle. Text (parsed by
     * {@code Float.valueOf}) and booleans (1 and 0) are declined too.
     */
    static double floating(Object raw) {
        float x;
        if (raw instanceof Double || raw instanceof Float || raw instanceof Integer || raw instanceof Long
                || raw instanceof Short || raw instanceof Byte) {
            x = ((Number) raw).floatValue();
        } else {
            throw NotCompiled.INSTANCE;
        }
        if (!Float.isFinite(x)) {
            throw NotCompiled.INSTANCE;
        }
        return x == 0f ? 0d : x;
    }
}
