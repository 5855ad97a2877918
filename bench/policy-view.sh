#!/usr/bin/env bash
# The policy view, the promotion check and a mode switch on a decision log of ROWS decisions
# (default 10,000,000), with decision-service at the heap bin/nextbest up gives it (256 MB):
# promotion and the view read running sums, never the log, so neither memory nor time grows with it.
#   bench/policy-view.sh [ROWS]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROWS=${1:-10000000}
PORT=18083
URL="http://127.0.0.1:$PORT"
AUTH="Authorization: Bearer $NEXTBEST_TOKEN"
bench_start_service decision "$PORT" -Xms64m -Xmx256m -Dnextbest.decision.initial-mode=apprentice \
  -Dquarkus.rest-client.eligibility-service.url=http://127.0.0.1:1
DB=nextbest_decision_bench
CHUNK=1000000
echo "filling the decision log with $ROWS learned decisions" >&2
for ((from = 0; from < ROWS; from += CHUNK)); do
  to=$((from + CHUNK < ROWS ? from + CHUNK : ROWS))
  bench_psql -d "$DB" -c "insert into decision_log (decision_id, customer_id, campaign_id, channel,
    propensity, policy_version, control, candidates, features, decided_at, learned, learned_long,
    reward) select 'd:bench-' || i, 'bench-c-' || (i % 200000), case when i % 3 = 0 then null
    else 'c' || (i % 5) end, 'email', 0.2, 'apprentice-v1', false, '[\"c0\",\"c1\",\"c2\",\"c3\",\"c4\"]',
    '{\"encoder\":\"f2-bench\",\"x\":[1],\"policy\":{\"rule\":\"apprentice\"}}'::jsonb,
    now() - interval '60 days' + i * interval '400 milliseconds', true, true, (i % 7)::float8
    from generate_series($from, $to - 1) i" >/dev/null
  printf '\r  %s of %s rows' "$to" "$ROWS" >&2
done
echo >&2
bench_psql -d "$DB" -c "insert into policy_sums (bucket, policy, n, sw, swr, sw2, sw2r, sw2r2, matches, sdr, sdr2)
  select 'apprentice', p, $ROWS, $ROWS, 3.0 * $ROWS, 1.2 * $ROWS, 3.6 * $ROWS, 20.0 * $ROWS, $ROWS / 2, 3.0 * $ROWS, 14.0 * $ROWS
  from unnest(array['model', 'manual', 'diff', 'logged']) p on conflict do nothing" >/dev/null
echo "decision log: $(bench_psql -d "$DB" -c 'select count(*) from decision_log') rows, $(bench_psql -d "$DB" -c "select pg_size_pretty(pg_total_relation_size('decision_log'))")" >&2
pid=${BENCH_PIDS[-1]}
view() { curl -fsS -o /dev/null -w '%{http_code} %{time_total}\n' -H "$AUTH" "$URL/api/v1/policies/current"; }
echo "GET /api/v1/policies/current, 20 calls (status, seconds):" >&2
for _ in $(seq 1 20); do view; done | sort -k2 -n | awk '{s[NR]=$2; c[$1]++} END {for (k in c) printf "  status %s x%d\n", k, c[k]; printf "  p50 %.1f ms, max %.1f ms\n", s[int(NR/2)] * 1000, s[NR] * 1000}'
echo "PUT /api/v1/policies/current/mode live, then apprentice:" >&2
for mode in live apprentice; do
  curl -fsS -o /dev/null -w "  $mode: %{http_code} in %{time_total} s\n" -X PUT -H "$AUTH" \
    -H 'Content-Type: application/json' -d "{\"mode\":\"$mode\",\"reason\":\"bench\"}" "$URL/api/v1/policies/current/mode"
done
echo "two promotion checks and learning steps later (10 s):" >&2
sleep 10
view | sed 's/^/  view: /'
curl -fsS "$URL/q/health/ready" >/dev/null && echo "  ready: yes" || echo "  ready: NO"
echo "  RSS $(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 )) MiB (-Xmx256m)"
echo "  OutOfMemoryError lines in the log: $(grep -c 'OutOfMemoryError' "$ROOT/.nextbest/logs/decision-service-bench.log" || true)"
