#!/usr/bin/env bash
# Real-time decisions: POST /api/v1/decisions with 20 auto candidates (Thompson sampling over the
# 20 campaigns and "none", propensity by numerical integration), profiles hot in Redis, each
# decision published on nextbest.decisions.v1 before it is answered and logged to PostgreSQL.
# The models are first trained on 20,000 decisions with outcomes, so every arm has data.
#   bench/decisions.sh [customers] [connections] [duration] [max warm-up s]   (default 10000 8 30s 300)
#   PACE_MS=n paces each connection to a call every n ms plus its latency.
#   target on 2 cores: p99 ≤ 3 ms at ≥ 5,000 requests/s
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CUSTOMERS=${1:-10000}
CONNECTIONS=${2:-8}
DURATION=${3:-30s}
WARMUP=${4:-300}
PORT=18083
URL="http://127.0.0.1:$PORT"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
bench_start_service decision "$PORT" -Dnextbest.decision.initial-mode=live \
  -Dquarkus.rest-client.eligibility-service.url=http://127.0.0.1:1
bench_cache_profiles bench-d "$CUSTOMERS"

candidates=$(python3 -c 'import json; print(json.dumps([{"campaignId": "c%02d" % i, "channel": ["email", "push", "web"][i % 3]} for i in range(20)]))')
cat >"$ROOT/.nextbest/decisions-bench.lua" <<LUA
local customers = $CUSTOMERS
math.randomseed(13)
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local body = '{"customerId":"bench-d-' .. math.random(0, customers - 1)
    .. '","channel":"email","candidates":$candidates}'
  return wrk.format("POST", "/api/v1/decisions", nil, body)
end
dofile("$ROOT/bench/pace.lua")
LUA

echo "training: 20,000 decisions with outcomes" >&2
python3 - "$URL" "$CUSTOMERS" "$candidates" <<'PY'
import json, os, random, sys, urllib.request
from concurrent.futures import ThreadPoolExecutor
url, customers, candidates = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
random.seed(5)
def post(path, body):
    req = urllib.request.Request(url + path, json.dumps(body).encode(), {"Content-Type": "application/json",
                                 "Authorization": "Bearer " + os.environ["NEXTBEST_TOKEN"]})
    return json.load(urllib.request.urlopen(req))
from datetime import datetime, timedelta, timezone
# rewards are learned once a decision's horizon has closed: train on a replayed past (the admin
# token may decide 'at' another moment), then move the clock on with one decision a day ago
start = datetime.now(timezone.utc) - timedelta(days=12)
iso = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
def one(i):
    c = "bench-d-%d" % random.randrange(customers)
    at = start + timedelta(seconds=10 * i)
    d = post("/api/v1/decisions", {"customerId": c, "channel": "email", "candidates": candidates,
             "at": iso(at)})
    # campaigns c00-c04 convert more often than the rest, "none" least
    arm = d["campaignId"] or "none"
    p = 0.02 if arm == "none" else (0.08 if arm < "c05" else 0.04)
    if random.random() < p:
        post("/api/v1/outcomes", {"outcomes": [{"id": "o-" + d["decisionId"], "type": "conversion",
             "customerId": c, "decisionId": d["decisionId"], "value": 30,
             "occurredAt": iso(at + timedelta(hours=1))}]})
    return arm
with ThreadPoolExecutor(8) as pool:
    arms = list(pool.map(one, range(20000)))
post("/api/v1/decisions", {"customerId": "bench-d-0", "channel": "email", "candidates": candidates,
     "at": iso(datetime.now(timezone.utc) - timedelta(days=1))})
print("training decisions by arm:", {a: arms.count(a) for a in sorted(set(arms))}, file=sys.stderr)
PY
sleep 15
curl -fsS -H "Authorization: Bearer $NEXTBEST_TOKEN" "$URL/api/v1/policies/current" | python3 -c 'import json,sys; p=json.load(sys.stdin); print("model version", p["modelVersion"], "observations", sum(p["observations"].values()), file=sys.stderr)'
echo "warm-up until steady, at most $WARMUP s (the JIT settles)" >&2
PACE_MS=0 bench_warm_up "$WARMUP" -c"$CONNECTIONS" -s "$ROOT/.nextbest/decisions-bench.lua" "$URL"
echo "measuring $DURATION with $CONNECTIONS connections${PACE_MS:+, paced at $PACE_MS ms}" >&2
PACE_MS=${PACE_MS:-0} wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$ROOT/.nextbest/decisions-bench.lua" "$URL"
sleep 3
echo "decision log rows: $(bench_psql -d nextbest_decision_bench -c 'select count(*) from decision_log')"
