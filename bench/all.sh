#!/usr/bin/env bash
# Every benchmark, one after the other, each on its own fresh *_bench database, then one table of
# figures against their targets, the machine they ran on and each service's resident memory.
#   bench/all.sh [--readme] [--table-only]   (--table-only: the table from the last run's logs)
# Logs: .nextbest/bench/<name>.log; the table is written to bench/RESULTS.md (and, with --readme,
# into README.md between the bench markers). Load generators run on 127.0.0.1 only, bounded in
# connections and time. Takes about 45 minutes on 2 cores.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOGS="$ROOT/.nextbest/bench"
mkdir -p "$LOGS"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
RUN=1
for a in "$@"; do [ "$a" = --table-only ] && RUN=0; done
[ "$RUN" = 1 ] && (cd "$ROOT" && mvn -B -q -ntp install -DskipTests)

# name | command (run from the repository root). The latency targets are set at a rate, so their
# loads are paced to it (PACE_MS=1: each connection calls every millisecond plus its latency).
BENCHES=(
  "ingest|bench/ingest.sh 100000 20000 6"
  "profile-get|PACE_MS=1 bench/profile-get.sh 10000 20 20s"
  "eligibility|PACE_MS=1 bench/eligibility.sh 10000 10 20s"
  "cel-jmh|bench/cel-jmh.sh -f 1 -wi 2 -i 3 -w 2s -r 2s"
  "moments|bench/moments.sh"
  "decisions|bench/decisions.sh 10000 8 20s 300"
  "decisions-kafka|bench/decisions-kafka.sh 200000"
  "content|bench/content.sh 10000 8 20s 600"
  "clv-fit|bench/clv-fit.sh 1000000"
  "redis-memory|bench/redis-memory.sh 1000000"
)
started=$(date +%s)
i=0
[ "$RUN" = 1 ] || BENCHES=()
for entry in "${BENCHES[@]}"; do
  i=$((i + 1))
  name=${entry%%|*}
  cmd=${entry#*|}
  t0=$(date +%s)
  printf '[%2d/%d] %-16s %s … ' "$i" "${#BENCHES[@]}" "$name" "$cmd" >&2
  if (cd "$ROOT" && bash -c "$cmd") >"$LOGS/$name.log" 2>&1; then
    printf 'done in %ds\n' $(($(date +%s) - t0)) >&2
  else
    printf 'FAILED after %ds (see %s)\n' $(($(date +%s) - t0)) "$LOGS/$name.log" >&2
  fi
done
[ "$RUN" = 1 ] && echo "all benchmarks in $(($(date +%s) - started)) s" >&2

python3 - "$LOGS" "$ROOT" "$@" <<'PY'
import json, os, re, subprocess, sys, datetime
logs, root, args = sys.argv[1], sys.argv[2], sys.argv[3:]

def text(name):
    p = os.path.join(logs, name + ".log")
    return open(p, errors="replace").read() if os.path.exists(p) else ""

def last_json(name):
    for line in reversed(text(name).splitlines()):
        line = line.strip()
        if line.startswith("{") and line.endswith("}"):
            return json.loads(line)
    return None

def ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

def wrk(name):
    t = text(name)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", t)
    p50 = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)$", t, re.M)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)$", t, re.M)
    if not (rps and p50 and p99):
        return None
    return float(rps.group(1)), ms(*p50.groups()), ms(*p99.groups())

rows = []  # (benchmark, measured, target, met)
def add(bench, measured, target, met):
    rows.append((bench, measured, target, "yes" if met else "no" if met is not None else "–"))
def missing(bench, target):
    rows.append((bench, "not measured (see log)", target, "–"))

t = text("ingest")
m = re.search(r"end to end \(on Kafka\)\s+([\d.]+) s\s+([\d,]+) events/s", t)
b = re.search(r"batch latency\s+p50 (\d+) ms\s+p99 (\d+) ms", t)
if m:
    eps = float(m.group(2).replace(",", ""))
    add("ingest (HTTP batches of 500 → PostgreSQL → Kafka)",
        "%s events/s, batch p50 %s ms p99 %s ms" % (f"{eps:,.0f}", b.group(1), b.group(2)) if b else f"{eps:,.0f} events/s",
        "≥ 50,000 events/s", eps >= 50000)
else:
    missing("ingest", "≥ 50,000 events/s")

for name, label, target, rps_min, p99_max in [
    ("profile-get", "profile read, warm Redis (GET /api/v1/profiles/{id})", "p99 ≤ 2 ms at ≥ 10,000 req/s", 10000, 2),
    ("eligibility", "real-time eligibility, 100 campaigns", "p99 ≤ 2 ms at ≥ 5,000 req/s", 5000, 2),
    ("decisions", "real-time decision, 20 candidates (HTTP)", "p99 ≤ 3 ms at ≥ 5,000 req/s", 5000, 3),
]:
    w = wrk(name)
    if w:
        add(label, f"{w[0]:,.0f} req/s, p50 {w[1]:.2f} ms, p99 {w[2]:.2f} ms", target, w[0] >= rps_min and w[2] <= p99_max)
    else:
        missing(label, target)

