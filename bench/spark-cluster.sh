#!/usr/bin/env bash
# Scores N iris rows (default 1,000,000) with the shaded inference-spark jar under spark-submit on a Spark
# standalone cluster on this machine: a master, one worker (2 cores, 2 GB) and the executor JVM it starts,
# every JVM started with the command line Spark's launcher prints (SparkCluster, the plumbing of
# SparkClusterIT), from Spark's jars copied from Maven Central into inference-spark/target/spark-home.
# Prints ScoreJob's line (rows, seconds, rows/s, session start-up) and the cluster's and submission's times.
#   bench/spark-cluster.sh [ROWS]
# One machine, one worker: a standalone cluster's processes and code path, not YARN or Kubernetes.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
work=$(mktemp -d /tmp/pronto-spark-cluster.XXXXXX)
# the shaded jar, the test classes (SparkCluster) and target/spark-home, without running any test
./mvnw -q -pl inference-spark -am verify -DskipTests -Djacoco.skip=true -Dmaven.javadoc.skip=true -Dmaven.source.skip=true
python3 inference-spark/bench/iris-rows.py "$rows" "$work/iris.csv"
jar=$(ls inference-spark/target/inference-spark-*-spark.jar)
# iris-rows.py writes the column names of examples/models/iris (sepal_length, ...)
time java -cp inference-spark/target/test-classes dev.pronto.inference.spark.SparkClusterBench \
  inference-spark/target/spark-home "$jar" examples/models iris/model.pmml "$work/iris.csv" "$work/scored.parquet" "$work/cluster"
