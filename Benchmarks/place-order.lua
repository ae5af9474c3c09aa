-- wrk script: POST /v1/orders with 3 lines from 3 different suppliers (COD), a fresh Idempotency-Key
-- per request. Variant ids (one per supplier) come from the file named by $VARIANTS_FILE. Bearer
-- tokens, one per buyer, come from $TOKENS_FILE (one per line): the issue's "32 concurrent buyers",
-- so each connection orders as its own buyer. $TOKEN (a single buyer for every connection) is still
-- accepted.
local variants = {}
for line in io.lines(os.getenv("VARIANTS_FILE")) do
  if #line > 0 then variants[#variants + 1] = line end
end
local tokens = {}
if os.getenv("TOKENS_FILE") then
  for line in io.lines(os.getenv("TOKENS_FILE")) do
    if #line > 0 then tokens[#tokens + 1] = line end
  end
else
  tokens[1] = os.getenv("TOKEN")
end
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))

-- wrk runs one Lua state per thread; each thread takes its own share of the buyers and cycles
-- through it, so with as many buyers as connections a buyer rarely has two orders in flight.
local threads = 0
function setup(thread)
  thread:set("first", threads)
  threads = threads + 1
end

local turn = 0
request = function()
  local stride = tonumber(os.getenv("THREADS") or "2")
  local index = ((first or 0) + turn * stride) % #tokens + 1
  turn = turn + 1
  local token = tokens[index]
  local a = math.random(#variants)
  local b = a
  while b == a do b = math.random(#variants) end
  local c = a
  while c == a or c == b do c = math.random(#variants) end
  local body = string.format(
    '{"lines":[{"variant_id":"%s","quantity":1},{"variant_id":"%s","quantity":1},{"variant_id":"%s","quantity":2}],' ..
    '"shipping_address":{"recipient_name":"Nguyen Thi Mai","phone":"0905123456","province_code":"48",' ..
    '"commune_code":"20410","address_line":"12 Tran Phu"},"payment_method":"cod"}',
    variants[a], variants[b], variants[c])
  local headers = {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = string.format("bench-%d-%d", math.random(1, 2147483647), math.random(1, 2147483647)),
  }
  return wrk.format("POST", "/v1/orders", headers, body)
end
