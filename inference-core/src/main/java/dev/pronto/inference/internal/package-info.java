/**
 * Implementation details of the engine: model cache, provider index, configuration reading.
 * Not an API: anything here may change without notice.
 */
package dev.pronto.inference.internal;
