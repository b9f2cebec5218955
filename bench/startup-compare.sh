#!/usr/bin/env bash
# Start-up of this build's jar beside another build's (say, before a dependency changed), in one
# run: each gets its own JDK 25 AOT cache (or AppCDS archive on 21-24), trained the way
# bin/reconcile trains it, then `--version`, `--help` and `validate` of the seed example and of a
# 50-project spec are timed alternately. Floor in the same run: `java -version`.
# Usage: bench/startup-compare.sh OTHER_JAR [N]   (default 15)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
other=$(readlink -f "$1")
n=${2:-15}
work=$(mktemp -d /tmp/rc-bench-compare-XXXXXX)
trap 'rm -rf "$work"' EXIT
bin/reconcile --version >/dev/null   # builds this checkout if needed
. bin/lib/jdk.sh
reconcile_pick_jdk
. bench/lib.sh

example_projects 50 "$work/p50.yml"

cp cli/target/reconcile.jar "$work/this.jar"
cp "$other" "$work/other.jar"
declare -A use
for name in this other; do
  training=$(mktemp -d -p "$work")
  cp -r bin/lib/cds-training/. "$training/"
  if [ "$RECONCILE_JAVA_MAJOR" -ge 25 ]; then
    "$JAVA_HOME/bin/java" -XX:AOTCacheOutput="$work/$name.aot" -Xlog:aot=off -Xlog:cds=off -XX:TieredStopAtLevel=1 \
      -XX:+UseSerialGC -cp "$work/$name.jar" dev.reconcile.cli.Training "$training/projects.yml" >/dev/null 2>&1 || true
    use[$name]="-XX:AOTCache=$work/$name.aot -Xlog:aot=off -Xlog:cds=off"
  else
    "$JAVA_HOME/bin/java" -XX:ArchiveClassesAtExit="$work/$name.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off \
      -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$work/$name.jar" dev.reconcile.cli.Training \
      "$training/projects.yml" >/dev/null 2>&1 || true
    use[$name]="-XX:SharedArchiveFile=$work/$name.jsa -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off"
  fi
done

echo "JDK $RECONCILE_JAVA_MAJOR; other: $other"
measure "$n" "floor: java -version" "$JAVA_HOME/bin/java" -version
for args in "--version" "--help" "validate -f specs-examples/filter-ical.yml" "validate -f $work/p50.yml"; do
  label=${args/$work\//}
  for name in this other; do
    # shellcheck disable=SC2086
    measure "$n" "$label ($name)" "$JAVA_HOME/bin/java" ${use[$name]} -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
      -jar "$work/$name.jar" $args
  done
done
