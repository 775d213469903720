-- wrk script for bench/run.sh, protocols.sh and soak.sh: POSTs the file named by $BODY on every request
-- (as $CONTENT_TYPE, application/json unless set),
-- and prints one line that the scripts parse (latencies in microseconds; errors split into socket
-- errors and non-2xx). With $DELAY_MS set (soak.sh), each connection waits that many milliseconds
-- after every answer, which paces the load below capacity; wrk truncates waits to whole
-- milliseconds, so each one is rounded up or down at random to keep the mean.
local file = assert(io.open(os.getenv("BODY"), "rb"))
wrk.method = "POST"
wrk.headers["Content-Type"] = os.getenv("CONTENT_TYPE") or "application/json"
wrk.body = file:read("*a")
file:close()

local pause = tonumber(os.getenv("DELAY_MS") or "")
if pause then
  local whole = math.floor(pause)
  local fraction = pause - whole
  function delay()
    if math.random() < fraction then
      return whole + 1
    end
    return whole
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d socket_errors=%d non2xx=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.connect + errors.read + errors.write + errors.timeout, errors.status))
end
