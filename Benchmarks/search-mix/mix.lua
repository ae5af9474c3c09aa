-- wrk script: replays the search mix written by Benchmarks/search-mix/generate, as it comes: every
-- request is a path drawn at random by the weights (a cumulative table and a binary search), each
-- thread with its own seed. MIX_FILE names the file; MIX_CLASS, or the script's first argument
-- (`wrk ... -s mix.lua URL -- typo`), keeps one class only (broad_word, narrow_word, filter_only,
-- typo; empty or "all": every request). MIX_SEED fixes the seeds (default: the time).
-- At the end it prints one machine-readable line (latencies in microseconds):
--   MIX class=all paths=6000 requests=... duration_us=... rps=... p50_us=... p90_us=... p99_us=...
--       p999_us=... max_us=... mean_us=... connect_errors=... read_errors=... write_errors=...
--       timeouts=... http_errors=...   (http_errors: answers with a status of 400 or more)

local paths, cumulative, total = {}, {}, 0

local function load(only)
  local file = os.getenv("MIX_FILE")
  if not file or file == "" then error("MIX_FILE is not set") end
  for line in io.lines(file) do
    if #line > 0 and line:sub(1, 1) ~= "#" then
      local class, weight, path = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)")
      if class and (only == "all" or class == only) then
        total = total + tonumber(weight)
        paths[#paths + 1] = path
        cumulative[#cumulative + 1] = total
      end
    end
  end
  if #paths == 0 then error("no request of class " .. only .. " in " .. file) end
end

-- setup runs in the main Lua state once per thread, before the thread's init.
local threads = {}
setup = function(thread)
  thread:set("thread_number", #threads + 1)
  threads[#threads + 1] = thread
end

init = function(args)
  mix_class = args[1] or os.getenv("MIX_CLASS") or ""
  if mix_class == "" then mix_class = "all" end
  load(mix_class)
  mix_paths = #paths
  local seed = tonumber(os.getenv("MIX_SEED") or "") or os.time()
  math.randomseed(seed * 1000 + (thread_number or 0))
  math.random(); math.random()
end

request = function()
  local r = math.random() * total
  local lo, hi = 1, #cumulative
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cumulative[mid] < r then lo = mid + 1 else hi = mid end
  end
  return wrk.format("GET", paths[lo])
end

done = function(summary, latency, requests)
  local class, count = "all", 0
  if threads[1] then
    class = threads[1]:get("mix_class") or class
    count = threads[1]:get("mix_paths") or 0
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "MIX class=%s paths=%d requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d p999_us=%d "
      .. "max_us=%d mean_us=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d http_errors=%d\n",
    class, count, summary.requests, summary.duration, seconds > 0 and summary.requests / seconds or 0,
    math.floor(latency:percentile(50)), math.floor(latency:percentile(90)), math.floor(latency:percentile(99)),
    math.floor(latency:percentile(99.9)), math.floor(latency.max), math.floor(latency.mean),
    e.connect, e.read, e.write, e.timeout, e.status))
end
