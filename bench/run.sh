#!/usr/bin/env bash
# Side-by-side load test: Pronto against the HTTP floor (and, when a peer kit is given, its
# naive-java and Python servers), in one run on this machine, so that ratios can be read even when
# absolute numbers move with other load. See docs/performance.md.
#
#   bench/run.sh                         build, then floor and Pronto, 2- and 100-record requests, 1 round
#   ROUNDS=3 bench/run.sh                the whole sequence 3 times; the table shows medians
#   PEERS=/path/to/shared/bench bench/run.sh   also the peers of that kit (naive-java; Python ones when installed)
#   SERVERS="pronto pronto-nometrics pronto-jsonlogs" bench/run.sh   the observability overhead (issue 14):
#                                        the same server with [Metrics] enabled = false, and with
#                                        [Logs] log_format = json; neither is in the default SERVERS
#   BEFORE=/path/to/checkout AFTER=/path/to/other SERVERS="floor pronto-before pronto-after" bench/run.sh
#                                        two builds of Pronto side by side (each checkout's ./pronto,
#                                        built there beforehand), for an issue's before/after figure
#
# Environment (all optional): ROUNDS (1), WARMUP (15s), DURATION (10s), CONNECTIONS (16; wrk runs
# 1 thread), RECORDS ("2 100"), SERVERS ("floor pronto pronto-onnx pronto-tree", plus "naive-java naive-tree
# flask-dev gunicorn-sync gunicorn-gthread" with PEERS; pronto-tree and naive-tree serve the tree-ensemble
# corpus case TREE_CASE (sklearn-GradientBoostingIris) with requests made of its own input rows; the Python ones need Debian's /usr/bin/python3 with Flask,
# scikit-learn and joblib, and /usr/bin/gunicorn), JAVA (java on PATH) for every Java server,
# PRONTO_JAVA_OPTS (JVM options for Pronto), SKIP_BUILD=1 to use the jars as they are, TRAIN=0 to skip the
# training run (when ./pronto's archive is already recorded for this jar), MEMORY=0 to
# skip the RSS figures. Every server listens on 127.0.0.1 only and is stopped by its PID.
# Needs wrk (Debian package), curl and python3.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

JAVA=${JAVA:-java}
WARMUP=${WARMUP:-15s}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
ROUNDS=${ROUNDS:-1}
RECORDS=${RECORDS:-2 100}
MEMORY=${MEMORY:-1}
PEERS=${PEERS:-}
DEFAULT_SERVERS="floor pronto pronto-onnx pronto-tree"
[ -n "$PEERS" ] && DEFAULT_SERVERS="floor pronto pronto-onnx pronto-tree naive-java naive-tree flask-dev gunicorn-sync gunicorn-gthread"
SERVERS=${SERVERS:-$DEFAULT_SERVERS}
BENCH_JAR=$ROOT/inference-benchmarks/target/benchmarks.jar
MODEL=iris/model.pmml
CORPUS=$ROOT/inference-core/src/test/resources/conformance/cases
TREE_CASE=${TREE_CASE:-sklearn-GradientBoostingIris}
PORT=18280

for tool in wrk curl python3; do
    command -v "$tool" > /dev/null || { echo "bench/run.sh: $tool is not installed (wrk: apt-get install wrk)" >&2; exit 1; }
done

SCRATCH=$(mktemp -d /tmp/pronto-bench.XXXXXX)
RESULTS=$SCRATCH/results.tsv
: > "$RESULTS"
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
trap stop_server EXIT INT TERM

# cpu_ticks PID: user+system clock ticks used so far by PID and its descendants (gunicorn's workers)
cpu_ticks() {
    local pids=$1 all="" p
    while [ -n "$pids" ]; do
        all="$all $pids"
        pids=$(for p in $pids; do pgrep -P "$p" || true; done | tr '\n' ' ' | sed 's/ *$//')
    done
    for p in $all; do sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13}'; done \
        | awk '{t += $1} END {print t + 0}'
}

# busy_ticks: clock ticks all CPUs spent busy or stolen by the hypervisor so far
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }

# pronto ARGS: ./pronto with the chosen java first on PATH and PRONTO_JAVA_OPTS; it execs java, so $! is the JVM.
# CHECKOUT (default: this one) names the checkout whose ./pronto and jar run.
pronto() {
    local java_dir
    java_dir=$(dirname "$(command -v "$JAVA")")
    PATH=$java_dir:$PATH JAVA_OPTS=${PRONTO_JAVA_OPTS:-} exec "${CHECKOUT:-$ROOT}/pronto" "$@"
}

