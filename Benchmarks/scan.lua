-- wrk script: scan ingestion. Each thread walks its share of the tracking numbers in $TRACKING_FILE:
-- the first pass records `picked_up`, later passes `arrived_at_hub` (valid again and again while a
-- parcel moves between hubs), each with a fresh client_event_id. The courier's token is $TOKEN.
local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local all = {}
  for line in io.lines(os.getenv("TRACKING_FILE")) do
    if #line > 0 then all[#all + 1] = line end
  end
  numbers = {}
  local share = tonumber(os.getenv("THREADS") or "2")
  for i, n in ipairs(all) do
    if (i - 1) % share == id then numbers[#numbers + 1] = n end
  end
  token = os.getenv("TOKEN")
  office = os.getenv("OFFICE")
  position = 0
  pass = 0
  math.randomseed(os.time() + id * 7919)
end

local function uuid()
  return string.format("%08x-%04x-4%03x-%04x-%012x", math.random(0, 0xffffffff), math.random(0, 0xffff),
    math.random(0, 0xfff), 0x8000 + math.random(0, 0x3fff), math.random(0, 0xffffffffffff))
end

request = function()
  position = position + 1
  if position > #numbers then
    position = 1
    pass = pass + 1
  end
  local kind = pass == 0 and "picked_up" or "arrived_at_hub"
  local body = string.format('{"client_event_id":"%s","type":"%s","occurred_at":"%s","post_office_id":"%s"}',
    uuid(), kind, os.date("!%Y-%m-%dT%H:%M:%SZ"), office)
  return wrk.format("POST", "/v1/shipments/" .. numbers[position] .. "/events",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end
