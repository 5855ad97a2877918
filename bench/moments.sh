#!/usr/bin/env bash
# Streaming throughput through eligibility-service: profile snapshots in, moments out (realtime
# campaigns evaluated with exclusions and contact history), end to end through Kafka. A first pass
# warms the service's JIT; the second is measured.
#   bench/moments.sh [snapshots] [warm-up snapshots]   (default 300000 100000)
#   target on 2 cores: ≥ 20,000 moments/s
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
TOOLS=$(bench_tools_classpath)
bench_start_service eligibility 18082
stream() {
  java -Xmx512m -cp "$TOOLS" \
    io.nextbest.tools.eligibility.MomentStreamBenchmark "$1" 2> >(grep -v -i logmanager >&2)
}
echo "warm-up: ${2:-100000} snapshots" >&2
stream "${2:-100000}" >/dev/null
echo "measured: ${1:-300000} snapshots" >&2
stream "${1:-300000}"
