/**
 * The built-in {@code pmml} pipeline format, on jpmml-evaluator. Registered through
 * {@code META-INF/services}; applications do not use these classes directly.
 */
package dev.pronto.inference.pmml;
