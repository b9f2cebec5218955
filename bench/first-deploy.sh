#!/usr/bin/env bash
# A first deploy of N projects from empty (default bake and drain), against a floor measured in
# the same run: what a deploy script does at the least, `docker run -d` of the same N
# containers one after the other, each polled until /health answers, then one nginx reload.
# Usage: bench/first-deploy.sh [N...]   (default: 10 50). Needs bin/lib/setup-host.sh.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
. bench/lib.sh
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10 50)
work=$(mktemp -d /tmp/rc-bench-first-XXXXXX)
prefix=rcbf
cleanup() {
  bin/reconcile -f "$work/projects.yml" nginx stop >/dev/null 2>&1 || true
  docker ps -aq --filter "name=$prefix" | xargs -r docker rm -f >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

for n in "${sizes[@]}"; do
  listen=$(free_port)
  {
    echo "version: 1"
    echo "platform: { nginx: { listen: \"127.0.0.1:$listen\" } }"
    web_projects "$n" "$prefix"
  } > "$work/projects.yml"

  # Floor: the containers by hand, each waited for, then one reload of an nginx already running.
  start=$(date +%s%N)
  for i in $(seq 1 "$n"); do
    port=$(free_port)
    docker run -d --name "$prefix-floor-$i" -p "127.0.0.1:$port:8080" reconcile-test/web:v1 >/dev/null
    until curl -sf "127.0.0.1:$port/health" >/dev/null; do sleep 0.05; done
  done
  floor=$(ms "$start")
  docker ps -aq --filter "name=$prefix-floor-" | xargs -r docker rm -f >/dev/null

  start=$(date +%s%N)
  bin/reconcile -f "$work/projects.yml" apply --yes >/dev/null
  took=$(ms "$start")
  printf 'first deploy of %3d projects: %6d ms   floor (docker run loop): %6d ms   ratio %.2f\n' \
    "$n" "$took" "$floor" "$(echo "$took / $floor" | bc -l)"
  bin/reconcile -f "$work/projects.yml" nginx stop >/dev/null 2>&1 || true
  docker ps -aq --filter "name=$prefix" | xargs -r docker rm -f >/dev/null 2>&1 || true
  rm -rf "$work/.reconcile"
done
