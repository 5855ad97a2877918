#!/usr/bin/env bash
# Real-time eligibility: GET /api/v1/eligibility/{id} with 100 active campaigns (CEL rules over
# features, predictions, segments and consents; e-mail, sms, push, web), profiles hot in Redis,
# each customer's contact history read per request. Prints wrk's throughput and latency.
#   bench/eligibility.sh [customers] [connections] [duration] [max warm-up s]   (default 10000 8 30s 180)
#   PACE_MS=n paces each connection to a call every n ms plus its latency.
#   target on 2 cores: p99 ≤ 2 ms at ≥ 5,000 requests/s
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CUSTOMERS=${1:-10000}
CONNECTIONS=${2:-8}
DURATION=${3:-30s}
WARMUP=${4:-180}
PORT=18082
URL="http://127.0.0.1:$PORT"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
bench_start_service eligibility "$PORT"

echo "creating 100 campaigns" >&2
python3 - "$URL" <<'PY'
import json, os, sys, urllib.request
url = sys.argv[1]
rules = [
    "features.purchaseCount >= 1 && predictions.churnRisk < 0.8",
    "'tea' in features.topCategories",
    "predictions.clv12m > 200.0 || 'high-value' in segments",
    "features.daysSinceLastEngagement >= 30 && predictions.probabilityAlive > 0.3",
    "has(attributes.country) && attributes.country in ['GB', 'FR', 'ES']",
]
channels = [["web"], ["email"], ["push", "email"], ["sms"], ["in-app"]]
for i in range(100):
    ch = channels[i % 5]
    spec = {"id": f"bench-{i:03d}", "name": f"Benchmark {i}", "channels": ch,
            "priority": i, "rule": rules[i % 5],
            "trigger": {"type": "realtime"} if i % 4 else {"type": "schedule", "everyMinutes": 1440}}
    if "web" in ch or "in-app" in ch:
        spec["placement"] = f"slot-{i % 7}"
    if i % 3 == 0:
        spec["cap"] = {"max": 2, "days": 14}
    req = urllib.request.Request(url + "/api/v1/campaigns", json.dumps(spec).encode(),
                                 {"Content-Type": "application/json",
                                  "Authorization": "Bearer " + os.environ["NEXTBEST_TOKEN"]})
    urllib.request.urlopen(req).read()
PY

bench_cache_profiles bench-e "$CUSTOMERS"
cat >"$ROOT/.nextbest/eligibility-bench.lua" <<LUA
local customers = $CUSTOMERS
math.randomseed(11)
request = function()
  return wrk.format("GET", "/api/v1/eligibility/bench-e-" .. math.random(0, customers - 1),
    {["Authorization"] = "Bearer $NEXTBEST_TOKEN"})
end
dofile("$ROOT/bench/pace.lua")
LUA
curl -fsS -H "Authorization: Bearer $NEXTBEST_TOKEN" "$URL/api/v1/eligibility/bench-e-1" | python3 -c 'import json,sys; r=json.load(sys.stdin); print("one answer:", len(r["eligible"]), "eligible,", len(r["excluded"]), "excluded", file=sys.stderr)'
echo "warm-up until steady, at most $WARMUP s (the JIT settles)" >&2
PACE_MS=0 bench_warm_up "$WARMUP" -c"$CONNECTIONS" -s "$ROOT/.nextbest/eligibility-bench.lua" "$URL"
echo "measuring $DURATION with $CONNECTIONS connections${PACE_MS:+, paced at $PACE_MS ms}" >&2
PACE_MS=${PACE_MS:-0} wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$ROOT/.nextbest/eligibility-bench.lua" "$URL"
