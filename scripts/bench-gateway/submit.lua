-- wrk script: every request a submitValue from its own client address (X-Forwarded-For), so the
-- per-client limits act as they would for many users. FIB_MODE=fresh: a new index each request,
-- from FIB_BASE up; FIB_MODE=cached: always FIB_BASE; FIB_MODE=typename: `{ __typename }`.
local mode = os.getenv("FIB_MODE") or "fresh"
local base = tonumber(os.getenv("FIB_BASE") or "1000")
local inline = os.getenv("FIB_INLINE") == "1"
local threads = {}
counter = 0
failed = 0
first_error = nil
local stride = 1
offset = 0

function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end

function init(args)
  stride = tonumber(args[1] or "1")
end

local function address(n)
  return string.format("10.%d.%d.%d", math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
end

function request()
  local n = counter * stride + offset
  counter = counter + 1
  local body
  if mode == "typename" then
    body = '{"query":"{ __typename }"}'
  else
    local index = mode == "cached" and base or (base + n)
    -- With a variable, as the web app sends it (an inline index would make every document new to
    -- the gateway's parse and validation caches): FIB_INLINE=1 sends it inline.
    if inline then
      body = '{"query":"mutation { submitValue(index: ' .. index .. ') { index status } }"}'
    else
      body = '{"query":"mutation Submit($index: Int!) { submitValue(index: $index) { index status } }","variables":{"index":' .. index .. '}}'
    end
  end
  return wrk.format("POST", "/graphql", { ["content-type"] = "application/json", ["x-forwarded-for"] = address(n + 1) }, body)
end

function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then
    failed = failed + 1
    if not first_error then first_error = status .. " " .. string.sub(body, 1, 300) end
  end
end

function done(summary, latency, requests)
  local failures = 0
  local sent = 0
  for _, thread in ipairs(threads) do
    failures = failures + thread:get("failed")
    sent = sent + thread:get("counter")
    local e = thread:get("first_error")
    if e then io.write("first error: " .. e .. "\n") end
  end
  io.write(string.format("RESULT requests=%d failed=%d sent=%d rps=%.1f p50=%.2fms p99=%.2fms\n",
    summary.requests, failures, sent, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
