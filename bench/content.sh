#!/usr/bin/env bash
# The frontend call: GET /api/v1/content/home-hero?customerId=… through the whole real-time path —
# profile from Redis, the decision (in-process from the model and campaign set decision-service and
# eligibility-service publish, when the customer's contact history in Redis is whole; else
# decision-service, which asks eligibility-service for the placement's campaigns), published on
# Kafka and acknowledged before answering, Thompson sampling over two variants,
# Qute render, impression on nextbest.outcomes.v1 — and, in the same run, the service's bare
# /hello endpoint as the denominator.
#   bench/content.sh [customers] [connections] [duration] [max warm-up s]   (default 10000 8 30s 600)
#   target on 2 cores: p99 ≤ 5 ms at ≥ 5,000 requests/s; content/hello throughput ≥ 25%
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CUSTOMERS=${1:-10000}
CONNECTIONS=${2:-8}
DURATION=${3:-30s}
WARMUP=${4:-600}
URL="http://127.0.0.1:18084"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
bench_start_service eligibility 18082 -Dquarkus.rest-client.profile-service.url=http://127.0.0.1:1
bench_start_service decision 18083 -Dnextbest.decision.initial-mode=live \
  -Dquarkus.rest-client.eligibility-service.url=http://127.0.0.1:18082
bench_start_service content 18084 -Dquarkus.rest-client.decision-service.url=http://127.0.0.1:18083 \
  -Dnextbest.content.site-keys.pk_bench.origins=http://127.0.0.1 \
  -Dnextbest.content.site-keys.pk_bench.requests-per-second=100000000 \
  -Dnextbest.content.site-keys.pk_bench.trust-unsigned-ids=true
bench_cache_profiles bench-c "$CUSTOMERS"

cat >"$ROOT/.nextbest/content-bench.lua" <<LUA
local customers = $CUSTOMERS
math.randomseed(17)
request = function()
  return wrk.format("GET", "/api/v1/content/home-hero?customerId=bench-c-"
    .. math.random(0, customers - 1) .. "&locale=es-MX&key=pk_bench")
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.3f %.3f %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status + summary.errors.timeout))
end
LUA
cat >"$ROOT/.nextbest/hello-bench.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.3f %.3f %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status + summary.errors.timeout))
end
LUA
# the first calls are cold and may miss the placement's 150 ms budget (default content)
for _ in $(seq 1 40); do
  sample=$(curl -fsS "$URL/api/v1/content/home-hero?customerId=bench-c-1&locale=es-MX&key=pk_bench")
  echo "$sample" | grep -q '"campaignId":"welcome"' && break
  sleep 0.5
done
echo "sample answer: $sample" >&2
echo "$sample" | grep -q '"campaignId":"welcome"' || { echo "the content call did not reach a campaign" >&2; exit 1; }

echo "warm-up until steady, at most $WARMUP s (the JIT settles in all three services)" >&2
bench_warm_up "$WARMUP" -c"$CONNECTIONS" -s "$ROOT/.nextbest/content-bench.lua" "$URL"
wrk -t1 -c"$CONNECTIONS" -d10s "$URL/hello" >/dev/null
echo "measuring the content call for $DURATION with $CONNECTIONS connections" >&2
content=$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$ROOT/.nextbest/content-bench.lua" "$URL" | grep '^RESULT')
echo "measuring /hello for $DURATION with $CONNECTIONS connections" >&2
hello=$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$ROOT/.nextbest/hello-bench.lua" "$URL/hello" | grep '^RESULT')
read -r _ c_rps c_p50 c_p99 c_err <<<"$content"
read -r _ h_rps h_p50 h_p99 h_err <<<"$hello"
printf '\n%-22s %12s %10s %10s %8s\n' endpoint "req/s" "p50 ms" "p99 ms" errors
printf '%-22s %12.0f %10.2f %10.2f %8d\n' "content/home-hero" "$c_rps" "$c_p50" "$c_p99" "$c_err"
printf '%-22s %12.0f %10.2f %10.2f %8d\n' "hello" "$h_rps" "$h_p50" "$h_p99" "$h_err"
reasons=$(for i in $(seq 1 200); do
  curl -fsS "$URL/api/v1/content/home-hero?customerId=bench-c-$i&locale=es-MX&key=pk_bench" | python3 -c 'import json,sys; print(json.load(sys.stdin)["reason"])'
done | sort | uniq -c | tr -s ' ' | paste -sd, -)
echo "reasons of 200 answers after the run:$reasons"
# where the content calls were decided: in-process (the edge) or by decision-service over HTTP, and
# the wait for the broker's acknowledgement of an edge decision, which the answer includes
curl -fsS "$URL/q/metrics" | grep -E '^nextbest_content_(decisions_total|edge_publish_seconds\{)' | sed 's/^/  /'
python3 -c "import sys; print('content / hello throughput: %.1f%% (target >= 25%%)' % (100 * float(sys.argv[1]) / float(sys.argv[2])))" "$c_rps" "$h_rps"
sleep 3
echo "impressions recorded: $(bench_psql -d nextbest_content_bench -c 'select coalesce(sum(impressions), 0) from variant_stats')"
