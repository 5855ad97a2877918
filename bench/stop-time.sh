#!/usr/bin/env bash
# Graceful stop: each service started on its own benchmark database, left idle for a few seconds
# (its Kafka consumers joined), then sent SIGTERM; prints the time until the process has exited.
# A rolling update on Kubernetes waits for this, and kills a pod that takes over 30 s.
#   bench/stop-time.sh [service...]   (default: profile eligibility decision content)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
PORT=18090
services=("$@")
[ ${#services[@]} -gt 0 ] || services=(profile eligibility decision content)
for s in "${services[@]}"; do
  bench_start_service "$s" "$PORT" >/dev/null
  pid=${BENCH_PIDS[-1]}
  sleep 3
  start=$(date +%s%N)
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  printf '%-20s stopped %.2f s after SIGTERM\n' "$s-service" "$(( $(date +%s%N) - start ))e-9"
  BENCH_PIDS=()
  BENCH_NAMES=()
done
