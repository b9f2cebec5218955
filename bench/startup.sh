#!/usr/bin/env bash
# Whole-process start-up of bin/reconcile on a built tree: median wall time of N runs of
# `--version` and of `validate` on the seed example, with the AppCDS archive and without.
# Usage: bench/startup.sh [N]   (default 15). Results go to docs/benchmarks.md by hand.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
n=${1:-15}

bin/reconcile --version >/dev/null   # builds if needed and writes the archive

. bench/lib.sh

measure "$n" "bin/reconcile --version (AppCDS)" bin/reconcile --version
measure "$n" "bin/reconcile validate filter-ical (AppCDS)" bin/reconcile validate -f specs-examples/filter-ical.yml
RECONCILE_JAVA_OPTS="-XX:SharedArchiveFile=/nonexistent.jsa -Xshare:off" \
  measure "$n" "bin/reconcile --version (no CDS)" bin/reconcile --version
RECONCILE_JAVA_OPTS="-Xshare:off" \
  measure "$n" "bin/reconcile validate filter-ical (no CDS)" bin/reconcile validate -f specs-examples/filter-ical.yml
