#!/usr/bin/env bash
# Compiled trees over HTTP against jpmml in a bare handler (issue 19, target 1): for every tree-ensemble
# classifier of the conformance corpus (or the cases given), bench/run.sh with pronto-tree and the peer
# kit's naive-tree side by side on that case's own input rows, 100 records per request; then one table
# of req/s and the ratio per case. naive-tree serves classifiers only, so regressions are left out.
#
#   bench/trees.sh                                  every tree-ensemble classifier, one round each
#   ROUNDS=3 bench/trees.sh sklearn-RandomForestIris xgboost-MultinomialClassificationIris
#
# Environment: as bench/run.sh (WARMUP 10s and DURATION 8s by default here; PEERS defaults to
# ../shared/bench). Builds once, then runs with SKIP_BUILD=1.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
CORPUS=$ROOT/inference-core/src/test/resources/conformance/cases
export PEERS=${PEERS:-$(cd "$ROOT/.." && pwd)/shared/bench}
export WARMUP=${WARMUP:-10s} DURATION=${DURATION:-8s} RECORDS=100 MEMORY=0 SERVERS="naive-tree pronto-tree"
cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
    for dir in "$CORPUS"/*/; do
        model=$dir/model.pmml
        [ -f "$model" ] && grep -q -E '<(MiningModel|TreeModel)' "$model" \
            && grep -m1 -o -E 'functionName="[a-z]+"' "$model" | grep -q classification \
            && cases+=("$(basename "$dir")")
    done
fi
out=$(mktemp -d /tmp/pronto-trees.XXXXXX)
[ "${SKIP_BUILD:-0}" = 1 ] || ./mvnw -q -B -pl inference-server,inference-benchmarks -am package -DskipTests > "$out/build.log"
first=1
for case in "${cases[@]}"; do
    echo "[$(date +%T)] $case" >&2
    # the first run records ./pronto's archive for this jar; the others use it
    TRAIN=$first SKIP_BUILD=1 TREE_CASE=$case bench/run.sh > "$out/$case.txt" 2>&1 || echo "$case: bench/run.sh failed, see $out/$case.txt" >&2
    first=0
done
echo "| case | naive-tree req/s | pronto-tree req/s | pronto / naive | server CPU µs/req naive / pronto |"
echo "|---|---:|---:|---:|---|"
for case in "${cases[@]}"; do
    python3 - "$out/$case.txt" "$case" <<'PY'
import re, sys
rows = {}
for line in open(sys.argv[1]):
    cells = [c.strip() for c in line.split("|")]
    if len(cells) > 9 and cells[1] in ("naive-tree", "pronto-tree") and cells[2] == "100":
        rows[cells[1]] = (float(cells[3]), cells[8])
if len(rows) == 2:
    (n, nc), (p, pc) = rows["naive-tree"], rows["pronto-tree"]
    print(f"| {sys.argv[2]} | {n:.0f} | {p:.0f} | {p / n:.2f} | {nc} / {pc} |")
else:
    print(f"| {sys.argv[2]} | - | - | - | not measured (see the log) |")
PY
done
echo "logs: $out" >&2
