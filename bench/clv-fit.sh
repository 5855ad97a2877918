#!/usr/bin/env bash
# BG/NBD + Gamma-Gamma fit time at scale: draws N synthetic customers from the BG/NBD process with
# the CDNOW parameters, fits both models and prints the timings and the recovered parameters.
#   bench/clv-fit.sh [customers]     (default 1000000; target: fit < 30 s on 2 cores)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/bin/nextbest" clv-bench --customers "${1:-1000000}"
