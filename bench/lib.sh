# Shared by the benchmarks: services of their own on fresh databases (nextbest_<service>_bench),
# their own HTTP ports and Kafka consumer groups, stopped when the benchmark exits.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_PORT=${BENCH_PORT:-18081}
BENCH_URL="http://127.0.0.1:$BENCH_PORT"
BENCH_LOG="$ROOT/.nextbest/logs/profile-service-bench.log"
BENCH_PIDS=()
# the services verify tokens with the project's key pair; set-up calls to admin APIs send
# "Authorization: Bearer $NEXTBEST_TOKEN"
eval "$("$ROOT/bin/nextbest" service-env | sed 's/^/export /')"
NEXTBEST_TOKEN=$("$ROOT/bin/nextbest" token admin marketer --subject bench)
export NEXTBEST_TOKEN
BENCH_NAMES=()

# On exit: each benchmark service's resident memory after the run, then the services stopped.
bench_stop() {
  local i rss
  for i in "${!BENCH_PIDS[@]}"; do
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/${BENCH_PIDS[$i]}/status" 2>/dev/null || true)
    [ -n "$rss" ] && echo "rss ${BENCH_NAMES[$i]} $((rss / 1024)) MiB" >&2
    kill "${BENCH_PIDS[$i]}" 2>/dev/null
    wait "${BENCH_PIDS[$i]}" 2>/dev/null || true
  done
}

bench_psql() {
  if psql -h 127.0.0.1 -U postgres -d postgres -w -c 'select 1' >/dev/null 2>&1; then
    psql -h 127.0.0.1 -U postgres -w -qtA "$@"
  else
    sudo -u postgres psql -qtA "$@"
  fi
}

bench_start_profile() { # bench_start_profile [extra java options...]
  bench_start_service profile "$BENCH_PORT" "$@"
}

