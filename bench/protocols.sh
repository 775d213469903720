#!/usr/bin/env bash
# The same iris records through the three protocols of one running server, in one run:
# POST /invocations, POST /v2/models/iris/infer (one tensor per field) and POST /v1/models/iris:predict
# (instances as arrays), and /invocations again with a text/csv and an application/jsonlines body
# (model named by the query; JSON answer), for 2 and 100 records each, so that the protocols' costs can be compared by
# ratio (absolute numbers move with the machine's other load). See docs/performance.md.
#
#   ./mvnw -q -pl inference-server -am package -DskipTests && bench/protocols.sh
#
# Environment (optional): WARMUP (10s), DURATION (10s), CONNECTIONS (16; wrk runs 1 thread), RECORDS ("2 100").
# Needs wrk, curl and python3. The server listens on 127.0.0.1 only and is stopped by its PID.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=$ROOT/inference-server/target/pronto-server.jar
WARMUP=${WARMUP:-10s}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
RECORDS=${RECORDS:-2 100}
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
SCRATCH=$(mktemp -d /tmp/pronto-protocols.XXXXXX)
[ -f "$JAR" ] || { echo "bench/protocols.sh: build $JAR first" >&2; exit 1; }

printf '[Models]\niris = iris/model.pmml\n' > "$SCRATCH/pronto.properties"
java -jar "$JAR" --host 127.0.0.1 --port "$PORT" --config "$SCRATCH/pronto.properties" \
    --model-root "$ROOT/examples/models" > "$SCRATCH/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill -TERM $SERVER_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do
    curl -fs "http://127.0.0.1:$PORT/ping" > /dev/null 2>&1 && break
    sleep 0.2
done

python3 - "$SCRATCH" $RECORDS <<'PY'
import csv, json, os, sys
folder, counts = sys.argv[1], [int(n) for n in sys.argv[2:]]
names = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
rows = [[5.1, 3.5, 1.4, 0.2], [2.1, 5.5, 6.4, 0.2], [6.7, 3.0, 5.2, 2.3], [5.9, 3.0, 4.2, 1.5]]
for n in counts:
    data = [rows[i % len(rows)] for i in range(n)]
    bodies = {
        "invocations": {"payload": [dict(zip(names, r)) for r in data], "pipelineFilename": "iris",
                        "implementation": "Logistic Regression"},
        # the outputs /invocations answers with: the predicted class and the probabilities
        "v2": {"inputs": [{"name": f, "shape": [n], "datatype": "FP64", "data": [r[i] for r in data]}
                          for i, f in enumerate(names)],
               "outputs": [{"name": "species"}, {"name": "probabilities"}]},
        "v1": {"instances": data},
    }
    for protocol, body in bodies.items():
        with open(os.path.join(folder, "%s-%d.body" % (protocol, n)), "w") as out:
            json.dump(body, out)
    with open(os.path.join(folder, "csv-%d.body" % n), "w") as out:
        out.write(",".join(names) + "\n" + "".join(",".join(map(str, r)) + "\n" for r in data))
    with open(os.path.join(folder, "jsonl-%d.body" % n), "w") as out:
        out.write("".join(json.dumps(dict(zip(names, r))) + "\n" for r in data))
PY

path() {
    case $1 in
        invocations) echo /invocations ;;
        v2) echo /v2/models/iris/infer ;;
        v1) echo /v1/models/iris:predict ;;
        csv | jsonl) echo '/invocations?pipelineFilename=iris' ;;
    esac
}
content_type() {
    case $1 in
        csv) echo text/csv ;;
        jsonl) echo application/jsonlines ;;
        *) echo application/json ;;
    esac
}
printf '| protocol | records | requests/s | records/s | p50 ms | p99 ms | socket errors | non-2xx | response bytes |\n|---|---|---|---|---|---|---|---|---|\n'
for n in $RECORDS; do
    for protocol in invocations v2 v1 csv jsonl; do
        url="http://127.0.0.1:$PORT$(path $protocol)"
        body=$SCRATCH/$protocol-$n.body
        export CONTENT_TYPE
        CONTENT_TYPE=$(content_type $protocol)
        curl -fs -H "Content-Type: $CONTENT_TYPE" --data-binary @"$body" "$url" > /dev/null
        BODY=$body wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" -s "$ROOT/bench/post.lua" "$url" > /dev/null
        line=$(BODY=$body wrk -t1 -c"$CONNECTIONS" -d"$DURATION" -s "$ROOT/bench/post.lua" "$url" | grep '^RESULT')
        bytes=$(curl -s -H "Content-Type: $CONTENT_TYPE" --data-binary @"$body" "$url" | wc -c)
        python3 - "$protocol" "$n" "$line" "$bytes" <<'PY'
import sys
protocol, n, line, size = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
f = dict(kv.split("=") for kv in line.split()[1:])
rps = int(f["requests"]) / (int(f["duration_us"]) / 1e6)
print("| %s | %d | %.0f | %.0f | %.2f | %.2f | %s | %s | %d |" % (protocol, n, rps, rps * n, int(f["p50_us"]) / 1000,
      int(f["p99_us"]) / 1000, f["socket_errors"], f["non2xx"], size))
PY
    done
done
