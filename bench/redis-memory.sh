#!/usr/bin/env bash
# Redis memory per cached profile. A fresh profile-service ingests a realistic event mix for 2,000
# customers (views, carts, purchases: features, predictions, segments, consents filled in) and
# caches their snapshots; those real snapshots, re-keyed, then fill a throwaway Redis (no
# persistence, port 16390) with N profiles exactly as profile-service stores them
# (nextbest:profile:<id>, JSON, 24 h TTL). Prints the memory per profile and per 1,000,000.
#   bench/redis-memory.sh [profiles]   (default 1000000)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
N=${1:-1000000}
PORT=16390
command -v redis-server >/dev/null || { echo "redis-server is needed: apt-get install -y redis-server" >&2; exit 1; }
TOOLS=$(bench_tools_classpath)
bench_start_profile
java -Xmx512m -cp "$TOOLS" io.nextbest.tools.profile.IngestBenchmark \
  --url "$BENCH_URL" --events 40000 --customers 2000 --parallel 4 --batch 500 >/dev/null
samples="$ROOT/.nextbest/redis-memory-samples.jsonl"
redis-cli --scan --pattern 'nextbest:profile:bench-[0-9]*' | awk 'NR <= 2000' | xargs redis-cli --raw mget >"$samples"
echo "real snapshots sampled: $(wc -l <"$samples"), mean $(awk '{ n += length($0) } END { printf "%d", n / NR }' "$samples") bytes of JSON" >&2

redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --dir /tmp --logfile /tmp/nextbest-redis-memory.log >/dev/null
trap 'redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || true; bench_stop' EXIT
for _ in $(seq 1 50); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
used() { redis-cli -p "$PORT" info memory | sed -n 's/^used_memory:\([0-9]*\).*/\1/p'; }
before=$(used)
echo "filling Redis with $N profiles" >&2
python3 - "$samples" "$N" <<'PY' | redis-cli -p "$PORT" --pipe >/dev/null
import json, sys
samples = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def cmd(*args):
    out = ["*%d\r\n" % len(args)]
    for a in args:
        b = a.encode()
        out.append("$%d\r\n" % len(b)); out.append(a); out.append("\r\n")
    return "".join(out)
n = int(sys.argv[2])
for i in range(n):
    s = samples[i % len(samples)]
    old, new = s["customerId"], "bench-r-%d" % i
    body = json.dumps(s, separators=(",", ":")).replace('"' + old, '"' + new)
    sys.stdout.write(cmd("SET", "nextbest:profile:" + new, body, "EX", "86400"))
    if i % 100000 == 99999:
        print("\r  %d / %d" % (i + 1, n), end="", file=sys.stderr, flush=True)
print(file=sys.stderr)
PY
after=$(used)
keys=$(redis-cli -p "$PORT" dbsize)
python3 -c '
import json, sys
n, before, after = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
per = (after - before) / n
print(json.dumps({"profiles": n, "bytesPerProfile": round(per), "mibPerMillionProfiles": round(per * 1e6 / 2**20)}))
' "$keys" "$before" "$after"
