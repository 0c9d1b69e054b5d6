-- The wrk script of `bench wrk`. wrk's Lua cannot compute HMAC signatures, so the benchmark writes every request up
-- front: thread N reads "<prefix>-N.req", records of "<byte count>\n<raw HTTP request>", in order, and starts over at
-- the end (a repeat is answered as a duplicate, and counted as a round). Each thread counts its answers; done()
-- prints them with the latency percentiles from wrk's own histogram, one "bench-wrk" line each, for the benchmark.
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  file = assert(io.open(args[1] .. "-" .. id .. ".req", "rb"))
  sent, accepted, duplicates, rounds, other = 0, 0, 0, 0, ""
  statuses = {}
end

function request()
  local size = file:read("*l")
  if size == nil then
    rounds = rounds + 1
    file:seek("set", 0)
    size = file:read("*l")
  end
  sent = sent + 1
  return file:read(tonumber(size))
end

function response(status, headers, body)
  if status == 200 then
    if body:find('"duplicate"', 1, true) then
      duplicates = duplicates + 1
    else
      accepted = accepted + 1
    end
  else
    statuses[status] = (statuses[status] or 0) + 1
    other = ""
    for code, count in pairs(statuses) do
      other = other .. code .. "=" .. count .. ","
    end
  end
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    io.write(string.format("bench-wrk thread %d sent %d accepted %d duplicates %d rounds %d other %s\n",
      thread:get("id"), thread:get("sent"), thread:get("accepted"), thread:get("duplicates"), thread:get("rounds"),
      thread:get("other") == "" and "-" or thread:get("other")))
  end
  local errors = summary.errors
  io.write(string.format("bench-wrk summary requests %.0f duration_us %.0f p50_us %.0f p90_us %.0f p99_us %.0f p999_us %.0f max_us %.0f connect %.0f read %.0f write %.0f timeout %.0f status %.0f\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max, errors.connect, errors.read, errors.write, errors.timeout, errors.status))
end
