#!/usr/bin/env bash
# The tool's own overhead of a one-container blue-green deploy: wall time of
# `bin/reconcile apply --yes --bake 0s --drain 0s` minus the time the new container took to
# become healthy (as the apply reports it). Alternates v1 and v2, median of R deploys.
# Usage: bench/apply-overhead.sh [R]   (default 5). Needs bin/lib/setup-host.sh done.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
. bench/lib.sh
runs=${1:-5}
work=$(mktemp -d)
spec="$work/projects.yml"
cleanup() {
  nginx -p "$work/.reconcile/nginx" -c "$work/.reconcile/nginx/nginx.conf" -s quit 2>/dev/null || true
  remove_projects bench-deploy
  rm -rf "$work"
}
trap cleanup EXIT
write() {
  cat > "$spec" <<YAML
version: 1
platform: { nginx: { listen: "127.0.0.1:18780" } }
projects:
  bench-deploy:
    domains: { production: deploy.bench.test }
    containers:
      web:
        image: reconcile-test/web:$1
        port: 8080
        health: { path: /health }
        smoke: [ { path: /api/smoke, contains: "smoke: ok" } ]
YAML
}
bin/reconcile --version >/dev/null
write v1
bin/reconcile apply -f "$spec" --yes --project bench-deploy >/dev/null
totals=(); overheads=(); healthy=()
for i in $(seq 1 "$runs"); do
  [ $((i % 2)) = 1 ] && write v2 || write v1
  start=$(date +%s%N)
  out=$(bin/reconcile apply -f "$spec" --yes --bake 0s --drain 0s --project bench-deploy)
  end=$(date +%s%N)
  total=$(( (end - start) / 1000000 ))
  health=$(echo "$out" | sed -n 's/.*healthy after \([0-9.]*\) s.*/\1/p' | head -1)
  health_ms=$(awk -v s="$health" 'BEGIN {printf "%d", s * 1000}')
  totals+=("$total"); healthy+=("$health_ms"); overheads+=($((total - health_ms)))
done
printf 'deploy total:         median %5d ms (min %d, max %d, n=%d)\n' \
  "$(printf '%s\n' "${totals[@]}" | median)" "$(printf '%s\n' "${totals[@]}" | sort -n | head -1)" \
  "$(printf '%s\n' "${totals[@]}" | sort -n | tail -1)" "$runs"
printf 'container to healthy: median %5d ms\n' "$(printf '%s\n' "${healthy[@]}" | median)"
printf 'tool overhead:        median %5d ms (min %d, max %d)\n' \
  "$(printf '%s\n' "${overheads[@]}" | median)" "$(printf '%s\n' "${overheads[@]}" | sort -n | head -1)" \
  "$(printf '%s\n' "${overheads[@]}" | sort -n | tail -1)"
