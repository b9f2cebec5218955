#!/usr/bin/env bash
# A first deploy of N projects from empty (default bake and drain), against two floors measured
# in the same run: what a deploy script does at the least, `docker run -d` of the same N
# containers one after the other, each polled until /health answers; and what teams run
# instead of this tool, a `docker-compose up -d` loop over N compose projects, each polled until
# /health answers (issue 10's "3x faster than the compose loop"; skipped without docker-compose).
# The compose projects use the default bridge network: a network per compose project exhausts
# the engine's address pools at ~30 projects. Neither floor touches nginx; the tool's deploy
# also routes, checks each site through nginx and records a snapshot. A first deploy has no
# previous site to put back, so it is not baked (since 2026-12-01): BAKE changes nothing here.
# Usage: [BAKE=0s] [COMPOSE=0] bench/first-deploy.sh [N...]   (default: 10 50; BAKE: the apply's
# --bake, default 2s; COMPOSE=0 skips the compose loop, which takes minutes at 200). Needs
# bin/lib/setup-host.sh.
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
  docker network ls -q --filter "name=$prefix" | xargs -r docker network rm >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
bin/reconcile --version >/dev/null   # builds if needed and trains the archive: never in a timing
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

for n in "${sizes[@]}"; do
  listen=$(free_port)
  {
    echo "version: 1"
    # A /16 pool holds 240 networks of names beside the host's egress network: room to spare.
    echo "platform: { nginx: { listen: \"127.0.0.1:$listen\" }, networks: { pool: 10.208.0.0/14 } }"
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

  compose=0
  if [ "${COMPOSE:-1}" != 0 ] && command -v docker-compose >/dev/null; then
    for i in $(seq 1 "$n"); do
      mkdir -p "$work/compose/$i"
      printf 'version: "2.4"\nservices:\n  web:\n    image: reconcile-test/web:v1\n    network_mode: bridge\n    ports: ["127.0.0.1::8080"]\n' \
        > "$work/compose/$i/docker-compose.yml"
    done
    start=$(date +%s%N)
    for i in $(seq 1 "$n"); do
      (cd "$work/compose/$i" && docker-compose -p "$prefix-compose-$i" up -d >/dev/null 2>&1)
      at=$(cd "$work/compose/$i" && docker-compose -p "$prefix-compose-$i" port web 8080)
      until curl -sf "$at/health" >/dev/null; do sleep 0.05; done
    done
    compose=$(ms "$start")
    # Not `down`: teardown that nothing measures.
    docker ps -aq --filter "name=$prefix-compose-" | xargs -r docker rm -f >/dev/null 2>&1 || true
  fi

  start=$(date +%s%N)
  bin/reconcile -f "$work/projects.yml" apply --yes ${BAKE:+--bake "$BAKE"} --no-color >"$work/apply.log" 2>&1 || { tail -40 "$work/apply.log"; exit 1; }
  took=$(ms "$start")
  printf 'first deploy of %3d projects: %6d ms   floor (docker run loop): %6d ms   ratio %.2f\n' \
    "$n" "$took" "$floor" "$(echo "$took / $floor" | bc -l)"
  if [ "$compose" -gt 0 ]; then
    printf '                              docker-compose up -d loop: %6d ms   compose / reconcile %.2f\n' \
      "$compose" "$(echo "$compose / $took" | bc -l)"
  fi
  bin/reconcile -f "$work/projects.yml" nginx stop >/dev/null 2>&1 || true
  docker ps -aq --filter "name=$prefix" | xargs -r docker rm -f >/dev/null 2>&1 || true
  # The next size's projects reuse these names, from a state directory of their own.
  docker network ls -q --filter "name=$prefix" | xargs -r docker network rm >/dev/null 2>&1 || true
  rm -rf "$work/.reconcile"
done
