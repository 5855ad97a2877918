#!/usr/bin/env bash
# Ingest throughput end to end: HTTP batches of 500 → the event log (nextbest.events.v1) → the
# log's consumers (events, profiles, features, predictions, segments, outbox) → the snapshot on
# nextbest.profiles.v1, against a fresh profile-service of its own. An event counts once a
# snapshot counts it; prints throughput and the lag from acceptance to snapshot (p50, p99).
#   bench/ingest.sh [events] [customers] [in-flight requests]   (default 300000 50000 6)
#   target on 2 cores: ≥ 50,000 events/s, acceptance-to-snapshot p99 ≤ 2 s
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
TOOLS=$(bench_tools_classpath)
bench_start_profile
java -Xmx1g -cp "$TOOLS" \
  io.nextbest.tools.profile.IngestBenchmark --url "$BENCH_URL" --events "${1:-300000}" \
  --customers "${2:-50000}" --parallel "${3:-6}" --batch 500
