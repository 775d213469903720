#!/usr/bin/env bash
# Start-up figures of the server (docs/performance.md, "Start-up, first pickle and memory"):
#
#   1. launch to ready (first /ping 200) with the bundled iris/model.pmml configured in [Models], through
#      ./pronto (which maps its class-data sharing archive) and through a plain `java -jar`: wall time,
#      and the CPU time (user + system) the JVM had used by then, which moves less with other load;
#   2. the first request for a scikit-learn pickle (examples/models/iris/iris.pickle, not configured,
#      so it is converted on that request) sent as soon as the server is ready: the request's wall
#      time, and the server CPU it cost;
#   3. RSS idle (bundled model loaded, 2 s after ready) and after one request to each of the 48
#      conformance models (the same walk as bench/run.sh), with the heap in use after a GC.
#
#   bench/startup.sh                     build the server jar, then 3 rounds of 1 and 2 per launcher, then 3
#   ROUNDS=5 SKIP_BUILD=1 bench/startup.sh
#
# Environment (all optional): ROUNDS (3), LAUNCHERS ("pronto jar"), JAVA (java on PATH), JAVA_OPTS
# (JVM options for both launchers), READY_TIMEOUT (180 s), SKIP_BUILD=1 to use the jar as it is, MEMORY=0 to skip 3, ROOT_DIR
# (another checkout whose built jar to measure, e.g. main's, with this script), NMT=1 to add the JVM's native
# memory summary (-XX:NativeMemoryTracking=summary) to 3. Every server listens on
# 127.0.0.1 on a free port and is stopped by its PID. Needs curl, python3 and ss.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=${ROOT_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$ROOT"

JAVA=${JAVA:-java}
ROUNDS=${ROUNDS:-3}
LAUNCHERS=${LAUNCHERS:-pronto jar}
MEMORY=${MEMORY:-1}
READY_TIMEOUT=${READY_TIMEOUT:-180}
JAR=$ROOT/inference-server/target/pronto-server.jar
CORPUS=$ROOT/inference-core/src/test/resources/conformance/cases
HZ=$(getconf CLK_TCK)
PORT=18380
SCRATCH=$(mktemp -d /tmp/pronto-startup.XXXXXX)
STOP_GRACE=20
# shellcheck source=bench/lib.sh
. "$HERE/lib.sh"
trap stop_server EXIT INT TERM
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# cpu_ms PID: user + system CPU time the process has used so far, in ms
cpu_ms() { sed 's/.*) //' "/proc/$1/stat" | awk -v hz="$HZ" '{printf "%d", ($12 + $13) * 1000 / hz}'; }
# launch LAUNCHER ARGS...: starts the server in the background, sets SERVER_PID; both launchers exec java
launch() {
    local launcher=$1 java_dir
    shift
    java_dir=$(dirname "$(command -v "$JAVA")")
    case $launcher in
        pronto) PATH=$java_dir:$PATH JAVA_OPTS=${JAVA_OPTS:-} "$ROOT/pronto" "$@" > "$SCRATCH/server.log" 2>&1 & ;;
        # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
        jar) "$JAVA" ${JAVA_OPTS:-} -jar "$JAR" "$@" > "$SCRATCH/server.log" 2>&1 & ;;
    esac
    SERVER_PID=$!
}

# wait_ready SECONDS: until /ping answers 200, or the server died
wait_ready() { wait_for "http://127.0.0.1:$PORT/ping" "$1"; }

printf '[Models]\niris = iris/model.pmml\n' > "$SCRATCH/iris.properties"
cat > "$SCRATCH/pickle.json" <<'JSON'
{"payload": [{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}],
 "pipelineFilename": "iris/iris.pickle", "implementation": "Logistic Regression"}
JSON

