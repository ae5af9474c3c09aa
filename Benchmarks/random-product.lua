-- wrk script: GET /v1/products/{id} for ids drawn at random from the file named by $IDS_FILE.
local ids = {}
for line in io.lines(os.getenv("IDS_FILE")) do
  if #line > 0 then ids[#ids + 1] = line end
end
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/v1/products/" .. ids[math.random(#ids)])
end
