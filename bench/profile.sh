#!/usr/bin/env bash
# Profiles Pronto under load with async-profiler and prints where the server's CPU goes.
#
#   bench/profile.sh            2-record requests (the seed's); bench/profile.sh 100 for 100 records
#
# Starts the server jar (built if missing) on 127.0.0.1 with the bundled iris model, warms it up
# under wrk for WARMUP seconds (30; the JIT needs it on 2 cores), then samples CPU for DURATION
# seconds (20) while wrk keeps the load on, and prints a summary (bench/profile_summary.py). The
# collapsed stacks stay in a /tmp/pronto-profile.* folder for flame graph tools.
# async-profiler comes from Maven Central (tools.profiler:async-profiler, linux-x64) into
# inference-benchmarks/target/. EVENT=itimer when perf events are not allowed (perf_event_paranoid > 2
# in containers); JAVA picks the JVM; JAR another build of the server jar (a before/after comparison). Needs wrk (Debian package), curl, python3 and a JDK.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
RECORDS=${1:-2}
WARMUP=${WARMUP:-30}
DURATION=${DURATION:-20}
EVENT=${EVENT:-cpu}
JAVA=${JAVA:-java}
PROFILER_VERSION=4.2
PROFILER_DIR=$ROOT/inference-benchmarks/target/async-profiler-$PROFILER_VERSION
LIBRARY=$PROFILER_DIR/linux-x64/libasyncProfiler.so
JAR=${JAR:-$ROOT/inference-server/target/pronto-server.jar}

for tool in wrk curl python3; do
    command -v "$tool" > /dev/null || { echo "bench/profile.sh: $tool is not installed (wrk: apt-get install wrk)" >&2; exit 1; }
done
[ -f "$JAR" ] || ./mvnw -q -pl inference-server -am package -DskipTests
if [ ! -f "$LIBRARY" ]; then
    mkdir -p "$PROFILER_DIR"
    curl -fsSL -o "$PROFILER_DIR/profiler.jar" \
        "https://repo1.maven.org/maven2/tools/profiler/async-profiler/$PROFILER_VERSION/async-profiler-$PROFILER_VERSION-linux-x64.jar"
    (cd "$PROFILER_DIR" && unzip -qo profiler.jar 'linux-x64/*')
fi

SCRATCH=$(mktemp -d /tmp/pronto-profile.XXXXXX)
python3 bench/bodies.py "$SCRATCH" "$RECORDS"
printf '[Models]\niris = iris/model.pmml\n' > "$SCRATCH/pronto.properties"
PORT=18380
while [ -n "$(ss -Hltn "sport = :$PORT")" ]; do PORT=$((PORT + 1)); done
URL=http://127.0.0.1:$PORT

# DebugNonSafepoints: samples are attributed to the inlined method that ran, not to the enclosing one
"$JAVA" -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -jar "$JAR" --host 127.0.0.1 --port "$PORT" \
    --config "$SCRATCH/pronto.properties" --model-root "$ROOT/examples/models" > "$SCRATCH/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do curl -fs -o /dev/null "$URL/ping" && break; sleep 0.1; done

BODY=$SCRATCH/body-$RECORDS-pmml.json
echo "warming up for ${WARMUP}s, then profiling ($EVENT) for ${DURATION}s under wrk -t1 -c16, $RECORDS records per request" >&2
BODY=$BODY wrk -t1 -c16 -d"${WARMUP}s" -s bench/post.lua "$URL/invocations" > /dev/null
BODY=$BODY wrk -t1 -c16 -d"$((DURATION + 4))s" -s bench/post.lua "$URL/invocations" > "$SCRATCH/wrk.txt" &
WRK_PID=$!
sleep 2
"$JAVA" bench/Attach.java "$SERVER_PID" "$LIBRARY" "start,event=$EVENT,interval=200us" > /dev/null
sleep "$DURATION"
"$JAVA" bench/Attach.java "$SERVER_PID" "$LIBRARY" "stop,file=$SCRATCH/profile.collapsed,collapsed" > /dev/null
wait "$WRK_PID"
grep -E 'Requests/sec' "$SCRATCH/wrk.txt" >&2 || true
python3 bench/profile_summary.py "$SCRATCH/profile.collapsed"
echo "collapsed stacks: $SCRATCH/profile.collapsed" >&2