# one_round LAUNCHER: launch to ready, then the first pickle request; appends to results.tsv
one_round() {
    local launcher=$1 t0 ready_ms ready_cpu answer request_s after_cpu
    free_port
    t0=$(now_ms)
    launch "$launcher" --host 127.0.0.1 --port "$PORT" --config "$SCRATCH/iris.properties" --model-root "$ROOT/examples/models"
    wait_ready "$READY_TIMEOUT" || { log "$launcher did not start, see $SCRATCH/server.log"; tail -5 "$SCRATCH/server.log" >&2; stop_server; return 1; }
    ready_ms=$(( $(now_ms) - t0 ))
    ready_cpu=$(cpu_ms "$SERVER_PID")
    answer=$(curl -s -o "$SCRATCH/answer.json" -w '%{http_code} %{time_total}' -H 'Content-Type: application/json' \
        --data-binary @"$SCRATCH/pickle.json" "http://127.0.0.1:$PORT/invocations")
    after_cpu=$(cpu_ms "$SERVER_PID")
    request_s=${answer#* }
    # the answer must be right, or the time means nothing: scikit-learn says setosa for this row
    if [ "${answer%% *}" != 200 ] || ! grep -q '"setosa"' "$SCRATCH/answer.json"; then
        log "$launcher: the pickle request failed: $answer $(head -c 300 "$SCRATCH/answer.json")"
        request_s=failed
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$ROUND" "$launcher" "$ready_ms" "$ready_cpu" \
        "$(awk -v s="$request_s" 'BEGIN {printf (s == "failed" ? "failed" : "%d"), s * 1000}')" \
        "$((after_cpu - ready_cpu))" >> "$SCRATCH/results.tsv"
    # the training run writes ./pronto's archive as it exits, which takes a while on a busy machine
    stop_server $(( ROUND == 0 ? 300 : 20 ))
}

memory() {
    local idle loaded heap
    free_port
    launch pronto --host 127.0.0.1 --port "$PORT" --config "$SCRATCH/iris.properties" --model-root "$ROOT/examples/models"
    wait_ready "$READY_TIMEOUT" || { log "pronto did not start, see $SCRATCH/server.log"; stop_server; return 0; }
    sleep 2
    idle=$(rss_mib "$SERVER_PID")
    stop_server
    free_port
    local opts=${JAVA_OPTS:-}
    if [ "${NMT:-0}" = 1 ]; then opts="$opts -XX:NativeMemoryTracking=summary"; fi
    JAVA_OPTS=$opts launch pronto --host 127.0.0.1 --port "$PORT" --model-root "$CORPUS"
    wait_ready "$READY_TIMEOUT" || { log "pronto did not start, see $SCRATCH/server.log"; stop_server; return 0; }
    loaded=$(python3 "$HERE/load_corpus.py" "$CORPUS" "http://127.0.0.1:$PORT/invocations")
    sleep 2
    printf 'RSS idle (bundled model loaded): %s MiB\nRSS after %s conformance models: %s MiB\n' \
        "$idle" "$loaded" "$(rss_mib "$SERVER_PID")" > "$SCRATCH/memory.txt"
    if command -v jcmd > /dev/null; then
        # where it goes: the JVM's own accounts (with NMT=1), and the classes of the live heap
        if [ "${NMT:-0}" = 1 ]; then jcmd "$SERVER_PID" VM.native_memory summary > "$SCRATCH/nmt.txt" 2>&1 || true; fi
        jcmd "$SERVER_PID" GC.class_histogram > "$SCRATCH/histogram.txt" 2>&1 || true
        heap=$(jcmd "$SERVER_PID" GC.heap_info 2>/dev/null | grep -E 'total|region size' | head -2)
        printf 'RSS after a full GC: %s MiB; heap:\n%s\n(class histogram in %s)\n' "$(rss_mib "$SERVER_PID")" \
            "$heap" "$SCRATCH/histogram.txt" >> "$SCRATCH/memory.txt"
    fi
    stop_server
}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    log "building the server jar (./mvnw package -DskipTests)"
    ./mvnw -q -B -pl inference-server -am package -DskipTests > "$SCRATCH/build.log" 2>&1 \
        || { cat "$SCRATCH/build.log" >&2; exit 1; }
fi
echo "# bench/startup.sh $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores, $("$JAVA" -version 2>&1 | head -1)"
echo "# load average at the start: $(cut -d' ' -f1-3 /proc/loadavg); scratch $SCRATCH"
: > "$SCRATCH/results.tsv"
# ./pronto's first run after a build records what it loads for its class-data sharing archive (on Java
# 17-24 a class list the next start builds the archive from); this run records it, converting the pickle
# too, so that the rounds below start as users' second and later starts do
if [[ " $LAUNCHERS " == *" pronto "* ]]; then
    log "pronto: a training run for its class-data sharing archive"
    ROUND=0 one_round pronto || true
    # on Java 17-24 the next start builds the archive from the classes that run listed: not in a measured round
    PATH=$(dirname "$(command -v "$JAVA")"):$PATH "$ROOT/pronto" --version > /dev/null 2>&1 || true
fi
for ROUND in $(seq 1 "$ROUNDS"); do
    for launcher in $LAUNCHERS; do
        log "round $ROUND/$ROUNDS: $launcher"
        one_round "$launcher" || true
    done
done
python3 - "$SCRATCH/results.tsv" <<'PY'
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
print("| launcher | launch to ready ms | its CPU ms | first pickle request ms | its server CPU ms | rounds (ready / pickle ms) |")
print("|---|---:|---:|---:|---:|---|")
for launcher in dict.fromkeys(r[1] for r in rows if r[0] != "0"):
    mine = [r for r in rows if r[1] == launcher and r[0] != "0"]
    def median(i):
        values = [int(r[i]) for r in mine if r[i] != "failed"]
        return str(int(statistics.median(values))) if values else "-"
    print("| %s | %s | %s | %s | %s | %s |" % (launcher, median(2), median(3), median(4), median(5),
          " ".join("%s/%s" % (r[2], r[4]) for r in mine)))
PY
if [ "$MEMORY" = 1 ]; then
    log "memory: idle, then after loading the conformance models"
    memory
    cat "$SCRATCH/memory.txt" 2>/dev/null || true
fi
echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
