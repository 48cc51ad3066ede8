-- wrk script for est4j (bench/run.sh). Configured by environment variables:
--   BENCH_METHOD  POST (default) or GET
--   BENCH_BODY    file whose content is the request body (POST), e.g. a base64 PKCS#10
--   BENCH_CTYPE   Content-Type of the body (default application/pkcs10)
--   BENCH_AUTH    value of the Authorization header (e.g. "Basic ZXN0OnBhc3N3b3Jk"), optional
--   BENCH_CLOSE   1: send "Connection: close", so every request opens a new TLS connection (full handshake)
-- done() prints one parseable line:
--   wrk_result requests=N rate=R p50_ms=.. p90_ms=.. p99_ms=.. errors=E non2xx=N socket_errors=S closes=C statuses=200:N,...
-- closes counts responses that carried "Connection: close" (with BENCH_CLOSE=1 it must equal the responses).

local method = os.getenv("BENCH_METHOD") or "POST"
wrk.method = method
local body_file = os.getenv("BENCH_BODY")
if body_file and body_file ~= "" then
  local f = assert(io.open(body_file, "rb"))
  wrk.body = f:read("*a")
  f:close()
  wrk.headers["Content-Type"] = os.getenv("BENCH_CTYPE") or "application/pkcs10"
end
local auth = os.getenv("BENCH_AUTH")
if auth and auth ~= "" then
  wrk.headers["Authorization"] = auth
end
if os.getenv("BENCH_CLOSE") == "1" then
  wrk.headers["Connection"] = "close"
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
  closes = 0
  statuses = {}
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
  statuses[status] = (statuses[status] or 0) + 1
  local c = headers["Connection"] or headers["connection"]
  if c and string.lower(c) == "close" then
    closes = closes + 1
  end
end

function done(summary, latency, requests)
  local non2xx_total, closes_total, by_status = 0, 0, {}
  for _, t in ipairs(threads) do
    non2xx_total = non2xx_total + t:get("non2xx")
    closes_total = closes_total + t:get("closes")
    for s, n in pairs(t:get("statuses")) do
      by_status[s] = (by_status[s] or 0) + n
    end
  end
  local keys = {}
  for s in pairs(by_status) do table.insert(keys, s) end
  table.sort(keys)
  local parts = {}
  for _, s in ipairs(keys) do table.insert(parts, s .. ":" .. by_status[s]) end
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "wrk_result requests=%d rate=%.1f ok_rate=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f errors=%d non2xx=%d socket_errors=%d closes=%d statuses=%s\n",
    summary.requests, summary.requests / seconds, (summary.requests - non2xx_total) / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    non2xx_total + socket_errors, non2xx_total, socket_errors, closes_total,
    (#parts > 0) and table.concat(parts, ",") or "-"))
end