build() {
    if [ "${SKIP_BUILD:-0}" != 1 ]; then
        log "building the server and the floor (./mvnw package -DskipTests)"
        ./mvnw -q -B -pl inference-server,inference-benchmarks -am package -DskipTests > "$SCRATCH/build.log" 2>&1 \
            || { cat "$SCRATCH/build.log" >&2; exit 1; }
    fi
    if [ -n "$PEERS" ]; then
        log "building the peer kit's Java servers (mvn)"
        rm -rf "$SCRATCH/peers" && cp -r "$PEERS" "$SCRATCH/peers"
        mvn -q -B -f "$SCRATCH/peers/http-floor/pom.xml" package dependency:build-classpath \
            -Dmdep.outputFile=target/classpath.txt >> "$SCRATCH/build.log" 2>&1 || { cat "$SCRATCH/build.log" >&2; exit 1; }
    fi
}

# bodies: the seed's 2-record request, and n distinct Iris rows for any other count; for the tree
# servers, the tree case's own input rows; its model is copied to tree-models/tree.pmml for both servers
make_bodies() {
    python3 "$ROOT/bench/bodies.py" "$SCRATCH" $RECORDS
    mkdir -p "$SCRATCH/tree-models"
    cp "$CORPUS/$TREE_CASE/model.pmml" "$SCRATCH/tree-models/tree.pmml"
    python3 "$ROOT/bench/bodies.py" --tree "$CORPUS/$TREE_CASE/input.csv" "$SCRATCH" $RECORDS
}

# check URL BODY N: the answer is 200 with N predictions and N probability rows
check() {
    curl -fs -H 'Content-Type: application/json' --data-binary @"$2" "$1" | python3 -c '
import json, sys
n = int(sys.argv[1]); a = json.load(sys.stdin)
ok = len(a["predictions"]) == n and len(a["predictions_prob"]) == n and all(abs(sum(p) - 1) < 1e-6 for p in a["predictions_prob"])
print("ok" if ok else "bad answer")' "$3" 2>/dev/null || echo "no answer"
}

