-- Shared by the wrk scripts: PACE_MS=n makes each connection wait n ms between its calls (a paced
-- load instead of the most the service can take).
local pace = tonumber(os.getenv("PACE_MS") or "0")
if pace > 0 then
  delay = function()
    return pace
  end
end
