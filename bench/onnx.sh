#!/usr/bin/env bash
# Per-record CPU cost of Pronto's ONNX path beside raw ONNX Runtime (Java) and Python's onnxruntime, on the
# corpus's iris MLP, batches of 1 and 100, one after the other in one run (docs/onnx.md, "Figures"). When the
# python has the onnx package too, both also run an identity model: the fixed cost of a run computing nothing.
# Needs: ./mvnw -q -pl inference-benchmarks -am package -DskipTests, and a python3 with onnxruntime and numpy
# (PYTHON=/path/to/venv/bin/python).  usage: bench/onnx.sh [rounds] [recordsPerRound]
# JAVA_OPTS (default: a 1 GB heap, committed and touched at start, as a server's is) so that the page faults of a
# heap still growing, which a short run is full of, are not counted as the cost of allocating.
set -euo pipefail
cd "$(dirname "$0")/.."
case_dir=pipeline-onnx/src/test/resources/onnx/conformance/onnx-IrisTorchProbabilities
rounds=${1:-10}
per_round=${2:-20000}
python=${PYTHON:-python3}
scratch=$(mktemp -d /tmp/pronto-onnx-bench.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
identity=()
if "$python" -c 'import onnx' 2> /dev/null; then
    "$python" bench/onnx_python.py --make-identity "$scratch/identity.onnx"
    identity=("$scratch/identity.onnx")
fi
# shellcheck disable=SC2086
java ${JAVA_OPTS:--Xms1g -Xmx1g -XX:+AlwaysPreTouch} -cp inference-benchmarks/target/benchmarks.jar dev.pronto.benchmarks.OnnxCpuComparison \
    "$case_dir/model.onnx" "$case_dir/input.csv" "$rounds" "$per_round" "${identity[@]}"
"$python" bench/onnx_python.py "$case_dir/model.onnx" "$case_dir/input.csv" "$rounds" "$per_round" "${identity[@]}"
