#!/usr/bin/env bash
# Streaming throughput through eligibility-service: profile snapshots in, moments out (realtime
# campaigns evaluated with exclusions and contact history), end to end through Kafka.
#   bench/moments.sh [snapshots]   (default 100000); target on 2 cores: ≥ 20,000 moments/s
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_start_service eligibility 18082
app="$ROOT/eligibility-service/target/quarkus-app"
java -Xmx512m -cp "$app/app/*:$app/lib/main/*:$app/lib/boot/*" \
  io.nextbest.eligibility.cli.MomentStreamBenchmark "${1:-100000}"
