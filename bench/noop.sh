#!/usr/bin/env bash
# The commands people run most when nothing changed, over N deployed projects (issue 10, item 1:
# a no-op plan and apply of 50 projects under 500 ms, and under a competing CPU load no worse
# than 2x idle): `plan` and `apply --yes` of N one-container projects already deployed behind
# the managed nginx, whole process through bin/reconcile, idle and while one busy loop per core
# runs. Floors in the same run: `java -version` and `docker ps -a`.
# Usage: bench/noop.sh [RUNS] [N]   (default 11 runs, N = 50). Needs bin/lib/setup-host.sh.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
. bench/lib.sh
runs=${1:-11}
n=${2:-50}
work=$(mktemp -d /tmp/rc-bench-noop-XXXXXX)
prefix=rcbn
cleanup() {
  stop_busy_loops
  bin/reconcile -f "$work/projects.yml" nginx stop >/dev/null 2>&1 || true
  remove_prefixed $prefix
  rm -rf "$work"
}
trap cleanup EXIT
. bin/lib/jdk.sh
reconcile_pick_jdk

{
  echo "version: 1"
  echo "platform: { nginx: { listen: \"127.0.0.1:$(free_port)\" } }"
  web_projects "$n" "$prefix"
} > "$work/projects.yml"
bin/reconcile -f "$work/projects.yml" apply --yes --bake 0s --drain 0s >"$work/deploy.log" 2>&1 \
  || { tail -30 "$work/deploy.log"; exit 1; }
bin/reconcile -f "$work/projects.yml" plan --no-color >"$work/plan.txt" 2>&1 || true
grep -q "Nothing to do\|No changes" "$work/plan.txt" || { echo "not a no-op:"; head -20 "$work/plan.txt"; exit 1; }

round() {
  measure "$runs" "$1: java -version" "$JAVA_HOME/bin/java" -version
  measure "$runs" "$1: docker ps -a" docker ps -a
  measure "$runs" "$1: plan, $n projects" bin/reconcile -f "$work/projects.yml" plan --no-color
  measure "$runs" "$1: apply --yes, $n projects" bin/reconcile -f "$work/projects.yml" apply --yes --no-color
}
round idle
start_busy_loops
round "loaded ($(nproc) busy loops)"
