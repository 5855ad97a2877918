#!/usr/bin/env bash
# Loads a real data set through the ingest API into a fresh profile-service and prints the import
# summary (orders and returns sent, accepted, skipped guest orders, rejected, orders/s and events/s,
# the moment the data stands at), the CPU time each process spent per order while the file was
# sent (profile-service, the importer, PostgreSQL, the Kafka broker, Redis: on 2 cores, 5,000
# orders/s leaves them 0.4 ms of CPU per order together), then the refitted CLV model and segments.
# Target: 5,000 orders/s.
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

# clock ticks (user + system) of processes, summed
ticks() {
  local sum=0 p t
  for p in "$@"; do
    t=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)
    sum=$((sum + t))
  done
  echo "$sum"
}
# PostgreSQL's: its processes alive now, plus what the ones that ended (connections opened and
# closed, autovacuum workers) left in the postmaster's counts of its finished children
postgres_ticks() {
  local master live
  master=$(pgrep -u postgres -o postgres || true)
  live=$(pgrep -u postgres postgres | tr '\n' ' ' || true)
  [ -n "$master" ] || { echo 0; return; }
  echo $(($(ticks $live) + $(awk '{print $16 + $17}' "/proc/$master/stat" 2>/dev/null || echo 0)))
}
SERVICE=${BENCH_PIDS[-1]}
KAFKA=$(cat "${NEXTBEST_HOME:-$ROOT/.nextbest}/run/kafka.pid" 2>/dev/null || true)
REDIS=$(pgrep redis-server | tr '\n' ' ' || true)
HZ=$(getconf CLK_TCK)
CORES=$(nproc)
SUMMARY=$(mktemp)
trap 'rm -f "$SUMMARY" "$SUMMARY.time"; bench_stop' EXIT
before=("$(ticks "$SERVICE")" "$(postgres_ticks)" "$(ticks $KAFKA)" "$(ticks $REDIS)")
started=$(date +%s%N)
# the importer's own CPU: bash's times of the command (its JVM is a child of this shell)
TIMEFORMAT='%U %S'
rc=0
{ time "$ROOT/bin/nextbest" import --format "$FORMAT" "$FILE" --url "$BENCH_URL" --no-refit \
  >"$SUMMARY"; } 2>"$SUMMARY.time" || rc=$?
after=("$(ticks "$SERVICE")" "$(postgres_ticks)" "$(ticks $KAFKA)" "$(ticks $REDIS)")
wall=$(( ($(date +%s%N) - started) / 1000000 ))
cat "$SUMMARY"
if [ "$rc" -ne 0 ]; then
  cat "$SUMMARY.time" >&2
  echo "the import failed (exit $rc)" >&2
  exit "$rc"
fi
python3 - "$SUMMARY" "$HZ" "$wall" "$(tail -1 "$SUMMARY.time")" "$CORES" \
  "${before[@]}" "${after[@]}" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
hz, wall, cores = float(sys.argv[2]), float(sys.argv[3]) / 1000, int(sys.argv[5])
importer = sum(float(v) for v in sys.argv[4].split())
b, a = [int(v) for v in sys.argv[6:10]], [int(v) for v in sys.argv[10:14]]
orders = s.get("orders") or s["sent"]
rows = [("profile-service", (a[0] - b[0]) / hz), ("importer (JVM start included)", importer),
        ("PostgreSQL", (a[1] - b[1]) / hz), ("Kafka broker", (a[2] - b[2]) / hz),
        ("Redis", (a[3] - b[3]) / hz)]
print("CPU while %d orders were sent (%.1f s wall, %d orders/s):" % (orders, wall, orders / wall))
for name, cpu in rows:
    print("  %-30s %6.1f s  %5.2f ms per order  %4.0f%% of one core" % (name, cpu, 1000 * cpu / orders, 100 * cpu / wall))
total = sum(c for _, c in rows)
print("  %-30s %6.1f s  %5.2f ms per order; 5,000 orders/s on %d cores allows %.2f ms" % (
    "together", total, 1000 * total / orders, cores, cores * 1000 / 5000.0))
PY
# the refit the import would have run, as of the data's latest moment
AS_OF=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["asOf"])' "$SUMMARY")
curl -fsS -X POST -H "Authorization: Bearer $NEXTBEST_TOKEN" \
  "$BENCH_URL/api/v1/admin/clv-model/fit?asOf=$AS_OF" | python3 -m json.tool
curl -fsS -X POST -H "Authorization: Bearer $NEXTBEST_TOKEN" "$BENCH_URL/api/v1/admin/segment-model/fit" |
  python3 -c 'import json,sys; d=json.load(sys.stdin); s={}
for c in d.get("centroids", []): s[c["segment"]] = s.get(c["segment"], 0) + c["size"]
print("segments:", json.dumps(dict(sorted(s.items()))))'
