#!/usr/bin/env bash
# Server CPU per Open Inference Protocol (V2) request, for two builds of the server back to back: the
# same 100-row request (one tensor per field) to the bundled iris PMML model and to the iris MLP
# (ONNX), with all outputs and with only the predicted value and the probabilities. Both servers run
# at once and are warmed up first; then each round measures every model and variant on one build
# right after the other (the order flips every round), so that the machine's changing load falls on
# both alike. A server's own user+system CPU time over a fixed wrk run, divided by the requests it
# answered, moves far less with the machine's other load than requests/s do. The answers of the two
# builds are compared byte for byte. See docs/performance.md, "The three protocols side by side".
#
#   BEFORE=/tmp/before.jar AFTER=inference-server/target/pronto-server.jar bench/v2cpu.sh
#
# Environment (optional): ROUNDS (5), RECORDS (100), WARMUP (10s), DURATION (5s), CONNECTIONS (4; wrk
# runs 1 thread). Needs wrk, curl and python3. Servers listen on 127.0.0.1 and are stopped by their PID.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BEFORE=${BEFORE:?BEFORE=<jar of the build before>}
AFTER=${AFTER:-$ROOT/inference-server/target/pronto-server.jar}
ROUNDS=${ROUNDS:-5}
RECORDS=${RECORDS:-100}
WARMUP=${WARMUP:-10s}
DURATION=${DURATION:-5s}
CONNECTIONS=${CONNECTIONS:-4}
SCRATCH=$(mktemp -d /tmp/pronto-v2cpu.XXXXXX)
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

printf '[Models]\niris = iris/model.pmml\niris_mlp = iris/mlp.onnx\n' > "$SCRATCH/pronto.properties"
python3 - "$SCRATCH" "$RECORDS" <<'PY'
import json, os, sys
folder, n = sys.argv[1], int(sys.argv[2])
names = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
rows = [[5.1, 3.5, 1.4, 0.2], [4.9, 3.0, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3], [5.9, 3.0, 4.2, 1.5]]
data = [rows[i % len(rows)] for i in range(n)]
for model, datatype in (("iris", "FP64"), ("iris_mlp", "FP32")):
    inputs = [{"name": f, "shape": [n], "datatype": datatype, "data": [r[i] for r in data]} for i, f in enumerate(names)]
    with open(os.path.join(folder, model + "-all.body"), "w") as out:
        json.dump({"inputs": inputs}, out)
    with open(os.path.join(folder, model + "-inputs.json"), "w") as out:
        json.dump(inputs, out)
PY

# ticks PID: user+system clock ticks the process has used so far
ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }

declare -A PIDS PORTS
stop_all() { for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; }
trap stop_all EXIT INT TERM

start() { # build jar
    local port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    java -jar "$2" --host 127.0.0.1 --port "$port" --config "$SCRATCH/pronto.properties" \
        --model-root "$ROOT/examples/models" > "$SCRATCH/server-$1.log" 2>&1 &
    PIDS[$1]=$!
    PORTS[$1]=$port
    SERVER_PID=$!
    wait_for "http://127.0.0.1:$port/ping" 120 || { log "$1 did not start"; cat "$SCRATCH/server-$1.log" >&2; exit 1; }
}

# the selected outputs: the predicted value (the first output) and the probabilities, named by the metadata
bodies() { # build
    local model
    for model in iris iris_mlp; do
        curl -fs "http://127.0.0.1:${PORTS[$1]}/v2/models/$model" > "$SCRATCH/$model.meta"
        python3 - "$SCRATCH" "$model" <<'PY'
import json, os, sys
folder, model = sys.argv[1], sys.argv[2]
meta = json.load(open(os.path.join(folder, model + ".meta")))
inputs = json.load(open(os.path.join(folder, model + "-inputs.json")))
outputs = [{"name": meta["outputs"][0]["name"]}, {"name": "probabilities"}]
json.dump({"inputs": inputs, "outputs": outputs}, open(os.path.join(folder, model + "-selected.body"), "w"))
PY
    done
}

run() { # build model variant seconds -> wrk's RESULT line
    BODY=$SCRATCH/$2-$3.body wrk -t1 -c"$CONNECTIONS" -d"$4" -s "$ROOT/bench/post.lua" \
        "http://127.0.0.1:${PORTS[$1]}/v2/models/$2/infer" | grep '^RESULT'
}

RESULTS=$SCRATCH/results.tsv
: > "$RESULTS"
HZ=$(getconf CLK_TCK)
log "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
start before "$BEFORE"
start after "$AFTER"
bodies after
for build in before after; do
    for model in iris iris_mlp; do
        for variant in all selected; do
            curl -fs -H 'Content-Type: application/json' --data-binary @"$SCRATCH/$model-$variant.body" \
                "http://127.0.0.1:${PORTS[$build]}/v2/models/$model/infer" > "$SCRATCH/$build-$model-$variant.answer"
            run "$build" "$model" "$variant" "$WARMUP" > /dev/null
        done
    done
done
for round in $(seq 1 "$ROUNDS"); do
    for model in iris iris_mlp; do
        for variant in all selected; do
            order="before after"
            [ $((round % 2)) -eq 0 ] && order="after before"
            for build in $order; do
                t0=$(ticks "${PIDS[$build]}")
                line=$(run "$build" "$model" "$variant" "$DURATION")
                t1=$(ticks "${PIDS[$build]}")
                python3 - "$build" "$model" "$variant" "$line" "$((t1 - t0))" "$HZ" <<'PY' | tee -a "$RESULTS" >&2
import sys
build, model, variant, line, ticks, hz = sys.argv[1:7]
f = dict(kv.split("=") for kv in line.split()[1:])
requests = int(f["requests"])
print("%s\t%s\t%s\t%d\t%.0f\t%.1f\t%s" % (build, model, variant, requests, requests / (int(f["duration_us"]) / 1e6),
      int(ticks) / int(hz) * 1e6 / requests, f["non2xx"]))
PY
            done
        done
    done
done
for model in iris iris_mlp; do
    for variant in all selected; do
        cmp -s "$SCRATCH/before-$model-$variant.answer" "$SCRATCH/after-$model-$variant.answer" \
            || log "answers differ between builds: $model $variant (see $SCRATCH)"
    done
done
log "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$RESULTS" "$RECORDS" <<'PY'
import collections, statistics, sys
rows = [line.split("\t") for line in open(sys.argv[1]) if line.strip()]
cpu = collections.defaultdict(list)
rps = collections.defaultdict(list)
for build, model, variant, requests, rate, us, non2xx in rows:
    assert non2xx.strip() == "0", "non-2xx answers: %s" % (rows,)
    cpu[(model, variant, build)].append(float(us))
    rps[(model, variant, build)].append(float(rate))
print("| model | outputs | records | server CPU µs/request, before (rounds) | after (rounds) | after / before | req/s before / after |")
print("|---|---|---:|---|---|---:|---|")
for model in ("iris", "iris_mlp"):
    for variant in ("all", "selected"):
        b, a = cpu[(model, variant, "before")], cpu[(model, variant, "after")]
        print("| %s | %s | %s | **%.0f** (%s) | **%.0f** (%s) | **%.2f** | %.0f / %.0f |" % (
            model, variant, sys.argv[2], statistics.median(b), ", ".join("%.0f" % x for x in b),
            statistics.median(a), ", ".join("%.0f" % x for x in a), statistics.median(a) / statistics.median(b),
            statistics.median(rps[(model, variant, "before")]), statistics.median(rps[(model, variant, "after")])))
PY
