#!/usr/bin/env bash
# Whole-process benchmark: `bin/reconcile plan` against the real local engine with N managed
# containers running (N projects, one routed container each, created with the labels and spec
# hashes the tool itself computes, so the plan finds them in sync). Median of R runs per N.
# Usage: bench/plan-process.sh [R] [N...]   default: 5 runs, N = 10 100.
# Needs a Docker engine and the reconcile-test/web:v1 image (bin/lib/setup-host.sh).
# Containers are named bench-pN-web-production-blue and removed at the end.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
runs=${1:-5}; shift || true
sizes=("${@:-10 100}"); sizes=(${sizes[@]})
work=$(mktemp -d)
cleanup() {
  remove_prefixed bench-p
  rm -rf "$work"
}
trap cleanup EXIT
bin/reconcile --version >/dev/null   # builds if needed and trains the AppCDS archive

. bench/lib.sh

for n in "${sizes[@]}"; do
  cleanup; work=$(mktemp -d)
  spec="$work/projects.yml"
  { echo "version: 1"; echo "platform: { nginx: { listen: \"127.0.0.1:18580\" } }"; echo "projects:"
    for i in $(seq 0 $((n - 1))); do
      echo "  bench-p$i:"
      echo "    domains: { production: p$i.bench.test }"
      echo "    containers: { web: { image: \"reconcile-test/web:v1\", port: 8080 } }"
    done; } > "$spec"
  # The spec hash of each container, as the tool computes it: the "after" of its create change.
  bin/reconcile plan -f "$spec" --format json > "$work/empty.json" || true
  python3 - "$work/empty.json" > "$work/hashes" <<'PY'
import json, sys
for c in json.load(open(sys.argv[1]))["changes"]:
    if c["id"].startswith("container:"):
        print(c["id"].split(":")[1].split("/")[0], c["after"])
PY
  # The containers belong to this spec's state directory: its owner id labels them.
  mkdir -p "$work/.reconcile" && echo "bench-plan-process" > "$work/.reconcile/owner"
  while read -r project hash; do
    docker create --init --name "$project-web-production-blue" \
      --label reconcile.managed=true --label reconcile.owner=bench-plan-process \
      --label reconcile.project="$project" \
      --label reconcile.environment=production --label reconcile.component=web \
      --label reconcile.slot=blue --label reconcile.spec-hash="$hash" \
      reconcile-test/web:v1 >/dev/null
  done < "$work/hashes"
  docker ps -aq --filter label=reconcile.project --filter name=bench-p --filter status=created \
    | xargs -r -n 50 docker start >/dev/null
  bin/reconcile plan -f "$spec" --no-color > "$work/plan.txt" || true
  grep -q "to create, 0 to update, 0 to replace" "$work/plan.txt" \
    || { echo "plan of $n projects is not all in sync for containers:"; head -20 "$work/plan.txt"; }
  measure "$runs" "plan, $n managed containers running" bin/reconcile plan -f "$spec" --no-color
done
