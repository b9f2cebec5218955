#!/usr/bin/env bash
# Whole-process start-up of bin/reconcile on a built tree: median wall time of N runs of
# `--version` and of `validate` on the seed example, with the AppCDS archive and without.
# Usage: bench/startup.sh [N]   (default 15). Results go to docs/benchmarks.md by hand.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
n=${1:-15}

bin/reconcile --version >/dev/null   # builds if needed and writes the archive

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

measure() {
  local label=$1; shift
  local times=()
  for _ in $(seq 1 "$n"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%-44s median %4d ms  (min %d, max %d, n=%d)\n' "$label" \
    "$(printf '%s\n' "${times[@]}" | median)" \
    "$(printf '%s\n' "${times[@]}" | sort -n | head -1)" \
    "$(printf '%s\n' "${times[@]}" | sort -n | tail -1)" "$n"
}

measure "bin/reconcile --version (AppCDS)" bin/reconcile --version
measure "bin/reconcile validate filter-ical (AppCDS)" bin/reconcile validate -f specs-examples/filter-ical.yml
RECONCILE_JAVA_OPTS="-XX:SharedArchiveFile=/nonexistent.jsa -Xshare:off" \
  measure "bin/reconcile --version (no CDS)" bin/reconcile --version
RECONCILE_JAVA_OPTS="-Xshare:off" \
  measure "bin/reconcile validate filter-ical (no CDS)" bin/reconcile validate -f specs-examples/filter-ical.yml
