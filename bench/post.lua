-- wrk script for bench/run.sh, protocols.sh and soak.sh: POSTs the file named by $BODY on every request
-- (as $CONTENT_TYPE, application/json unless set),
-- and prints one line that the scripts parse (latencies in microseconds; errors split into socket
-- errors and non-2xx). With $RATE set (soak.sh), requests leave on a fixed schedule of that many a
-- second in total, whatever the answers take, so the load stays where it was put while the server's
-- speed moves with the machine's other work; a connection whose slot has passed sends at once, and at
-- most one second of missed slots is caught up, so a stall is not followed by a burst.
local file = assert(io.open(os.getenv("BODY"), "rb"))
wrk.method = "POST"
wrk.headers["Content-Type"] = os.getenv("CONTENT_TYPE") or "application/json"
wrk.body = file:read("*a")
file:close()

local rate = tonumber(os.getenv("RATE") or "")
if rate then
  local ffi = require("ffi")
  ffi.cdef[[
    typedef struct { long tv_sec; long tv_nsec; } pronto_timespec;
    int clock_gettime(int clock, pronto_timespec *ts);
  ]]
  local now_ts = ffi.new("pronto_timespec")
  local function now_ms()
    ffi.C.clock_gettime(1, now_ts) -- CLOCK_MONOTONIC
    return tonumber(now_ts.tv_sec) * 1000 + tonumber(now_ts.tv_nsec) / 1e6
  end
  local period = 1000 / rate
  local slot = nil
  function delay()
    local now = now_ms()
    slot = math.max((slot or now) + period, now - 1000)
    -- wrk waits whole milliseconds; the schedule is absolute, so a truncated wait is made up by the next
    return math.max(0, math.floor(slot - now))
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d socket_errors=%d non2xx=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.connect + errors.read + errors.write + errors.timeout, errors.status))
end
