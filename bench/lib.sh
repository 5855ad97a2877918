# Shared by the benchmarks: a profile-service of their own on a fresh database (nextbest_profile_bench),
# its own HTTP port and Kafka consumer groups, stopped when the benchmark exits.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_PORT=${BENCH_PORT:-18081}
BENCH_URL="http://127.0.0.1:$BENCH_PORT"
BENCH_LOG="$ROOT/.nextbest/logs/profile-service-bench.log"

bench_psql() {
  if psql -h 127.0.0.1 -U postgres -d postgres -w -c 'select 1' >/dev/null 2>&1; then
    psql -h 127.0.0.1 -U postgres -w -qtA "$@"
  else
    sudo -u postgres psql -qtA "$@"
  fi
}

bench_start_profile() { # bench_start_profile [extra java options...]
  "$ROOT/bin/nextbest" infra up >/dev/null
  if [ ! -f "$ROOT/profile-service/target/quarkus-app/quarkus-run.jar" ]; then
    (cd "$ROOT" && mvn -B -q -ntp package -DskipTests -pl profile-service -am)
  fi
  echo "fresh database nextbest_profile_bench" >&2
  bench_psql -d postgres -c "drop database if exists nextbest_profile_bench with (force)" >/dev/null
  bench_psql -d postgres -c "create database nextbest_profile_bench owner nextbest" >/dev/null
  mkdir -p "$(dirname "$BENCH_LOG")"
  java -Xms1g -Xmx1g ${BENCH_GC:--XX:+UseParallelGC} ${BENCH_JAVA_OPTS:-} "$@" \
    -Dnextbest.db.suffix=_bench -Dnextbest.group.suffix=-bench -Dquarkus.http.port="$BENCH_PORT" \
    -Dquarkus.log.level=WARN \
    -jar "$ROOT/profile-service/target/quarkus-app/quarkus-run.jar" >"$BENCH_LOG" 2>&1 &
  BENCH_PID=$!
  trap 'kill $BENCH_PID 2>/dev/null; wait $BENCH_PID 2>/dev/null || true' EXIT
  for _ in $(seq 1 120); do
    if curl -fsS "$BENCH_URL/q/health/ready" >/dev/null 2>&1; then
      echo "profile-service ready on $BENCH_URL (log: $BENCH_LOG)" >&2
      return 0
    fi
    kill -0 $BENCH_PID 2>/dev/null || { tail -30 "$BENCH_LOG" >&2; echo "profile-service died" >&2; exit 1; }
    sleep 0.5
  done
  echo "profile-service did not become ready" >&2
  exit 1
}
