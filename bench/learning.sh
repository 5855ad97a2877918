#!/usr/bin/env bash
# How much of the oracle's uplift the decision engine reaches, over several simulated shops: runs
# bin/nextbest simulate --in-process (the engine's own features, policy, horizon rewards and
# learning at the service's defaults, no services needed) once per seed and prints each run's share
# of the myopic oracle's uplift and its multiple of manual priority's, then their means.
#   bench/learning.sh [CUSTOMERS] [DAYS] [SEEDS]      (default 3000 90 "1 2 3 4 5 6 7 8")
# ENGINE="horizon-days=3,temperature=0.2" changes engine settings (simulate --engine).
# STREAMS="0 1 2" runs every shop once per stream of the engine's own random draws (the shop and
# its baselines stay the same): a run's result depends on its draws by several points, so settings
# are compared over seeds × streams.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CUSTOMERS=${1:-3000}
DAYS=${2:-90}
SEEDS=${3:-1 2 3 4 5 6 7 8}
STREAMS=${STREAMS:-0}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
printf '%-6s %10s %10s %12s %12s\n' seed oracle% xmanual sends/c/day unsubscribes
for seed in $SEEDS; do
for stream in $STREAMS; do
  run="$seed"
  [ "$STREAMS" = 0 ] || run="$seed/$stream"
  "$ROOT/bin/nextbest" simulate --in-process --customers "$CUSTOMERS" --days "$DAYS" --seed "$seed" \
    --engine "stream=$stream${ENGINE:+,$ENGINE}" \
    --plot "$OUT/$seed-$stream.svg" --json "$OUT/$seed-$stream.json" >/dev/null \
    2>"$OUT/$seed-$stream.err" || { cat "$OUT/$seed-$stream.err" >&2; exit 1; }
  python3 - "$OUT/$seed-$stream.json" "$run" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
rows = {r["policy"]: r for r in d["policies"]}
e = rows["NextBest engine (in-process)"]
m = rows["manual priority"]
print("%-6s %9.1f%% %9.2fx %12.3f %6d (manual %d)" % (sys.argv[2], 100 * e["shareOfOracle"],
      e["timesManual"] or 0, e["sendsPerCustomerDay"], e["unsubscribes"], m["unsubscribes"]))
PY
done
done | tee "$OUT/rows.txt"
awk '{s += $2; q += $2 * $2; x += $3; n++}
  END {v = n > 1 ? (q - s * s / n) / (n - 1) : 0; sd = v > 0 ? sqrt(v) : 0
       printf "mean   %9.1f%% %9.2fx  over %d runs (sd of a run %.1f, of the mean %.1f points)\n",
         s / n, x / n, n, sd, sd / sqrt(n)}' "$OUT/rows.txt"
