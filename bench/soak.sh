#!/usr/bin/env bash
# Soak test: measures the server's capacity with wrk, then holds it at ~80 % of that for 10 minutes,
# printing every 30 s the rate reached, errors, p99 latency, the server's RSS and the machine's load
# average, and at the end RSS at start, middle and end. Requests leave on a fixed schedule
# (bench/post.lua with RATE), so the rate holds whatever the other work on the machine does to the
# answer times. Loopback only; stops by itself (the server is stopped by its PID).
# See docs/security.md ("Fuzzing and soak").
#
#   bench/soak.sh                    10 minutes at 80 % of capacity, 2-record requests
#   DURATION=120 bench/soak.sh       2 minutes
#
# Environment (all optional): DURATION (600, seconds), INTERVAL (30, seconds per report), LOAD (80,
# percent of capacity), CONNECTIONS (16; wrk runs 1 thread), RECORDS (2; any count bench/bodies.py
# makes), WARMUP (30s), CAPACITY_TIME (20s), CAPACITY (req/s: taken as measured, to compare runs), SKIP_BUILD=1 to use the jar as it is, PRONTO_JAVA_OPTS
# (JVM options). Exit status 1 if any request failed. Needs wrk, curl and python3.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

DURATION=${DURATION:-600}
INTERVAL=${INTERVAL:-30}
LOAD=${LOAD:-80}
CONNECTIONS=${CONNECTIONS:-16}
RECORDS=${RECORDS:-2}
WARMUP=${WARMUP:-30s}
CAPACITY_TIME=${CAPACITY_TIME:-20s}
PORT=18380

for tool in wrk curl python3; do
    command -v "$tool" > /dev/null || { echo "bench/soak.sh: $tool is not installed" >&2; exit 1; }
done
[ "$DURATION" -ge "$INTERVAL" ] || { echo "bench/soak.sh: DURATION must be at least INTERVAL" >&2; exit 1; }

SCRATCH=$(mktemp -d /tmp/pronto-soak.XXXXXX)
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
trap stop_server EXIT INT TERM
# field NAME LINE: the value of NAME=... in a RESULT line
field() { echo "$2" | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k {print $2}'; }

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    log "building the server (./mvnw package -DskipTests)"
    ./mvnw -q -B -pl inference-server -am package -DskipTests > "$SCRATCH/build.log" 2>&1 \
        || { cat "$SCRATCH/build.log" >&2; exit 1; }
fi
python3 bench/bodies.py "$SCRATCH" "$RECORDS" > /dev/null
BODY=$SCRATCH/body-$RECORDS-pmml.json
[ -f "$BODY" ] || { echo "bench/soak.sh: bench/bodies.py made no $BODY" >&2; exit 1; }

while [ -n "$(ss -Hltn "sport = :$PORT")" ]; do PORT=$((PORT + 1)); done
URL=http://127.0.0.1:$PORT/invocations
# console at WARNING: the access log would write a line per request, gigabytes in 10 minutes, and is
# not what a soak measures; warnings and errors still show, and ERROR lines are counted at the end
printf '[Models]\niris = iris/model.pmml\n[Logs]\nlog_level_console = WARNING\n' > "$SCRATCH/pronto.properties"
log "starting Pronto on 127.0.0.1:$PORT (log: $SCRATCH/server.log)"
JAVA_OPTS=${PRONTO_JAVA_OPTS:-} "$ROOT/pronto" --host 127.0.0.1 --port "$PORT" --config "$SCRATCH/pronto.properties" \
    --model-root "$ROOT/examples/models" > "$SCRATCH/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 600); do
    curl -fs -o /dev/null "http://127.0.0.1:$PORT/ping" && break
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -5 "$SCRATCH/server.log" >&2; exit 1; }
    sleep 0.1
done
curl -fs -o /dev/null "http://127.0.0.1:$PORT/ping" || { log "the server did not become ready"; exit 1; }

run_wrk() { # SECONDS RATE (empty: as fast as the server answers) -> RESULT line
    BODY=$BODY RATE=$2 wrk -t1 -c"$CONNECTIONS" -d"$1" -s bench/post.lua "$URL" | grep '^RESULT' || true
}

log "warm-up $WARMUP, then capacity over $CAPACITY_TIME with $CONNECTIONS connections unless CAPACITY is given"
run_wrk "$WARMUP" "" > /dev/null
if [ -n "${CAPACITY:-}" ]; then
    capacity=$CAPACITY; measured="given"
else
    line=$(run_wrk "$CAPACITY_TIME" "")
    [ -n "$line" ] || { log "wrk failed"; exit 1; }
    capacity=$(awk -v r="$(field requests "$line")" -v d="$(field duration_us "$line")" 'BEGIN {printf "%.0f", r * 1e6 / d}')
    measured="p99 $(( $(field p99_us "$line") / 1000 )) ms, load $(cut -d' ' -f1 /proc/loadavg)"
fi
target=$(awk -v c="$capacity" -v l="$LOAD" 'BEGIN {printf "%.0f", c * l / 100}')
log "capacity $capacity req/s ($measured); soaking at $LOAD %: $target req/s for ${DURATION}s"

rss_start=$(rss_mib "$SERVER_PID")
rss_middle="" total=0 failed=0 elapsed=0 worst_p99=0
intervals=$((DURATION / INTERVAL))
load() { cut -d' ' -f1 /proc/loadavg; }
printf '%8s %10s %10s %9s %8s %8s %9s %7s\n' elapsed "req/s" target "p99 ms" errors non2xx "RSS MiB" load
printf '%8s %10s %10s %9s %8s %8s %9s %7s\n' 0 - "$target" - - - "$rss_start" "$(load)"
for i in $(seq 1 "$intervals"); do
    line=$(run_wrk "${INTERVAL}s" "$target")
    kill -0 "$SERVER_PID" 2>/dev/null || { log "the server died; see $SCRATCH/server.log"; exit 1; }
    elapsed=$((i * INTERVAL))
    rss=$(rss_mib "$SERVER_PID")
    [ "$i" -eq $(((intervals + 1) / 2)) ] && rss_middle=$rss
    if [ -z "$line" ]; then
        log "wrk failed in this interval"; failed=$((failed + 1)); continue
    fi
    requests=$(field requests "$line"); socket=$(field socket_errors "$line"); non2xx=$(field non2xx "$line")
    p99=$(awk -v p="$(field p99_us "$line")" 'BEGIN {printf "%.1f", p / 1000}')
    rate=$(awk -v r="$requests" -v d="$(field duration_us "$line")" 'BEGIN {printf "%.0f", r * 1e6 / d}')
    total=$((total + requests)); failed=$((failed + socket + non2xx))
    worst_p99=$(awk -v a="$worst_p99" -v b="$p99" 'BEGIN {print (b > a ? b : a)}')
    printf '%8s %10s %10s %9s %8s %8s %9s %7s\n' "$elapsed" "$rate" "$target" "$p99" "$socket" "$non2xx" "$rss" "$(load)"
done
rss_end=$(rss_mib "$SERVER_PID")
echo "soak: ${elapsed}s at target $target req/s ($LOAD % of $capacity): $total requests, $failed failed, worst p99 ${worst_p99} ms;" \
    "RSS start/middle/end ${rss_start}/${rss_middle:-$rss_end}/${rss_end} MiB"
echo "server log: $(grep -c ' ERROR ' "$SCRATCH/server.log" || true) ERROR lines ($SCRATCH/server.log)"
[ "$failed" -eq 0 ]
