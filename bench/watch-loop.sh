#!/usr/bin/env bash
# The controller's steady state: N project environments (default 100) deployed and in sync,
# `reconcile watch` running, and one resync of all of them with nothing to do: its Docker API
# calls (counted by a proxy in front of the engine), its CPU time, its wall time. Floor, in the
# same run: one `docker ps -a` of the same containers (the least any loop must ask). Then the
# event-to-healed latency: a container removed with `docker rm -f` until nginx serves from its
# replacement and /status records the heal.
# Usage: [PROFILER=.../libasyncProfiler.so] bench/watch-loop.sh [N]   Needs bin/lib/setup-host.sh
# (engine and test images). PROFILER: async-profiler (Maven Central: tools.profiler:async-profiler)
# attached to the controller for the steady pass and the heal, wall clock per thread, written as
# collapsed stacks to /tmp/rc-watch-profile.txt.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
n=${1:-100}
work=$(mktemp -d /tmp/rc-bench-watch-XXXXXX)
prefix=rcbw
. bench/lib.sh
. bin/lib/jdk.sh
reconcile_pick_jdk
watch_pid=""
proxy_pid=""
cleanup() {
  [ -n "$watch_pid" ] && kill "$watch_pid" 2>/dev/null && wait "$watch_pid" 2>/dev/null || true
  [ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null || true
  bin/reconcile -f "$work/projects.yml" nginx stop >/dev/null 2>&1 || true
  remove_prefixed $prefix
  [ -n "${KEEP_LOG:-}" ] && cp "$work/watch.log" "$KEEP_LOG"; rm -rf "$work"
}
trap cleanup EXIT

listen=$(free_port)
python3 bench/docker-count-proxy.py "$work/docker.sock" "$work/calls" &
proxy_pid=$!
for _ in $(seq 1 50); do [ -S "$work/docker.sock" ] && break; sleep 0.1; done
{
  echo "version: 1"
  echo "platform:"
  echo "  nginx: { listen: \"127.0.0.1:$listen\" }"
  echo "  hosts: { local: { docker: \"unix://$work/docker.sock\" } }"
  web_projects "$n" "$prefix"
} > "$work/projects.yml"

echo "deploying $n environments..."
start=$(date +%s%N)
bin/reconcile -f "$work/projects.yml" apply --yes --bake 0s --drain 0s >/dev/null
echo "deployed in $(( ($(date +%s%N) - start) / 1000000 )) ms"

bin/reconcile -f "$work/projects.yml" watch --mode heal --interval 1h --listen 127.0.0.1:0 --bake 0s --drain 0s \
  > "$work/watch.log" 2>&1 &
watch_pid=$!
port=""
for _ in $(seq 1 600); do
  port=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/watch.log" | head -1 | cut -d: -f3 || true)
  [ -n "$port" ] && break
  sleep 0.1
done
jvm=$(pgrep -P "$watch_pid" java || echo "$watch_pid")
runs() { curl -s "127.0.0.1:$port/metrics" | awk '/^reconcile_runs_total/ {s+=$2} END {print s+0}'; }
cpu_ms() { awk '{print ($14+$15)*10}' "/proc/$jvm/stat"; }   # utime+stime, in ms at 100 Hz
wait_runs() { for _ in $(seq 1 6000); do [ "$(runs)" -ge "$1" ] && return 0; sleep 0.05; done; echo "timed out" >&2; exit 1; }

wait_runs "$n"   # the first pass: everything compared once, caches warm
if [ -n "${PROFILER:-}" ]; then
  "$JAVA_HOME/bin/jcmd" "$jvm" JVMTI.agent_load "$PROFILER" '"start,event=wall,threads,interval=5ms"' >/dev/null
fi
# One more pass with nothing to do: a change of projects.yml's mtime enqueues every key.
calls0=$(cat "$work/calls"); cpu0=$(cpu_ms); runs0=$(runs); start=$(date +%s%N)
touch "$work/projects.yml"
wait_runs $(( runs0 + n ))
wall=$(( ($(date +%s%N) - start) / 1000000 ))
calls=$(( $(cat "$work/calls") - calls0 )); cpu=$(( $(cpu_ms) - cpu0 ))

floor_calls0=$(cat "$work/calls")
floor_start=$(date +%s%N)
DOCKER_HOST="unix://$work/docker.sock" docker ps -a --filter label=reconcile.managed=true >/dev/null
floor_wall=$(( ($(date +%s%N) - floor_start) / 1000000 ))
floor_calls=$(( $(cat "$work/calls") - floor_calls0 ))

echo "steady-state pass over $n environments, nothing to do:"
printf '  docker API calls   %6d   (%.1f per environment; floor: docker ps -a = %d)\n' "$calls" \
  "$(echo "$calls / $n" | bc -l)" "$floor_calls"
printf '  CPU time           %6d ms (%.1f ms per environment)\n' "$cpu" "$(echo "$cpu / $n" | bc -l)"
printf '  wall time          %6d ms (floor: one docker ps -a, %d ms; ratio %.1f)\n' "$wall" "$floor_wall" \
  "$(echo "$wall / ($floor_wall + 0.001)" | bc -l)"

# heal_round WHAT EVENT COMMAND...: runs COMMAND against ${prefix}1's container, then prints when
# nginx serves it again (polled alone every 10 ms: a /status read between polls would blur it by
# ~0.1 s) and when /status records the heal; then the engine's own events of the round, replayed
# afterwards (nothing races), in ms since the command, and the time from the engine's EVENT (the
# one the controller acts on) to serving again.
serial() { curl -s "127.0.0.1:$port/status" | python3 -c "import json,sys; d=json.load(sys.stdin); print(next((e['last_serial'] for e in d['environments'] if e['environment']=='${prefix}1/production' and e['state']=='in-sync'), 0))"; }
heal_round() {
  local what=$1 event=$2 before start served="" healed s at
  shift 2
  victim=$(docker ps -q --filter "label=reconcile.project=${prefix}1" | head -1)
  before=$(serial)
  start=$(date +%s%N)
  round_at=$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)
  "$@" >/dev/null
  for _ in $(seq 1 6000); do
    if curl -s --max-time 0.3 -H "Host: ${prefix}1.test" "127.0.0.1:$listen/" | grep -q 'version v1'; then
      served=$(( ($(date +%s%N) - start) / 1000000 ))
      break
    fi
    sleep 0.01
  done
  for _ in $(seq 1 3000); do
    s=$(serial); if [ "$s" -gt "$before" ]; then break; fi
    sleep 0.05
  done
  healed=$(( ($(date +%s%N) - start) / 1000000 ))
  echo "$what -> serving again: ${served:-?} ms; heal recorded in /status: $healed ms"
  docker events --since "$((start / 1000000000)).$(printf '%09d' $((start % 1000000000)))" --until "$(( $(date +%s) + 1 ))" \
    --filter type=container --filter "label=reconcile.project=${prefix}1" \
    --format '{{.TimeNano}} {{.Action}} {{index .Actor.Attributes "name"}}' \
    | grep -Ev ' (exec_|attach|resize|top)' > "$work/events"
  awk -v s="$start" '{ printf "  engine: %6d ms %s %s\n", ($1 - s) / 1000000, $2, $3 }' "$work/events"
  at=$(awk -v e="$event" '$2 == e {print $1; exit}' "$work/events")
  if [ -n "$at" ] && [ -n "$served" ]; then
    echo "  from the engine's $event event to serving again: $(( served - (at - start) / 1000000 )) ms"
  fi
}
remove_victim() { docker rm -f "$victim"; }
crash_victim() { docker exec "$victim" sh -c 'kill -9 $(pidof httpd)'; }

