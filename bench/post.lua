-- wrk script for bench/run.sh: POSTs the JSON file named by $BODY on every request, and prints one
-- line that run.sh parses (latencies in microseconds; errors split into socket errors and non-2xx).
local file = assert(io.open(os.getenv("BODY"), "rb"))
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = file:read("*a")
file:close()

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d socket_errors=%d non2xx=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.connect + errors.read + errors.write + errors.timeout, errors.status))
end
