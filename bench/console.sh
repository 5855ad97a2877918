#!/usr/bin/env bash
# The marketer console's pages under load, with 100,000 customers in profile-service and
# 1,000,000 logged decisions in decision-service: the four services and the console on fresh
# databases of their own; customers through the ingest API, decisions through the decision stream
# (moments in on nextbest.eligibility.v1, the decision log derived from nextbest.decisions.v1), then
# each page with two signed-in users at once for 20 s after a 10 s warm-up. Prints p50/p95/p99 per
# page and a JSON line.
#   bench/console.sh [customers] [decisions]   (default 100000 1000000)
#   target: every page p95 < 300 ms
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
CUSTOMERS=${1:-100000}
DECISIONS=${2:-1000000}
TOOLS=$(bench_tools_classpath)
[ -f "$ROOT/console/target/quarkus-app/quarkus-run.jar" ] ||
  (cd "$ROOT" && mvn -B -q -ntp package -DskipTests -pl console -am)
# the services call each other (and the console calls them) on the benchmark's ports
export NEXTBEST_PROFILE_PORT=18081 NEXTBEST_ELIGIBILITY_PORT=18082 NEXTBEST_DECISION_PORT=18083 \
  NEXTBEST_CONTENT_PORT=18084
bench_start_service profile 18081
bench_start_service eligibility 18082
bench_start_service decision 18083 -Dnextbest.decision.initial-mode=live
bench_start_service content 18084

log="$ROOT/.nextbest/logs/console-bench.log"
java -Xms512m -Xmx512m -Dquarkus.http.port=18085 -Dquarkus.log.level=WARN \
  -jar "$ROOT/console/target/quarkus-app/quarkus-run.jar" >"$log" 2>&1 &
BENCH_PIDS+=($!)
BENCH_NAMES+=(console)
for _ in $(seq 1 120); do
  curl -fsS http://127.0.0.1:18085/q/health/ready >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS http://127.0.0.1:18085/q/health/ready >/dev/null || { tail -30 "$log" >&2; exit 1; }
echo "console ready on http://127.0.0.1:18085 (log: $log)" >&2

echo "customers: $CUSTOMERS through the ingest API" >&2
java -Xmx1g -cp "$TOOLS" io.nextbest.tools.profile.IngestBenchmark --url http://127.0.0.1:18081 \
  --events $((CUSTOMERS * 6)) --customers "$CUSTOMERS" --parallel 6 --batch 500 >&2
echo "decisions: $DECISIONS through the decision stream" >&2
java -Xmx512m -cp "$TOOLS" io.nextbest.tools.decision.DecisionStreamBenchmark "$DECISIONS" \
  2> >(grep -v -i logmanager >&2) >&2
for _ in $(seq 1 900); do
  n=$(bench_psql -d nextbest_decision_bench -c "select count(*) from decision_log")
  printf '\rdecision log: %s rows' "$n" >&2
  [ "$n" -ge "$DECISIONS" ] && break
  sleep 1
done
echo >&2
profiles=$(bench_psql -d nextbest_profile_bench -c "select count(*) from customers")
customer=$(bench_psql -d nextbest_decision_bench -c "select customer_id from decision_log limit 1")
template=$(curl -fsS -H "Authorization: Bearer $NEXTBEST_TOKEN" http://127.0.0.1:18084/api/v1/templates |
  python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
echo "$profiles customers, $n logged decisions; the customer page shows $customer" >&2

session=$("$ROOT/bin/nextbest" token marketer --subject bench-marketer)
pages=(overview campaigns campaigns/new content "content/$template" segments learning customers
  "customers/$customer")
json="{\"customers\":$profiles,\"decisions\":$n,\"pages\":{"
sep=""
for p in "${pages[@]}"; do
  url="http://127.0.0.1:18085/$p"
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: nextbest_session=$session" "$url")
  [ "$code" = 200 ] || { echo "/$p answered $code" >&2; exit 1; }
  wrk -t1 -c2 -d10s -H "Cookie: nextbest_session=$session" "$url" >/dev/null
  line=$(wrk -t1 -c2 -d20s -s "$ROOT/bench/latency.lua" -H "Cookie: nextbest_session=$session" "$url" |
    grep '^p50_ms=')
  printf '%-28s %s\n' "/$p" "$line"
  p95=$(sed 's/.*p95_ms=\([0-9.]*\).*/\1/' <<<"$line")
  name="/${p/#customers\/*/customers/{id\}}"
  name="${name/#\/content\/[0-9]*/\/content/{id\}}"
  json+="$sep\"$name\":$p95"
  sep=","
done
echo "$json}}"