# A removal: the controller replaces the container.
heal_round "event to healed (docker rm -f)" destroy remove_victim
# When the controller saw it: the timestamp of its drift line, after the removal.
python3 - "$round_at" "$work/watch.log" "${prefix}1/production: drift" <<'PY'
import sys, datetime
def t(s): return datetime.datetime.fromisoformat(s[:26].rstrip('Z') + '+00:00')
removed = t(sys.argv[1])
for line in open(sys.argv[2]):
    if sys.argv[3] in line:
        print(f"  the controller saw it after {(t(line.split()[0]) - removed).total_seconds() * 1000:.0f} ms")
        break
PY
# A crash (the app's process killed inside its container): the engine's restart policy starts it
# again on its port, before any heal; the controller then replaces the restarted slot.
heal_round "a crash (kill -9 of the app inside)" die crash_victim
# Floor, same run and engine: what any tool waits for, a container of the same image created and
# started with a published port on a network of its own, until its /health answers.
floor_net=${prefix}-floor-net
docker network create "$floor_net" >/dev/null
start=$(date +%s%N)
floor_id=$(docker run -d --network "$floor_net" -p 127.0.0.1::8080 --label reconcile.project=${prefix}-floor reconcile-test/web:v1)
floor_port=$(docker port "$floor_id" 8080 | head -1 | cut -d: -f2)
for _ in $(seq 1 2000); do curl -sf "127.0.0.1:$floor_port/health" >/dev/null && break; sleep 0.01; done
echo "floor: docker run of the same container until its /health answers: $(( ($(date +%s%N) - start) / 1000000 )) ms"
docker rm -f "$floor_id" >/dev/null; docker network rm "$floor_net" >/dev/null
if [ -n "${PROFILER:-}" ]; then
  "$JAVA_HOME/bin/jcmd" "$jvm" JVMTI.agent_load "$PROFILER" '"stop,collapsed,file=/tmp/rc-watch-profile.txt"' >/dev/null
fi
