#!/usr/bin/env bash
# JMH benchmarks of the pure planning path (bench/src/main/java/dev/reconcile/bench).
# Usage: bench/jmh.sh [JMH options]   e.g. bench/jmh.sh -p projects=1000
# Results go to docs/benchmarks.md by hand.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
. bin/lib/jdk.sh
reconcile_pick_jdk
export MAVEN_OPTS="$(reconcile_maven_opts)"
mvn -q -B -ntp -o install -DskipTests -pl bench -am
mvn -q -B -ntp -o -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec "$JAVA_HOME/bin/java" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  org.openjdk.jmh.Main "$@"