# start NAME: starts a server in the background; sets SERVER_PID, URL, BODY_SUFFIX, READY_MS
start() {
    local name=$1 out=$SCRATCH/$1.log t0 cp
    free_port
    URL=http://127.0.0.1:$PORT/invocations BODY_SUFFIX=peer
    local ping=http://127.0.0.1:$PORT/ping
    t0=$(date +%s%N)
    case $name in
        floor) "$JAVA" -cp "$BENCH_JAR" dev.pronto.benchmarks.http.FloorServer "$PORT" > "$out" 2>&1 & ;;
        pronto|pronto-nometrics|pronto-jsonlogs)
            # the bundled model configured by name, so that it is loaded before /ping says ready
            printf '[Models]\niris = %s\n' "$MODEL" > "$SCRATCH/$name.properties"
            # the variants differ from pronto in one setting each: no meters and no /metrics, or JSON log
            # lines (application and access) on the same console channel instead of text
            case $name in
                pronto-nometrics) printf '[Metrics]\nenabled = false\n' >> "$SCRATCH/$name.properties" ;;
                pronto-jsonlogs) printf '[Logs]\nlog_format = json\n' >> "$SCRATCH/$name.properties" ;;
            esac
            # started as users start it, by ./pronto (which maps its class-data sharing archive)
            pronto --host 127.0.0.1 --port "$PORT" --config "$SCRATCH/$name.properties" \
                --model-root "$ROOT/examples/models" > "$out" 2>&1 &
            BODY_SUFFIX=pmml ;;
        pronto-before|pronto-after)
            # another checkout's build on the bundled model, started as pronto is (its own ./pronto)
            local checkout=$BEFORE
            [ "$name" = pronto-after ] && checkout=$AFTER
            [ -n "$checkout" ] && [ -f "$checkout/inference-server/target/pronto-server.jar" ] || return 1
            printf '[Models]\niris = %s\n' "$MODEL" > "$SCRATCH/$name.properties"
            CHECKOUT=$checkout pronto --host 127.0.0.1 --port "$PORT" --config "$SCRATCH/$name.properties" \
                --model-root "$ROOT/examples/models" > "$out" 2>&1 &
            BODY_SUFFIX=pmml ;;
        pronto-onnx)
            # the same server scoring the iris MLP (docs/onnx.md) instead of the PMML model
            printf '[Models]\niris_mlp = iris/mlp.onnx\n' > "$SCRATCH/pronto-onnx.properties"
            pronto --host 127.0.0.1 --port "$PORT" --config "$SCRATCH/pronto-onnx.properties" \
                --model-root "$ROOT/examples/models" > "$out" 2>&1 &
            BODY_SUFFIX=onnx ;;
        pronto-tree)
            # a tree ensemble of the corpus, configured so that it is loaded (and compiled) before ready
            printf '[Models]\ntree = tree.pmml\n' > "$SCRATCH/pronto-tree.properties"
            pronto --host 127.0.0.1 --port "$PORT" --config "$SCRATCH/pronto-tree.properties" \
                --model-root "$SCRATCH/tree-models" > "$out" 2>&1 &
            BODY_SUFFIX=tree ;;
        naive-tree)
            # the peer kit's jpmml-in-a-handler server on the same tree model and requests
            [ -n "$PEERS" ] || return 1
            cp=$SCRATCH/peers/http-floor/target/classes:$(cat "$SCRATCH/peers/http-floor/target/classpath.txt")
            (cd "$SCRATCH" && exec "$JAVA" -cp "$cp" bench.NaiveServer "$PORT" tree-models) > "$out" 2>&1 &
            BODY_SUFFIX=tree ;;
        naive-java)
            [ -n "$PEERS" ] || return 1
            cp=$SCRATCH/peers/http-floor/target/classes:$(cat "$SCRATCH/peers/http-floor/target/classpath.txt")
            (cd "$SCRATCH/peers" && exec "$JAVA" -cp "$cp" bench.NaiveServer "$PORT" models) > "$out" 2>&1 & ;;
        flask-dev|gunicorn-sync|gunicorn-gthread)
            [ -n "$PEERS" ] && /usr/bin/python3 -c 'import flask, sklearn, joblib' 2>/dev/null || return 1
            [ "$name" = flask-dev ] || command -v gunicorn > /dev/null || return 1
            BODY_SUFFIX=pkl
            case $name in
                flask-dev) (cd "$SCRATCH/peers" && MODEL_STORAGE=models exec /usr/bin/python3 seed-flask/app.py "$PORT") > "$out" 2>&1 & ;;
                gunicorn-sync) (cd "$SCRATCH/peers" && MODEL_STORAGE=models exec gunicorn --pythonpath seed-flask \
                    -b 127.0.0.1:"$PORT" -w 2 -k sync app:app) > "$out" 2>&1 & ;;
                gunicorn-gthread) (cd "$SCRATCH/peers" && MODEL_STORAGE=models exec gunicorn --pythonpath seed-flask \
                    -b 127.0.0.1:"$PORT" -w 2 -k gthread --threads 4 app:app) > "$out" 2>&1 & ;;
            esac ;;
        *) log "unknown server $name"; return 1 ;;
    esac
    SERVER_PID=$!
    wait_for "$ping" 60 || { log "$name did not start, see $out"; tail -5 "$out" >&2; stop_server; return 1; }
    READY_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
}

# measure NAME: per record count, check, warm up, one measured wrk run, check again
measure() {
    local name=$1 n body check post line t0 t1 b0 b1 cpu wrk_ms other hz
    hz=$(getconf CLK_TCK)
    for n in $RECORDS; do
        body=$SCRATCH/body-$n-$BODY_SUFFIX.json
        check=$(check "$URL" "$body" "$n")
        if [ "$check" != ok ]; then
            printf '%s\t%s\t%s\t-\t-\t-\t-\t-\t-\t-\t-\t-\t%s\n' "$ROUND" "$name" "$n" "$check" >> "$RESULTS"
            continue
        fi
        log "$name, $n records: warm-up $WARMUP, then $DURATION"
        BODY=$body wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" -s bench/post.lua "$URL" > /dev/null || true
        t0=$(cpu_ticks "$SERVER_PID"); b0=$(busy_ticks)
        line=$(BODY=$body /usr/bin/time -f "WRKTIME %U %S" -o "$SCRATCH/wrk.time" \
            wrk -t1 -c"$CONNECTIONS" -d"$DURATION" -s bench/post.lua "$URL" | grep '^RESULT') || true
        b1=$(busy_ticks); t1=$(cpu_ticks "$SERVER_PID")
        cpu=$(( (t1 - t0) * 1000 / hz ))
        wrk_ms=$(awk '/^WRKTIME/ {printf "%d", ($2 + $3) * 1000}' "$SCRATCH/wrk.time")
        other=$(( (b1 - b0) * 1000 / hz - cpu - wrk_ms ))
        post=$(check "$URL" "$body" "$n")
        [ "$post" = ok ] || post="after load: $post"
        if [ -z "$line" ]; then
            printf '%s\t%s\t%s\t-\t-\t-\t-\t-\t-\t-\t-\t-\t%s\n' "$ROUND" "$name" "$n" "wrk failed" >> "$RESULTS"
            continue
        fi
        echo "$line" | sed -E 's/[a-z0-9_]+=//g' | awk -v s="$name" -v n="$n" -v c="$post" -v m="$cpu" \
            -v w="$wrk_ms" -v o="$other" -v r="$ROUND" \
            'BEGIN{OFS="\t"} {print r, s, n, $2, $3, $4, $5, $6, $7, m, w, o, c}' >> "$RESULTS"
    done
}

