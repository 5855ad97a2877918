#!/usr/bin/env bash
# GET /api/v1/profiles/{id} from a warm Redis: loads CUSTOMERS profiles through the ingest API
# (which caches every new version), then drives wrk for DURATION with CONNECTIONS connections and
# prints throughput and latency percentiles. PACE_MS=n paces each connection to a call every n ms
# plus its latency (e.g. PACE_MS=1 with 20 connections offers about 10,000 calls/s).
#   bench/profile-get.sh [customers] [connections] [duration]   (default 10000 8 30s; one wrk thread unless WRK_THREADS says otherwise)
#   target on 2 cores: p99 ≤ 2 ms at ≥ 10,000 requests/s
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CUSTOMERS=${1:-10000}
CONNECTIONS=${2:-8}
DURATION=${3:-30s}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
TOOLS=$(bench_tools_classpath)
bench_start_profile
echo "loading $CUSTOMERS profiles" >&2
java -Xmx1g -cp "$TOOLS" \
  io.nextbest.tools.profile.IngestBenchmark --url "$BENCH_URL" --events $((CUSTOMERS * 10)) \
  --customers "$CUSTOMERS" --parallel 4 >/dev/null 2>&1
echo "profiles cached in Redis: $(redis-cli --scan --pattern 'nextbest:profile:bench-*' 2>/dev/null | wc -l)" >&2
echo "warm-up 10 s" >&2
NEXTBEST_BENCH="$ROOT/bench" CUSTOMERS=$CUSTOMERS PACE_MS=0 wrk -t"${WRK_THREADS:-1}" -c"$CONNECTIONS" -d10s -s "$ROOT/bench/profile-get.lua" "$BENCH_URL" >/dev/null
echo "measuring $DURATION with $CONNECTIONS connections${PACE_MS:+, paced at $PACE_MS ms}" >&2
NEXTBEST_BENCH="$ROOT/bench" CUSTOMERS=$CUSTOMERS PACE_MS=${PACE_MS:-0} wrk -t"${WRK_THREADS:-1}" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$ROOT/bench/profile-get.lua" "$BENCH_URL"
