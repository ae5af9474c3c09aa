-- wrk script: GET a shop page for paths drawn at random from the file named by $PATHS_FILE (product
-- pages read from the sitemap, so each is the canonical address and answers 200, not a redirect).
local paths = {}
for line in io.lines(os.getenv("PATHS_FILE")) do
  if #line > 0 then paths[#paths + 1] = line end
end
math.randomseed(os.time())
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
