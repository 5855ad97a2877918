#!/usr/bin/env bash
# Soak: the four services at the heap bin/nextbest up gives them (-Xmx256m, exit on
# OutOfMemoryError) on fresh databases, through three phases, with each service's heap printed
# after each phase:
#   1. import   the Online Retail data set with the refit (bin/nextbest import … --refit)
#   2. simulate SIM_CUSTOMERS customers over SIM_DAYS days through the public APIs
#               (bin/nextbest simulate: profiles, events, decisions, outcomes)
#   3. logs     the decision log filled to ROWS rows and the other services' logs (profile
#               events, contact history, impressions) to LOG_ROWS, then traffic on top of them: a
#               further simulation, the content call for TRAFFIC seconds, the policy view, and a
#               minute of scheduled jobs
# Per service and phase: the peak heap in use (sampled every 2 s), the live heap after a full
# collection at the phase's end, the resident memory, and whether it stayed up and ready.
# Stop bin/nextbest up's services first: they share the Kafka topics.
#   bench/soak.sh [ROWS] [SIM_CUSTOMERS] [SIM_DAYS] [TRAFFIC] [LOG_ROWS]
#   (default 10000000 100000 2 60 ROWS)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROWS=${1:-10000000}
SIM_CUSTOMERS=${2:-100000}
SIM_DAYS=${3:-2}
TRAFFIC=${4:-60}
LOG_ROWS=${5:-$ROWS}
DATA=${SOAK_DATA:-$ROOT/../shared/data/online-retail/online_retail_2010-12_2011-12.csv.gz}
HEAP=(-Xms64m -Xmx256m -XX:+ExitOnOutOfMemoryError)
[ -f "$DATA" ] || { echo "no Online Retail file at $DATA (set SOAK_DATA)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
export BENCH_GC=-XX:+UseG1GC # the collector bin/nextbest up's JVMs choose on this machine
declare -A PORT=([profile]=18281 [eligibility]=18282 [decision]=18283 [content]=18284)
export NEXTBEST_PROFILE_PORT=${PORT[profile]} NEXTBEST_ELIGIBILITY_PORT=${PORT[eligibility]}
export NEXTBEST_DECISION_PORT=${PORT[decision]}
SERVICES=(profile eligibility decision content)
for s in "${SERVICES[@]}"; do
  if [ "$s" = content ]; then
    bench_start_service content "${PORT[content]}" "${HEAP[@]}" \
      -Dnextbest.content.site-keys.pk_soak.origins=http://127.0.0.1 \
      -Dnextbest.content.site-keys.pk_soak.requests-per-second=100000000 \
      -Dnextbest.content.site-keys.pk_soak.trust-unsigned-ids=true
  else
    bench_start_service "$s" "${PORT[$s]}" "${HEAP[@]}"
  fi
done
declare -A PID
for i in "${!BENCH_NAMES[@]}"; do PID[${BENCH_NAMES[$i]%-service}]=${BENCH_PIDS[$i]}; done
SAMPLES="$ROOT/.nextbest/soak"
rm -rf "$SAMPLES" && mkdir -p "$SAMPLES"

# heap in use (KiB) of a JVM: survivors + eden + old generation, from jstat
heap_used() { jstat -gc "$1" 2>/dev/null | awk 'NR == 2 {printf "%d", $3 + $4 + $6 + $8}'; }
sampler() {
  local s used
  while :; do
    for s in "${SERVICES[@]}"; do
      used=$(heap_used "${PID[$s]}" || true) # an exited service has no heap to read
      [ -n "$used" ] && echo "$used" >>"$SAMPLES/$s"
    done
    sleep 2
  done
}
sampler &
SAMPLER=$!
trap 'kill $SAMPLER 2>/dev/null || true; bench_stop' EXIT

FAILED=0
REPORT="$SAMPLES/report"
printf '%-9s %-12s %10s %14s %8s %s\n' phase service "peak heap" "live after GC" RSS state >"$REPORT"
# report <phase>: each service's figures since the previous report
report() {
  local phase=$1 s pid peak live rss state
  for s in "${SERVICES[@]}"; do
    pid=${PID[$s]}
    peak=$(cat "$SAMPLES/$s" 2>/dev/null | sort -n | tail -1 || true)
    : >"$SAMPLES/$s"
    if kill -0 "$pid" 2>/dev/null; then
      jcmd "$pid" GC.run >/dev/null 2>&1 || true
      live=$(heap_used "$pid")
      rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
      state=$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:${PORT[$s]}/q/health/ready" 2>/dev/null || true)
      [ "$state" = 200 ] && state=ready || state="NOT-READY ($state)"
    else
      live="" rss="" state=EXITED
    fi
    [ "$state" = ready ] || FAILED=1
    state="$state, OutOfMemoryError lines: $(grep -c OutOfMemoryError "$ROOT/.nextbest/logs/$s-service-bench.log" || true)"
    printf '%-9s %-12s %6s MiB %10s MiB %4s MiB %s\n' "$phase" "$s" "$((${peak:-0} / 1024))" \
      "$((${live:-0} / 1024))" "$((${rss:-0} / 1024))" "$state" | tee -a "$REPORT" >&2
  done
}
report started

# settle <db> <table>: wait until the table stops growing (the pipeline has caught up)
settle() {
  local db=$1 table=$2 before=-1 now
  while :; do
    now=$(bench_psql -d "$db" -c "select count(*) from $table")
    echo "  $table: $now rows" >&2
    [ "$now" = "$before" ] && return 0
    before=$now
    sleep 10
  done
}

echo "== phase 1: Online Retail import with the refit ($DATA)" >&2
"$ROOT/bin/nextbest" import --format online-retail "$DATA" --url "http://127.0.0.1:${PORT[profile]}" --refit
settle nextbest_decision_bench decision_log
report import

echo "== phase 2: simulation of $SIM_CUSTOMERS customers over $SIM_DAYS days" >&2
"$ROOT/bin/nextbest" simulate --customers "$SIM_CUSTOMERS" --days "$SIM_DAYS" --measure-from 0 --run-id soak \
  --mode live --profile-url "http://127.0.0.1:${PORT[profile]}" --decision-url "http://127.0.0.1:${PORT[decision]}" \
  --json "$SAMPLES/simulate.json" --plot "$SAMPLES/simulate.svg"
settle nextbest_decision_bench decision_log
report simulate

echo "== phase 3: the decision log filled to $ROWS rows, the other logs to $LOG_ROWS" >&2
# fill <rows> <db> <table> <insert … select, over i>: the table grown to that many rows in chunks
# of a million
fill() {
  local rows=$1 db=$2 table=$3 sql=$4 have from to
  have=$(bench_psql -d "$db" -c "select count(*) from $table")
  for ((from = have; from < rows; from += 1000000)); do
    to=$((from + 1000000 < rows ? from + 1000000 : rows))
    bench_psql -d "$db" -c "$sql from generate_series($from, $to - 1) i" >/dev/null
    printf '\r  %s: %s of %s rows' "$table" "$to" "$rows" >&2
  done
  bench_psql -d "$db" -c "analyze $table" >/dev/null
  echo " ($(bench_psql -d "$db" -c "select pg_size_pretty(pg_total_relation_size('$table'))"))" >&2
}
fill "$ROWS" nextbest_decision_bench decision_log "insert into decision_log (decision_id, customer_id,
  campaign_id, channel, propensity, policy_version, control, candidates, features, decided_at,
  learned, learned_long, reward) select 'd:soak-' || i, 'soak-c-' || (i % 200000),
  case when i % 3 = 0 then null else 'c' || (i % 5) end, 'email', 0.2, 'soak-v1', false,
  '[\"c0\",\"c1\",\"c2\",\"c3\",\"c4\"]', '{\"encoder\":\"soak\",\"x\":[1]}'::jsonb,
  now() - interval '400 days' + i * interval '3 seconds', true, true, (i % 7)::float8"
