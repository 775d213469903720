#!/usr/bin/env bash
# Runs the shaded job jar as spark-submit would, without a Spark installation: Spark's own jars (the
# module's provided dependencies) first on the class path, the shaded jar after them, Spark's Java 17
# options, local[N]. Prints the job's line: rows, seconds, rows/s, Spark session start-up.
#   inference-spark/bench/run-local.sh INPUT.csv OUTPUT_DIR [local[2]] [MODEL_ROOT] [MODEL]
# Needs: ./mvnw -pl inference-spark -am package -DskipTests (the shaded jar).
set -euo pipefail
cd "$(dirname "$0")/../.."
input=$1 output=$2 master=${3:-local[2]} root=${4:-examples/models} model=${5:-iris/model.pmml}
# Spark's jars as a Spark distribution has them (spark-sql's own tree, without our version pins): the
# module's pom copies them into target/spark-home/jars before its integration tests, from src/test/spark-home
jars=inference-spark/target/spark-home/jars
if [[ ! -d $jars ]]; then
  spark_version=$(sed -n 's:.*<spark.version>\(.*\)</spark.version>.*:\1:p' inference-spark/pom.xml)
  ./mvnw -q -f inference-spark/src/test/spark-home/pom.xml -Dspark.version="$spark_version" \
    -DoutputDirectory="$PWD/$jars" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies
fi
jar=$(ls inference-spark/target/inference-spark-*-spark.jar)
# the options of the module's surefire argLine, which spark-submit would add
opens=$(sed -n '/<spark.java.options>/,/<\/spark.java.options>/p' inference-spark/pom.xml | sed 's/<[^>]*>//g')
# shellcheck disable=SC2086
exec java $opens -Xmx2g -Dspark.master="$master" -Dspark.ui.enabled=false -Dspark.driver.host=127.0.0.1 \
  -Dspark.driver.bindAddress=127.0.0.1 -Dspark.pronto.storage.nas.root="$(realpath "$root")" \
  -Dspark.pronto.cache.revalidate-interval=0 \
  -cp "$jars/*:$jar" dev.pronto.inference.spark.ScoreJob \
  --model "$model" --input "$input" --output "$output" --overwrite
