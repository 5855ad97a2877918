-- GET /api/v1/profiles/{id} over the customers bench/profile-get.sh loaded (bench-0 .. bench-N-1)
local customers = tonumber(os.getenv("CUSTOMERS") or "10000")
math.randomseed(7)
request = function()
  return wrk.format("GET", "/api/v1/profiles/bench-" .. math.random(0, customers - 1))
end
response = function(status)
  if status ~= 200 then
    errors_seen = (errors_seen or 0) + 1
  end
end
-- PACE_MS=n: each connection waits n ms between its calls (a paced load instead of the most
-- the service can take)
local pace = tonumber(os.getenv("PACE_MS") or "0")
if pace > 0 then
  delay = function()
    return pace
  end
end
