# Shell helpers the bench scripts share (sourced by run.sh, startup.sh and soak.sh). They keep the
# started server's PID in SERVER_PID and the next port to try in PORT.

SERVER_PID=""

# stop_server [SECONDS]: SIGTERM, then SIGKILL after SECONDS (default STOP_GRACE, else 10)
stop_server() {
    if [ -n "$SERVER_PID" ]; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 $((${1:-${STOP_GRACE:-10}} * 5))); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
    fi
}

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

rss_mib() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

# free_port: moves PORT to the next port nobody listens on (needs ss)
free_port() {
    PORT=$((PORT + 1))
    while [ -n "$(ss -Hltn "sport = :$PORT")" ]; do PORT=$((PORT + 1)); done
}

# wait_for URL SECONDS: until URL answers 2xx, or the server died; polls every 20 ms, since the
# scripts report launch-to-ready times
wait_for() {
    local deadline=$((SECONDS + $2))
    while [ $SECONDS -lt $deadline ]; do
        curl -fs -o /dev/null "$1" && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || return 1
        sleep 0.02
    done
    return 1
}
