#!/usr/bin/env bash
# Streaming decisions: moments with five campaigns in on nextbest.eligibility.v1, decisions out on
# nextbest.decisions.v1 (batches of moments, one Redis round trip per batch), then the decision
# log catching up in PostgreSQL.
#   bench/decisions-kafka.sh [moments]   (default 500000); target: ≥ 1,000,000 decisions/min
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_start_service decision 18083 -Dnextbest.decision.initial-mode=live \
  -Dquarkus.rest-client.eligibility-service.url=http://127.0.0.1:1
app="$ROOT/decision-service/target/quarkus-app"
N=${1:-500000}
java -Xmx512m -cp "$app/app/*:$app/lib/main/*:$app/lib/boot/*" \
  io.nextbest.decision.cli.DecisionStreamBenchmark "$N"
start=$(date +%s.%N)
for _ in $(seq 1 600); do
  logged=$(bench_psql -d nextbest_decision_bench -c "select count(*) from decision_log where decision_id like 'd:m:bench-d-%'")
  printf '\rdecision log: %s / %s' "$logged" "$N" >&2
  [ "$logged" -ge "$N" ] && break
  sleep 1
done
echo >&2
echo "{\"logged\":$logged,\"logCatchUpSeconds\":$(python3 -c "import time; print(round(time.time() - $start, 1))")}"
