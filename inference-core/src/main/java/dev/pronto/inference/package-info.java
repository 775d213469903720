/**
 * Pronto's public API: {@link dev.pronto.inference.InferenceEngine} scores records with models read
 * from configured storage and returns plain Java values ({@link dev.pronto.inference.Prediction},
 * {@link dev.pronto.inference.ModelSchema}, {@link dev.pronto.inference.ModelInfo}).
 *
 * <p>Values are immutable records; the engine is thread-safe and meant to be shared. Failures are
 * {@link dev.pronto.inference.InferenceException}s carrying an {@link dev.pronto.inference.ErrorCategory}.
 * No type of the underlying evaluator (jpmml) appears in this package.
 */
package dev.pronto.inference;
