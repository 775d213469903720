/**
 * Records read from CSV and JSON Lines and predictions written back in either format, for scoring
 * files and streams: the HTTP server's {@code text/csv} and {@code application/jsonlines} bodies,
 * the {@code pronto score} command and the Spark scorer share these classes, so a row gets the same
 * values whichever way it arrives.
 *
 * <p>Everything here works on streams the caller opens and closes; nothing reads files or the
 * environment. Readers and writers are not thread-safe: one per stream.
 */
package dev.pronto.inference.batch;
