/**
 * Service-provider interfaces: where models are stored ({@link dev.pronto.inference.spi.StorageProvider},
 * {@link dev.pronto.inference.spi.Storage}) and how a stored model becomes something that scores
 * records ({@link dev.pronto.inference.spi.PipelineProvider}, {@link dev.pronto.inference.spi.Pipeline}).
 *
 * <p>Providers are found with {@link java.util.ServiceLoader} or passed to
 * {@link dev.pronto.inference.InferenceEngine.Builder} explicitly. Each type documents its lifecycle,
 * thread safety and exceptions. New capabilities are added as {@code default} methods.
 *
 * <p>This package holds contracts only. Helpers a provider may use (typed configuration reads,
 * allow-lists, checksums, atomic writes) are in {@link dev.pronto.inference.toolkit}; what the engine
 * adds around a provider by configuration, such as the local file cache, is internal to the engine.
 */
package dev.pronto.inference.spi;
