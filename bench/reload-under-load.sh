#!/usr/bin/env bash
# What a redeploy costs the clients of a keep-alive load, against the floor of a bare nginx
# reload under the same load, in the same run: wrk (keep-alive connections) against the managed
# nginx while (a) the nginx master gets one HUP, the bare reload, or (b) `reconcile apply`
# switches the project between v1 and v2 (without a reload when the managed nginx has the lua
# module: docs/front-door.md). Prints wrk's socket errors and non-2xx answers of each round,
# and the totals. A third run per round, with nothing happening, shows what the load fails by
# itself. wrk's timeout is 10 s (not its 2 s): on a small machine the test image's busybox httpd
# queues 32 connections past 2 s, and those would count as failures a switch did not cause.
# Usage: bench/reload-under-load.sh [ROUNDS]   default 3. Installs wrk if missing.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
rounds=${1:-3}
command -v wrk >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null; }
work=$(mktemp -d /tmp/rc-bench-reload-XXXXXX)
project=rcbenchreload
. bench/lib.sh
port=$(free_port)
cleanup() {
  bin/reconcile -f "$work/projects.yml" nginx stop >/dev/null 2>&1 || true
  remove_projects $project
  rm -rf "$work"
}
trap cleanup EXIT
spec() {
  cat > "$work/projects.yml" <<SPEC
version: 1
platform: { nginx: { listen: "127.0.0.1:$port" } }
projects:
  $project:
    domains: { production: $project.test }
    containers:
      web: { image: "reconcile-test/web:$1", port: 8080, health: { path: /health, interval: 1s, retries: 3 } }
SPEC
}
spec v1
bin/reconcile -f "$work/projects.yml" apply --yes --bake 0s --drain 0s > "$work/first.txt" || { cat "$work/first.txt"; exit 1; }
# wrk's socket errors and non-2xx answers, as "errors N (connect a, read b, write c, timeout d), non-2xx M, requests R"
summary() {
  local out=$1
  local socket non2xx requests
  socket=$(grep -o 'Socket errors: .*' "$out" || echo "Socket errors: connect 0, read 0, write 0, timeout 0")
  non2xx=$(grep -o 'Non-2xx or 3xx responses: [0-9]*' "$out" | grep -o '[0-9]*$' || echo 0)
  requests=$(grep -o '^ *[0-9]* requests in' "$out" | grep -o '[0-9]*' | head -1)
  local sum
  sum=$(echo "$socket" | grep -o '[0-9]\+' | paste -sd+ | bc)
  echo "errors $sum (${socket#Socket errors: }), non-2xx $non2xx, requests $requests"
}
master() { cat "$work/.reconcile/nginx/logs/nginx.pid"; }
version=v1
load() { wrk -t 2 -c 32 --timeout 10s -d "$1" -H "Host: $project.test" "http://127.0.0.1:$port/"; }
total_idle=0
total_bare=0
total_tool=0
errors() { summary "$1" | sed -E 's/^errors ([0-9]+).*non-2xx ([0-9]+).*/\1 + \2/' | bc; }
for r in $(seq 1 "$rounds"); do
  load 6s > "$work/idle.txt"
  echo "round $r  nothing happening, same load:       $(summary "$work/idle.txt")"
  load 6s > "$work/bare.txt" &
  sleep 2; kill -HUP "$(master)"; wait
  echo "round $r  bare nginx reload under load:      $(summary "$work/bare.txt")"
  version=$([ "$version" = v1 ] && echo v2 || echo v1)
  spec "$version"
  load 12s > "$work/tool.txt" &
  sleep 2; bin/reconcile -f "$work/projects.yml" apply --yes --bake 1s --drain 2s >/dev/null; wait
  echo "round $r  reconcile apply (-> $version) under load: $(summary "$work/tool.txt")"
  total_idle=$((total_idle + $(errors "$work/idle.txt")))
  total_bare=$((total_bare + $(errors "$work/bare.txt")))
  total_tool=$((total_tool + $(errors "$work/tool.txt")))
done
echo "total over $rounds rounds: nothing happening failed $total_idle requests, bare reloads $total_bare, reconcile apply $total_tool"
