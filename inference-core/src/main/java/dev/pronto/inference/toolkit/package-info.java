/**
 * Helpers for provider authors: typed configuration reads ({@link dev.pronto.inference.toolkit.ProviderProperties}),
 * allow-lists of buckets or containers ({@link dev.pronto.inference.toolkit.AllowList}), bounded reads
 * ({@link dev.pronto.inference.toolkit.BoundedInputStream}), checksums ({@link dev.pronto.inference.toolkit.Checksums})
 * and atomic file writes ({@link dev.pronto.inference.toolkit.AtomicFiles}).
 *
 * <p>These are implementations, not contracts: a provider may use them or not, and the engine never
 * asks whether it did. The contracts a provider implements live in {@link dev.pronto.inference.spi}.
 * Every type documents its thread safety; the static helpers are stateless.
 */
package dev.pronto.inference.toolkit;
