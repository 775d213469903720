/**
 * Pronto's public API: {@link dev.pronto.inference.InferenceEngine} scores records with models read
 * from configured storage and returns plain Java values ({@link dev.pronto.inference.Prediction},
 * {@link dev.pronto.inference.ModelSchema}, {@link dev.pronto.inference.ModelInfo}); a batch held by
 * column scores as {@link dev.pronto.inference.Columns} and answers as a
 * {@link dev.pronto.inference.BatchPrediction}.
 *
 * <p>Values are immutable records; the engine is thread-safe and meant to be shared. Failures are
 * {@link dev.pronto.inference.InferenceException}s carrying an {@link dev.pronto.inference.ErrorCategory}.
 * No type of the underlying evaluator (jpmml) appears in this package.
 *
 * <h2>The engine's configuration keys</h2>
 * <ul>
 *   <li>{@code cache.max-models} (default 20): models kept in memory, least recently used evicted;</li>
 *   <li>{@code cache.max-weight} (default: no bound): estimated bytes of heap the models in memory
 *       may take, least recently used evicted; a model weighs the heap its pipeline was measured
 *       to take when it loaded (memory outside the Java heap, such as ONNX Runtime's, is not counted);</li>
 *   <li>{@code cache.revalidate-interval} (default {@code 10s}): how often a loaded model is checked
 *       for a newer stored version, in the background; {@code 0} turns checks off;</li>
 *   <li>{@code model.max-bytes} (default 268435456, 256 MiB): the largest model file read;</li>
 *   <li>{@code model.failed-load-backoff} (default {@code 30s}): how long a stored version of a model
 *       that failed to load as invalid is refused with the same error, without reading it again; a
 *       changed file is tried at once; {@code 0} tries every time.</li>
 * </ul>
 */
package dev.pronto.inference;
