#!/usr/bin/env bash
# A redeploy side by side with what teams run instead (issue 27): one project's one container
# switched v1 <-> v2, idle and while one busy loop per core runs.
#  - reconcile: `bin/reconcile apply --yes --bake 0s --drain 0s` (the bake and drain are the
#    user's waits, not overhead): blue-green, health, the switch through nginx, the old slot
#    stopped (SIGTERM, which the test image obeys at once) and removed. Its progress lines,
#    timed, say where the time goes.
#  - compose: `docker-compose up -d` of the same image change (it stops the old container first,
#    SIGTERM as reconcile does), then polled until /health answers on its new port.
# Usage: [HANDOFF=1] bench/redeploy.sh [RUNS]   (default 5). HANDOFF=1: a `reconcile watch` of
# the spec runs and the applies are handed to it (docs/commands.md, watch), else they run
# one-shot. Needs bin/lib/setup-host.sh and docker-compose.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
. bench/lib.sh
runs=${1:-5}
work=$(mktemp -d /tmp/rc-bench-redeploy-XXXXXX)
project=rcrd$$
watch_pid=
cleanup() {
  stop_busy_loops
  [ -n "$watch_pid" ] && kill "$watch_pid" 2>/dev/null && wait "$watch_pid" 2>/dev/null || true
  bin/reconcile -f "$work/projects.yml" nginx stop >/dev/null 2>&1 || true
  remove_projects $project
  (cd "$work/compose" 2>/dev/null && TAG=v1 docker-compose -p "${project}c" down -t 0 >/dev/null 2>&1) || true
  rm -rf "$work"
}
trap cleanup EXIT
command -v docker-compose >/dev/null || { echo "needs docker-compose (apt-get install docker-compose)" >&2; exit 1; }
listen=$(free_port)
spec() {
  printf 'version: 1\nplatform: { nginx: { listen: "127.0.0.1:%s" } }\nprojects:\n  %s:\n    domains: { production: %s.test }\n    containers: { web: { image: "reconcile-test/web:%s", port: 8080, health: { path: /health, interval: 1s } } }\n' \
    "$listen" "$project" "$project" "$1" > "$work/projects.yml"
}
mkdir -p "$work/compose"
printf 'version: "2.4"\nservices:\n  web:\n    image: reconcile-test/web:${TAG}\n    ports: ["127.0.0.1::8080"]\n' \
  > "$work/compose/docker-compose.yml"
bin/reconcile --version >/dev/null
spec v1
RECONCILE_HANDOFF=off bin/reconcile -f "$work/projects.yml" apply --yes --bake 0s --drain 0s >/dev/null
if [ "${HANDOFF:-0}" = 1 ]; then
  start_watch "$work/projects.yml" "$work/watch.log"
else
  export RECONCILE_HANDOFF=off
fi
(cd "$work/compose" && TAG=v1 docker-compose -p "${project}c" up -d >/dev/null 2>&1)

# One reconcile redeploy: its wall time; each progress line with the milliseconds since the start.
reconcile_once() {
  local start
  spec "$1"
  start=$(date +%s%N)
  bin/reconcile -f "$work/projects.yml" apply --yes --bake 0s --drain 0s --no-color 2>&1 \
    | while IFS= read -r line; do echo "$(( ($(date +%s%N) - start) / 1000000 )) $line"; done >"$work/apply.log"
  echo $(( ($(date +%s%N) - start) / 1000000 ))
  cp "$work/apply.log" /tmp/rc-redeploy-last.log
  awk -v out="$work/phases" '
    /^[0-9]+ Plan:/ && !p { p = $1 }
    / started / && !s { s = $1 }
    /healthy/ && !h { h = $1 }
    /^[0-9]+ +site:/ && /installed|routes|traffic/ && !r { r = $1 }
    END { print p + 0, s + 0, h + 0, r + 0 >> out }' "$work/apply.log"
}

compose_once() {
  local start at
  start=$(date +%s%N)
  (cd "$work/compose" && TAG=$1 docker-compose -p "${project}c" up -d >/dev/null 2>&1)
  at=$(cd "$work/compose" && TAG=$1 docker-compose -p "${project}c" port web 8080)
  until curl -sf "$at/health" >/dev/null; do sleep 0.02; done
  echo $(( ($(date +%s%N) - start) / 1000000 ))
}

summary() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "median %5d ms (min %d, max %d)", (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2, a[1], a[NR]}'; }

round() {
  local ours=() theirs=() next=v2
  : > "$work/phases"
  for _ in $(seq 1 "$runs"); do
    ours+=("$(reconcile_once "$next")")
    theirs+=("$(compose_once "$next")")
    [ "$next" = v2 ] && next=v1 || next=v2
  done
  printf '%-34s reconcile apply: %s\n' "$1" "$(summary "${ours[@]}")"
  printf '%-34s docker-compose:  %s\n' "" "$(summary "${theirs[@]}")"
  printf '%-34s reconcile, medians: plan shown %d ms, new slot started %d ms, healthy %d ms, switched %d ms\n' "" \
    "$(awk '{print $1}' "$work/phases" | median)" "$(awk '{print $2}' "$work/phases" | median)" \
    "$(awk '{print $3}' "$work/phases" | median)" "$(awk '{print $4}' "$work/phases" | median)"
}
mode=$([ "${HANDOFF:-0}" = 1 ] && echo "handed to a watch" || echo one-shot)
round "$mode, idle"
start_busy_loops
round "$mode, loaded ($(nproc) busy loops)"
if [ "${HANDOFF:-0}" = 1 ]; then
  echo "applies handed to the running watch: $(grep -c "handoff: ran '" "$work/watch.log" || true) of $((2 * runs))"
fi
