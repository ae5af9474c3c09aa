-- wrk script: POST /v1/orders with 3 lines from 3 different suppliers (COD), a fresh Idempotency-Key
-- per request. Variant ids (one per supplier) come from the file named by $VARIANTS_FILE; the bearer
-- token from $TOKEN.
local variants = {}
for line in io.lines(os.getenv("VARIANTS_FILE")) do
  if #line > 0 then variants[#variants + 1] = line end
end
local token = os.getenv("TOKEN")
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))

request = function()
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