# bench_start_service <profile|eligibility|decision|content> <port> [extra java options...]:
# the service on a fresh nextbest_<service>_bench database, stopped when the benchmark exits.
bench_start_service() {
  local service=$1 port=$2; shift 2
  local jar="$ROOT/$service-service/target/quarkus-app/quarkus-run.jar"
  local log="$ROOT/.nextbest/logs/$service-service-bench.log" url="http://127.0.0.1:$port"
  "$ROOT/bin/nextbest" infra up >/dev/null
  # the service's benchmark consumer groups start at the topics' end: no backlog to chew through
  local groups
  groups=$(sed -n 's/^mp\.messaging\.incoming\.[^.]*\.group\.id=\(.*\)\${nextbest\.group\.suffix}$/\1-bench/p' \
    "$ROOT/$service-service/src/main/resources/application.properties" | sort -u)
  # shellcheck disable=SC2086
  "$ROOT/bin/nextbest" groups-to-end "^$service-service.*-bench\$" $groups
  if [ ! -f "$jar" ]; then
    (cd "$ROOT" && mvn -B -q -ntp package -DskipTests -pl "$service-service" -am)
  fi
  echo "fresh database nextbest_${service}_bench" >&2
  bench_psql -d postgres -c "drop database if exists nextbest_${service}_bench with (force)" >/dev/null
  bench_psql -d postgres -c "create database nextbest_${service}_bench owner nextbest" >/dev/null
  mkdir -p "$(dirname "$log")"
  java -Xms1g -Xmx1g ${BENCH_GC:--XX:+UseParallelGC} ${BENCH_JAVA_OPTS:+${BENCH_JAVA_OPTS//@service@/$service}} "$@" \
    -Dnextbest.db.suffix=_bench -Dnextbest.group.suffix=-bench -Dquarkus.http.port="$port" \
    -Dquarkus.log.level=WARN \
    -jar "$jar" >"$log" 2>&1 &
  BENCH_PIDS+=($!)
  BENCH_NAMES+=("$service-service")
  trap bench_stop EXIT
  for _ in $(seq 1 120); do
    if curl -fsS "$url/q/health/ready" >/dev/null 2>&1; then
      echo "$service-service ready on $url (log: $log)" >&2
      return 0
    fi
    kill -0 "${BENCH_PIDS[-1]}" 2>/dev/null || { tail -30 "$log" >&2; echo "$service-service died" >&2; exit 1; }
    sleep 0.5
  done
  echo "$service-service did not become ready" >&2
  exit 1
}

# The benchmark drivers' classpath: the nextbest-tools jar and target/lib, built with the modules it
# needs when missing. Call it before starting a benchmark service: the build repackages the services.
bench_tools_classpath() {
  local dir="$ROOT/nextbest-tools/target"
  if ! compgen -G "$dir/nextbest-tools-*.jar" >/dev/null || [ ! -d "$dir/lib" ]; then
    (cd "$ROOT" && mvn -B -q -ntp package -DskipTests -pl nextbest-tools -am) >&2
  fi
  printf '%s' "$dir/*:$dir/lib/*"
}

# bench_cache_profiles <prefix> <count> [redis port]: profile snapshots <prefix>-0 … in Redis, as
# profile-service caches them (varied RFM, predictions, consents and segments; fixed seed).
bench_cache_profiles() {
  local prefix=$1 count=$2 port=${3:-6379}
  echo "caching $count profiles in Redis" >&2
python3 - "$prefix" "$count" <<'PY' | redis-cli -p "$port" --pipe >/dev/null
import json, sys, random
random.seed(7)
def cmd(*args):
    out = "*%d\r\n" % len(args)
    for a in args:
        b = a.encode()
        out += "$%d\r\n%s\r\n" % (len(b), a)
    return out
for i in range(int(sys.argv[2])):
    c = "%s-%d" % (sys.argv[1], i)
    snap = {"id": c + ":1", "type": "profile.snapshot", "customerId": c,
            "occurredAt": "2026-11-01T10:00:00Z", "version": 1,
            "attributes": {"country": random.choice(["GB", "FR", "DE", "ES"]),
                           "timezone": "Europe/London"},
            "features": {"purchaseCount": random.randint(0, 20),
                         "topCategories": random.sample(["tea", "coffee", "cups", "gifts"], 2),
                         "daysSinceLastEngagement": random.randint(0, 90)},
            "predictions": {"churnRisk": random.random(), "clv12m": random.random() * 500,
                            "probabilityAlive": random.random()},
            "consents": {"email": {"granted": random.random() < 0.7},
                         "push": {"granted": random.random() < 0.4}},
            "segments": random.sample(["high-value", "loyal", "at-risk"], 1)}
    sys.stdout.write(cmd("SET", "nextbest:profile:" + c, json.dumps(snap), "EX", "86400"))
    # the benchmark's eligibility database is new: contact sets an earlier run left in Redis
    # (marked as whole, with its sends) would not match it
    sys.stdout.write(cmd("DEL", "nextbest:contacts:" + c))
PY
}

# bench_warm_up <max seconds> <wrk arguments...>: load in 30-second windows, one progress line
# each, until two windows in a row are no more than 5% faster than the best before them or the time
# is up (one slow window — a collection, a compilation burst — is not yet steady). Three JVMs and
# Kafka on 2 cores take minutes before the JIT has compiled the hot paths; figures taken earlier
# describe the compiler, not the service.
bench_warm_up() {
  local max=$1; shift
  local started best=0 rps window=0 flat=0
  started=$(date +%s)
  while :; do
    window=$((window + 1))
    rps=$(wrk -t1 -d30s "$@" | awk '/^Requests\/sec:/ {printf "%d", $2}')
    rps=${rps:-0}
    echo "  warm-up window $window: $rps req/s ($(($(date +%s) - started)) s of at most $max s)" >&2
    if [ "$window" -gt 1 ] && [ $((rps * 100)) -le $((best * 105)) ]; then
      flat=$((flat + 1))
    else
      flat=0
    fi
    if [ "$flat" -ge 2 ]; then
      echo "  steady: two windows in a row gained no more than 5%" >&2
      return 0
    fi
    [ "$rps" -gt "$best" ] && best=$rps
    if [ $(($(date +%s) - started + 30)) -gt "$max" ]; then
      echo "  warm-up time is up; the service may still be getting faster" >&2
      return 0
    fi
  done
}
