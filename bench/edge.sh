#!/usr/bin/env bash
# How long a change takes to reach the edge: a mode change in decision-service (published with the
# model snapshot on nextbest.models.v1) and a campaign created or deleted in eligibility-service
# (published with the campaign set on nextbest.campaigns.v1), each timed from the owner's answer
# until content-service's GET /api/v1/edge shows it (polled every 10 ms).
#   bench/edge.sh [changes of each kind]   (default 10)
#   target: every change reaches the edge within a second
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CHANGES=${1:-10}
bench_start_service eligibility 18082 -Dquarkus.rest-client.profile-service.url=http://127.0.0.1:1
bench_start_service decision 18083 -Dnextbest.decision.initial-mode=apprentice \
  -Dquarkus.rest-client.eligibility-service.url=http://127.0.0.1:18082
bench_start_service content 18084 -Dquarkus.rest-client.decision-service.url=http://127.0.0.1:18083
python3 - "$CHANGES" <<'PY'
import json, os, sys, time, urllib.request

changes = int(sys.argv[1])
auth = {"Authorization": "Bearer " + os.environ["NEXTBEST_TOKEN"], "Content-Type": "application/json"}

def call(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers=auth)
    with urllib.request.urlopen(req, timeout=10) as r:
        text = r.read()
        return json.loads(text) if text else None

def edge():
    return call("GET", "http://127.0.0.1:18084/api/v1/edge")

def until(test, limit=30):
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if test(edge()):
            return
        time.sleep(0.01)
    raise SystemExit("the edge did not see the change within %d s" % limit)

until(lambda e: e["model"] is not None and e["campaigns"] is not None, 60)
print("edge holds a model and a campaign set", file=sys.stderr)

def report(name, ms):
    ms = sorted(ms)
    print("%-40s n=%d  p50 %6.0f ms  max %6.0f ms" % (name, len(ms), ms[len(ms) // 2], ms[-1]))

def published(e, part):
    from datetime import datetime
    return datetime.fromisoformat(e[part]["publishedAt"].replace("Z", "+00:00")).timestamp()

split = {"model": [], "campaigns": []}

def seen(part, t_wall):
    """Splits a change's time into the owner's (until it published) and the topic's."""
    e = edge()
    split[part].append((1000 * (published(e, part) - t_wall), 1000 * (time.time() - published(e, part))))

model = []
for i in range(changes):
    mode = "live" if i % 2 == 0 else "apprentice"
    prefix = "thompson-v" if mode == "live" else "apprentice-v"
    call("PUT", "http://127.0.0.1:18083/api/v1/policies/current/mode",
         {"mode": mode, "reason": "edge benchmark"})
    t0, w0 = time.monotonic(), time.time()
    until(lambda e: e["model"]["policyVersion"].startswith(prefix))
    model.append(1000 * (time.monotonic() - t0))
    seen("model", w0)
    time.sleep(0.3)
report("mode change -> edge", model)

campaigns = []
base = edge()["campaigns"]["campaigns"]
for i in range(changes):
    cid = "bench-edge-%d-%d" % (os.getpid(), i)
    call("POST", "http://127.0.0.1:18082/api/v1/campaigns", {
        "id": cid, "name": "Edge benchmark", "goal": "conversion", "channels": ["web"],
        "placement": "home-hero", "trigger": {"type": "realtime"}, "rule": "true"})
    t0, w0 = time.monotonic(), time.time()
    until(lambda e: e["campaigns"]["campaigns"] == base + 1)
    campaigns.append(1000 * (time.monotonic() - t0))
    seen("campaigns", w0)
    call("DELETE", "http://127.0.0.1:18082/api/v1/campaigns/" + cid)
    t0 = time.monotonic()
    until(lambda e: e["campaigns"]["campaigns"] == base)
    campaigns.append(1000 * (time.monotonic() - t0))
report("campaign created or deleted -> edge", campaigns)
for part, pairs in split.items():
    owner = sorted(p[0] for p in pairs)
    topic = sorted(p[1] for p in pairs)
    print("  %-9s owner answered -> published: p50 %5.0f ms; published -> seen: p50 %5.0f ms"
          % (part, owner[len(owner) // 2], topic[len(topic) // 2]))
PY
