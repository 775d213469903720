/**
 * Scoring Spark datasets with Pronto: {@link dev.pronto.inference.spark.ProntoScorer} adds a model's
 * prediction and probability columns to a {@code Dataset<Row>}, scoring in batches inside
 * {@code mapPartitions} with one engine per executor JVM, and
 * {@link dev.pronto.inference.spark.ScoreJob} is a ready job for {@code spark-submit}.
 *
 * <p>Spark, Scala and Hadoop are provided by the cluster; the engine's configuration travels with the
 * job in {@link dev.pronto.inference.spark.ScoringOptions}. Nothing here reads files or the environment
 * except {@code ScoreJob}, an application, which reads Spark's own properties.
 */
package dev.pronto.inference.spark;
