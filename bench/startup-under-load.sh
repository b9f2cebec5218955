#!/usr/bin/env bash
# Start-up and validation under a competing CPU load (issue 10's "no worse than 2x idle"):
# `validate` of a 50-project spec and `--version`, idle and while one busy loop per core runs.
# Usage: bench/startup-under-load.sh [N]   (default 11).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
n=${1:-11}
work=$(mktemp -d /tmp/rc-bench-load-XXXXXX)
cleanup() { stop_busy_loops; rm -rf "$work"; }
trap cleanup EXIT
. bench/lib.sh
bin/reconcile --version >/dev/null
python3 - "$work/p50.yml" <<'PY'
import sys
lines = ["version: 1", "projects:"]
for i in range(50):
    lines += [f"  p{i}:", f"    domains: {{ production: p{i}.example.com }}", "    containers:",
              f"      web: {{ image: \"example/p{i}:1\", port: 8080 }}"]
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
PY
measure "$n" "idle: --version" bin/reconcile --version
measure "$n" "idle: validate 50 projects" bin/reconcile validate -f "$work/p50.yml"
start_busy_loops
measure "$n" "loaded ($(nproc) busy loops): --version" bin/reconcile --version
measure "$n" "loaded ($(nproc) busy loops): validate 50 projects" bin/reconcile validate -f "$work/p50.yml"
