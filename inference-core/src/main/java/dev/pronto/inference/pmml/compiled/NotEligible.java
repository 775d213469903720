package dev.pronto.inference.pmml.compiled;

/** Signals, while compiling, a model part the compiled code does not mirror; the message says which. */
final class NotEligible extends RuntimeException {

    NotEligible(String message) {
        super(message, null, false, false);
    }

    static void require(boolean condition, String reason) {
        if (!condition) {
            throw new NotEligible(reason);
        }
    }
}
