#!/usr/bin/env bash
# Whole-process start-up of bin/reconcile on a built tree: median wall time of N runs of
# `--version`, `--help`, and `validate` of the seed example and of a 50-project spec: through
# bin/reconcile (the AOT cache on JDK 25+, else AppCDS), and java alone with the AppCDS archive,
# with JDK 25's ahead-of-time cache, and with neither. Floor in the same run: `java -version`.
# Usage: bench/startup.sh [N]   (default 15). Results go to docs/benchmarks.md by hand.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
n=${1:-15}
work=$(mktemp -d /tmp/rc-bench-startup-XXXXXX)
trap 'rm -rf "$work"' EXIT

bin/reconcile --version >/dev/null   # builds if needed and trains the AOT cache (JDK 25+)
RECONCILE_AOT=0 bin/reconcile --version >/dev/null   # and the class-data archive
. bin/lib/jdk.sh
reconcile_pick_jdk
. bench/lib.sh

example_projects 50 "$work/p50.yml"

jar=cli/target/reconcile.jar
cds="$work/reconcile.jsa"
training=$(mktemp -d -p "$work")
cp -r bin/lib/cds-training/. "$training/"
"$JAVA_HOME/bin/java" -XX:ArchiveClassesAtExit="$cds" -Xlog:cds=off -Xlog:cds+dynamic=off -XX:TieredStopAtLevel=1 \
  -cp "$jar" dev.reconcile.cli.Training "$training/projects.yml" >/dev/null 2>&1 || true

measure "$n" "floor: java -version" "$JAVA_HOME/bin/java" -version
for args in "--version" "--help" "validate -f specs-examples/filter-ical.yml" "validate -f $work/p50.yml"; do
  label=${args/$work\//}
  # shellcheck disable=SC2086
  measure "$n" "$label (bin/reconcile)" bin/reconcile $args
  # shellcheck disable=SC2086
  measure "$n" "$label (AOT cache, java alone)" "$JAVA_HOME/bin/java" -XX:AOTCache=cli/target/reconcile.aot \
    -Xlog:aot=off -Xlog:cds=off -XX:TieredStopAtLevel=1 -jar "$jar" $args
  # shellcheck disable=SC2086
  measure "$n" "$label (AppCDS)" "$JAVA_HOME/bin/java" -XX:SharedArchiveFile="$cds" -Xshare:auto -Xlog:cds=off \
    -Xlog:cds+dynamic=off -XX:TieredStopAtLevel=1 -jar "$jar" $args
  # shellcheck disable=SC2086
  measure "$n" "$label (neither)" "$JAVA_HOME/bin/java" -Xshare:auto -XX:TieredStopAtLevel=1 -jar "$jar" $args
done
