/**
 * The {@code onnx} pipeline format: neural networks and other models exported to ONNX, scored with
 * ONNX Runtime. Registered through {@link java.util.ServiceLoader}; applications use it through the
 * engine, never directly. The conventions a model must follow are in {@code docs/onnx.md}.
 */
package dev.pronto.pipeline.onnx;
