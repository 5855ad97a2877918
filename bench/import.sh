#!/usr/bin/env bash
# Loads a real data set through the ingest API into a fresh profile-service and prints the import
# summary (orders and returns sent, accepted, skipped guest orders, rejected, orders/s and events/s,
# the moment the data stands at) plus the refitted CLV model and segment sizes. Target: 5,000 orders/s.
#   bench/import.sh [online-retail|cdnow]      (default online-retail)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
FORMAT=${1:-online-retail}
case "$FORMAT" in
  online-retail) FILE="$ROOT/../shared/data/online-retail/online_retail_2010-12_2011-12.csv.gz" ;;
  cdnow) FILE="$ROOT/../shared/data/cdnow/CDNOW_master.txt" ;;
  *) echo "unknown format $FORMAT" >&2; exit 2 ;;
esac
bench_start_profile
"$ROOT/bin/nextbest" import --format "$FORMAT" "$FILE" --url "$BENCH_URL" --refit
