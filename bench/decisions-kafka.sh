#!/usr/bin/env bash
# Streaming decisions: moments with five campaigns in on nextbest.eligibility.v1, decisions out on
# nextbest.decisions.v1 (batches of moments, one Redis round trip and one producer pass per batch),
# then the decision log catching up in PostgreSQL. A first pass warms the service's JIT; the
# second is measured.
#   bench/decisions-kafka.sh [moments] [warm-up moments]   (default 500000 100000)
#   target: ≥ 1,000,000 decisions/min
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
TOOLS=$(bench_tools_classpath)
bench_start_service decision 18083 -Dnextbest.decision.initial-mode=live \
  -Dquarkus.rest-client.eligibility-service.url=http://127.0.0.1:1
N=${1:-500000}
stream() {
  java -Xmx512m -cp "$TOOLS" \
    io.nextbest.tools.decision.DecisionStreamBenchmark "$1" 2> >(grep -v -i logmanager >&2)
}
logged() {
  bench_psql -d nextbest_decision_bench -c "select count(*) from decision_log where decision_id like 'd:m:bench-d-%'"
}
echo "warm-up: ${2:-100000} moments" >&2
stream "${2:-100000}" >/dev/null
echo "measured: $N moments" >&2
stream "$N"
start=$(date +%s.%N)
for _ in $(seq 1 600); do
  n=$(logged)
  printf '\rdecision log: %s rows (all passes)' "$n" >&2
  # both passes logged
  [ "$n" -ge "$(( ${2:-100000} + N ))" ] && break
  sleep 1
done
echo >&2
echo "{\"logged\":$((n - ${2:-100000})),\"logCatchUpSeconds\":$(python3 -c "import time; print(round(time.time() - $start, 1))")}"
