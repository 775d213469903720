package dev.pronto.inference.spi;

/**
 * A capability of a {@link Pipeline} that scores a PMML document it made by converting the stored
 * model from another format (a scikit-learn pickle, for instance), so that operators can inspect
 * what is actually scored. The engine offers the document through
 * {@link dev.pronto.inference.InferenceEngine#convertedPmml(String)}; a pipeline whose stored model
 * is itself the document does not implement this.
 *
 * <p>Thread-safe, like the pipeline that implements it.
 */
public interface ConvertedModel {

    /** The UTF-8 encoded PMML document the pipeline evaluates, as a fresh copy on every call. */
    byte[] convertedPmml();
}