fill "$LOG_ROWS" nextbest_profile_bench events "insert into events (event_id, customer_id, type, occurred_at,
  properties) select 'soak-e-' || i, 'soak-c-' || (i % 200000), 'view',
  now() - interval '400 days' + i * interval '3 seconds', '{\"category\":\"tea\"}'::jsonb"
fill "$LOG_ROWS" nextbest_eligibility_bench contact_history "insert into contact_history (decision_id,
  customer_id, campaign_id, channel, sent_at) select 'd:soak-' || i, 'soak-c-' || (i % 200000),
  'c' || (i % 5), 'email', now() - interval '400 days' + i * interval '3 seconds'"
fill "$LOG_ROWS" nextbest_content_bench impressions "insert into impressions (decision_id, customer_id,
  template_id, variant_id, locale, shown_at) select 'd:soak-' || i, 'soak-c-' || (i % 200000), 1,
  'a', 'en', now() - interval '400 days' + i * interval '3 seconds'"
report filled

echo "== phase 3, traffic on the filled logs" >&2
"$ROOT/bin/nextbest" simulate --customers 3000 --days 3 --measure-from 0 --run-id soak-traffic \
  --mode live --profile-url "http://127.0.0.1:${PORT[profile]}" --decision-url "http://127.0.0.1:${PORT[decision]}" \
  >/dev/null
cat >"$SAMPLES/content.lua" <<LUA
math.randomseed(23)
request = function()
  return wrk.format("GET", string.format("/api/v1/content/home-hero?customerId=soak-c%06d&key=pk_soak", math.random(0, $SIM_CUSTOMERS - 1)))
end
LUA
echo "  the content call for $TRAFFIC s (customers of the simulation)" >&2
wrk -t1 -c8 -d"${TRAFFIC}s" -s "$SAMPLES/content.lua" "http://127.0.0.1:${PORT[content]}" |
  awk '/Requests\/sec|Non-2xx|Socket errors/ {print "  " $0}' >&2
echo "  the policy view, 20 calls: $(for _ in $(seq 1 20); do
  curl -sS -o /dev/null -w '%{http_code} ' -H "Authorization: Bearer $NEXTBEST_TOKEN" \
    "http://127.0.0.1:${PORT[decision]}/api/v1/policies/current"; done)" >&2
echo "  a minute of scheduled jobs (learning, promotion check, sweeps)" >&2
sleep 60
report traffic

echo "== records on the dead-letter topics" >&2
"$ROOT/bin/nextbest" dlq list >&2 || true
echo >&2
cat "$REPORT"
[ "$FAILED" = 0 ] || { echo "a service exited or was not ready" >&2; exit 1; }
