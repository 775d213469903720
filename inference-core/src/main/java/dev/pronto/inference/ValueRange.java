package dev.pronto.inference;

/**
 * An interval of valid values of a continuous input field. An absent bound is unbounded.
 *
 * @param lower the lower bound, or {@code null} if unbounded below
 * @param lowerClosed whether the lower bound itself is valid
 * @param upper the upper bound, or {@code null} if unbounded above
 * @param upperClosed whether the upper bound itself is valid
 */
public record ValueRange(Double lower, boolean lowerClosed, Double upper, boolean upperClosed) {

    /** Whether {@code value} lies in this range. */
    public boolean contains(double value) {
        boolean aboveLower = lower == null || (lowerClosed ? value >= lower : value > lower);
        boolean belowUpper = upper == null || (upperClosed ? value <= upper : value < upper);
        return aboveLower && belowUpper;
    }

    @Override
    public String toString() {
        return (lower == null ? "(-inf" : (lowerClosed ? "[" : "(") + lower) + ", "
                + (upper == null ? "+inf)" : upper + (upperClosed ? "]" : ")"));
    }
}
