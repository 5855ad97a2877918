-- GET /api/v1/profiles/{id} over the customers bench/profile-get.sh loaded (bench-0 .. bench-N-1)
local customers = tonumber(os.getenv("CUSTOMERS") or "10000")
math.randomseed(7)
request = function()
  return wrk.format("GET", "/api/v1/profiles/bench-" .. math.random(0, customers - 1),
    {["Authorization"] = "Bearer " .. (os.getenv("NEXTBEST_TOKEN") or "")})
end
response = function(status)
  if status ~= 200 then
    errors_seen = (errors_seen or 0) + 1
  end
end
dofile((os.getenv("NEXTBEST_BENCH") or "bench") .. "/pace.lua")
