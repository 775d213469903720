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
     * {@code Number.doubleValue()} of these types); text and other types are declined.
     */
    static double decimal(Object raw) {
        if (raw instanceof Double d) {
            return d;
        }
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Float || raw instanceof Short
                || raw instanceof Byte) {
            return ((Number) raw).doubleValue();
        }
        throw NotCompiled.INSTANCE;
    }
}
