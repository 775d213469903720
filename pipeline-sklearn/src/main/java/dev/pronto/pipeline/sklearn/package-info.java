/**
 * The {@code sklearn} pipeline format: scikit-learn pickles converted to PMML at load time with
 * JPMML-SkLearn, then served by the built-in PMML pipeline. Registered through
 * {@code META-INF/services}; applications configure it with {@code pipeline.sklearn.*} keys (see
 * {@link dev.pronto.pipeline.sklearn.SkLearnPipelineProvider}) and do not use its classes directly.
 */
package dev.pronto.pipeline.sklearn;
