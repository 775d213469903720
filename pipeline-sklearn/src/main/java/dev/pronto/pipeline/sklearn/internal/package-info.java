/**
 * Not API: JPMML-SkLearn converters adapted to the pmml-model version that jpmml-evaluator needs.
 * Public only because the unpickler instantiates them by reflection.
 */
package dev.pronto.pipeline.sklearn.internal;