t = text("cel-jmh")
unit_us = {"ns": 0.001, "us": 1, "ms": 1000}
rules = [float(v) * unit_us[u] for v, u in re.findall(r"CelRuleBenchmark\.evaluateRule\s+\S+\s+avgt\s+\d+\s+([\d.]+)\s+±\s+[\d.]+\s+(\w+)/op", t)]
hundred = [float(v) * unit_us[u] for v, u in re.findall(r"CelRuleBenchmark\.evaluateHundredCampaigns\s+\S+\s+avgt\s+\d+\s+([\d.]+)\s+±\s+[\d.]+\s+(\w+)/op", t)]
if rules:
    extra = "; a whole evaluation of 100 campaigns %.0f–%.0f µs" % (min(hundred), max(hundred)) if hundred else ""
    add("CEL rule per profile (JMH, %d rules)" % len(rules), "%.2f–%.2f µs/op%s" % (min(rules), max(rules), extra), "≤ 5 µs", max(rules) <= 5)
else:
    missing("CEL rule per profile (JMH)", "≤ 5 µs")

j = last_json("moments")
if j:
    add("moments through Kafka (eligibility-service)", f"{j['momentsPerSecond']:,.0f} moments/s", "≥ 20,000 moments/s", j["momentsPerSecond"] >= 20000)
else:
    missing("moments through Kafka", "≥ 20,000 moments/s")

t = text("decisions-kafka")
j = None
for line in t.splitlines():
    if line.startswith("{") and "decisionsPerMinute" in line:
        j = json.loads(line)
if j:
    add("decisions through Kafka", f"{j['decisionsPerMinute']:,.0f} decisions/min", "≥ 1,000,000 decisions/min", j["decisionsPerMinute"] >= 1e6)
else:
    missing("decisions through Kafka", "≥ 1,000,000 decisions/min")

t = text("content")
c = re.search(r"^content/home-hero\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+(\d+)$", t, re.M)
h = re.search(r"^hello\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+(\d+)$", t, re.M)
if c and h:
    crps, hrps = float(c.group(1)), float(h.group(1))
    add("content call (GET /api/v1/content/home-hero, whole path)",
        f"{crps:,.0f} req/s, p50 {float(c.group(2)):.2f} ms, p99 {float(c.group(3)):.2f} ms",
        "p99 ≤ 5 ms at ≥ 5,000 req/s", crps >= 5000 and float(c.group(3)) <= 5)
    add("bare /hello of content-service, same run", f"{hrps:,.0f} req/s, p99 {float(h.group(3)):.2f} ms", "denominator", None)
    add("content / hello throughput", "%.1f%%" % (100 * crps / hrps), "≥ 25%", crps / hrps >= 0.25)
else:
    missing("content call", "p99 ≤ 5 ms at ≥ 5,000 req/s; ≥ 25% of /hello")

j = last_json("clv-fit")
if j:
    add("BG/NBD + Gamma-Gamma fit, 1,000,000 customers", "%.1f s (BG/NBD %.1f s)" % (j["totalFitSeconds"], j["bgnbdFitSeconds"]), "< 30 s", j["totalFitSeconds"] < 30)
else:
    missing("CLV fit, 1,000,000 customers", "< 30 s")

j = last_json("redis-memory")
if j:
    add("Redis memory per 1,000,000 cached profiles", f"{j['mibPerMillionProfiles']:,} MiB ({j['bytesPerProfile']} bytes/profile)", "measured", None)
else:
    missing("Redis memory per 1,000,000 cached profiles", "measured")

rss = {}
for f in sorted(os.listdir(logs)):
    for m in re.finditer(r"^rss (\S+) (\d+) MiB$", open(os.path.join(logs, f), errors="replace").read(), re.M):
        rss.setdefault(m.group(1), []).append(int(m.group(2)))
for svc in sorted(rss):
    add(f"RSS of {svc} after its benchmarks (-Xmx1g)", "%d–%d MiB" % (min(rss[svc]), max(rss[svc])), "measured", None)

def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except Exception:
        return "?"
cpu = sh("sed -n 's/^model name\\s*: //p' /proc/cpuinfo | head -1")
mem = sh("awk '/MemTotal/ {printf \"%.0f GiB\", $2/1048576}' /proc/meminfo")
java = sh("java -version 2>&1 | head -1")
commit = sh(f"git -C {root} rev-parse --short HEAD")
lines = [
    f"Measured {datetime.date.today().isoformat()} at commit {commit} on {os.cpu_count()} cores ({cpu}), {mem} RAM, {java};",
    "each service, PostgreSQL, Redis, Kafka and the load generator share the same cores. Rerun with `bench/all.sh`.",
    "",
    "| benchmark | measured | target | met |",
    "|---|---|---|---|",
] + [f"| {b} | {m} | {t} | {ok} |" for b, m, t, ok in rows]
table = "\n".join(lines)
print(table)
with open(os.path.join(root, "bench", "RESULTS.md"), "w") as out:
    out.write("# Benchmark results\n\n" + table + "\n")
if "--readme" in args:
    readme = os.path.join(root, "README.md")
    s = open(readme).read()
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    if start in s and end in s:
        s = s[: s.index(start) + len(start)] + "\n" + table + "\n" + s[s.index(end):]
        open(readme, "w").write(s)
        print("README.md updated", file=sys.stderr)
PY
