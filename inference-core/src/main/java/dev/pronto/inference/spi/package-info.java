/**
 * Service-provider interfaces: where models are stored ({@link dev.pronto.inference.spi.StorageProvider},
 * {@link dev.pronto.inference.spi.Storage}) and how a stored model becomes something that scores
 * records ({@link dev.pronto.inference.spi.PipelineProvider}, {@link dev.pronto.inference.spi.Pipeline}).
 *
 * <p>Providers are found with {@link java.util.ServiceLoader} or passed to
 * {@link dev.pronto.inference.InferenceEngine.Builder} explicitly. Each type documents its lifecycle,
 * thread safety and exceptions. New capabilities are added as {@code default} methods.
 */
package dev.pronto.inference.spi;
