package dev.pronto.inference.pmml.compiled;

/**
 * Signals, while scoring, a record the compiled code must hand to jpmml. One shared instance without
 * a stack trace: it is control flow on the hot path, caught by the scorer that threw it.
 */
final class NotCompiled extends RuntimeException {

    static final NotCompiled INSTANCE = new NotCompiled();

    private NotCompiled() {
        super("record left to jpmml", null, false, false);
    }

    /** Every computed value is checked: jpmml's handling of non-finite values is left to jpmml. */
    static double finite(double value) {
        if (!Double.isFinite(value)) {
            throw INSTANCE;
        }
        return value;
    }
}
