#!/usr/bin/env bash
# JMH: CEL rule evaluation per rule per profile (target ≤ 5 µs) and a whole eligibility
# evaluation over 100 campaigns. Needs the services installed (mvn install -DskipTests).
#   bench/cel-jmh.sh [JMH options, e.g. -f 1 -wi 2 -i 3]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mvn -B -q -ntp -f "$ROOT/bench/jmh/pom.xml" package -DskipTests
java -cp "$ROOT/bench/jmh/target/classes:$(cat "$ROOT/bench/jmh/target/classpath.txt")" \
  org.openjdk.jmh.Main CelRuleBenchmark "$@"