# memory: Pronto's RSS at idle (bundled model loaded) and after loading every conformance model once
memory() {
    local idle corpus=$ROOT/inference-core/src/test/resources/conformance/cases loaded
    start pronto || return 0
    log "pronto: memory, idle and after loading the $(ls "$corpus" | wc -l) conformance models"
    sleep 2
    idle=$(rss_mib "$SERVER_PID")
    stop_server
    free_port
    pronto --host 127.0.0.1 --port "$PORT" --model-root "$corpus" > "$SCRATCH/pronto-corpus.log" 2>&1 &
    SERVER_PID=$!
    wait_for "http://127.0.0.1:$PORT/ping" 60 || { stop_server; return 0; }
    loaded=$(python3 "$ROOT/bench/load_corpus.py" "$corpus" "http://127.0.0.1:$PORT/invocations")
    sleep 2
    printf 'pronto\tidle\t%s\n' "$idle" > "$SCRATCH/memory.tsv"
    printf 'pronto\t%s models\t%s\n' "$loaded" "$(rss_mib "$SERVER_PID")" >> "$SCRATCH/memory.tsv"
    stop_server
}

echo "# bench/run.sh $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),"
echo "# $("$JAVA" -version 2>&1 | head -1); load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
build
make_bodies
: > "$SCRATCH/ready.tsv"
# ./pronto's first run after a build records the classes it loads (and on Java 25+ the JIT's method
# profiles) for the runs after it; this run under load makes that record, so every round uses it
# (once per checkout: pronto's variants share its record, pronto-before and pronto-after have their own)
for trainee in pronto pronto-before pronto-after; do
    [[ " $SERVERS " == *" $trainee"* ]] && [ "${TRAIN:-1}" = 1 ] || continue
    log "$trainee: a training run ($WARMUP under load) for its class-data sharing archive or AOT cache"
    if start "$trainee"; then
        BODY=$SCRATCH/body-2-pmml.json wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" -s bench/post.lua "$URL" > /dev/null || true
        BODY=$SCRATCH/body-100-pmml.json wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" -s bench/post.lua "$URL" > /dev/null || true
        stop_server 120
        # on Java 17-24 its next start builds the archive from the classes this run listed: done here,
        # so that no measured start includes it
        checkout=$ROOT
        [ "$trainee" = pronto-before ] && checkout=$BEFORE
        [ "$trainee" = pronto-after ] && checkout=$AFTER
        (CHECKOUT=$checkout pronto --version > /dev/null 2>&1) || true
    fi
done
for ROUND in $(seq 1 "$ROUNDS"); do
    for name in $SERVERS; do
        log "== round $ROUND/$ROUNDS: $name"
        if start "$name"; then
            printf '%s\t%s\t%s\n' "$ROUND" "$name" "$READY_MS" >> "$SCRATCH/ready.tsv"
            measure "$name"
            stop_server
        else
            log "$name: not run (not installed, or no PEERS kit)"
        fi
    done
done
[ "$MEMORY" = 1 ] && memory

echo
echo "wrk -t1 -c$CONNECTIONS -d$DURATION after a $WARMUP warm-up, $ROUNDS round(s); medians over rounds, each ratio taken"
echo "against the floor within its round. CPU during the measured run: server = its processes' user+system time;"
echo "wrk = the load generator's; other = everything else on the machine plus time stolen by the hypervisor."
echo
python3 bench/report.py "$SCRATCH"
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); logs, bodies and raw results in $SCRATCH"
