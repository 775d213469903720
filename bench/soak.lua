-- wrk script for bench/soak.sh: POSTs the JSON file named by $BODY, waiting $DELAY_MS (fractional
-- milliseconds; wrk itself truncates to whole ones, so each wait is rounded up or down at random to
-- keep the mean) after every answer, which paces the load below capacity; prints one RESULT line.
local file = assert(io.open(os.getenv("BODY"), "rb"))
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = file:read("*a")
file:close()

local pause = tonumber(os.getenv("DELAY_MS") or "0")
local whole = math.floor(pause)
local fraction = pause - whole

function delay()
  if math.random() < fraction then
    return whole + 1
  end
  return whole
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d socket_errors=%d non2xx=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.connect + errors.read + errors.write + errors.timeout, errors.status))
end
