#!/usr/bin/env bash
# One update of a 3-replica swarm service under load, next to a blue-green container deploy, in
# the same run, each through the same managed nginx: wrk (2 threads, 8 keep-alive connections)
# runs for the whole `reconcile apply` (v1 <-> v2), and its socket errors and non-2xx answers
# count as failed requests. The floor of the swarm side: the engine's own update of a service
# made by hand with the same settings (`docker service update --image`, start-first, 3 replicas,
# on an overlay network), under the same load.
# Usage: [CLOSE=1] [HANDOFF=1] bench/swarm-update.sh [ROUNDS]   default 3; CLOSE=1: a new
# connection per request; HANDOFF=1: a `reconcile watch` of the spec runs, and the applies are
# handed to it (docs/commands.md, watch), else they run one-shot. Makes a single-node swarm when
# the engine is in none (docker swarm init --advertise-addr 127.0.0.1), and leaves it at the end.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
rounds=${1:-3}
command -v wrk >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null; }
. bench/lib.sh
work=$(mktemp -d /tmp/rc-bench-swarm-XXXXXX)
listen=$(free_port)
made_swarm=0
if [ "$(docker info --format '{{.Swarm.LocalNodeState}}')" != active ]; then
  docker swarm init --advertise-addr 127.0.0.1 >/dev/null
  made_swarm=1
fi
watch_pid=
cleanup() {
  [ -n "$watch_pid" ] && kill "$watch_pid" 2>/dev/null && wait "$watch_pid" 2>/dev/null || true
  bin/reconcile -f "$work/projects.yml" nginx stop >/dev/null 2>&1 || true
  docker service rm rcbsw-web-production rcbswfloor >/dev/null 2>&1 || true
  remove_projects rcbbg
  # Until the tasks have stopped (within their stop grace period), their networks are in use.
  for _ in $(seq 1 60); do
    docker network rm rcbsw-production rcbswfloor-net >/dev/null 2>&1 && break
    docker network ls --format '{{.Name}}' | grep -qE '^(rcbsw-production|rcbswfloor-net)$' || break
    sleep 0.5
  done
  # A leave can return with the node half out ("active", grpc "client connection is closing",
  # seen on Docker 28.2 right after the services' removal): the next swarm command then fails.
  # Left again until the engine says inactive.
  if [ "$made_swarm" = 1 ]; then
    for _ in 1 2 3 4 5; do
      docker swarm leave --force >/dev/null 2>&1 || true
      [ "$(docker info --format '{{.Swarm.LocalNodeState}}')" = inactive ] && break
      sleep 1
    done
  fi
  rm -rf "$work"
}
trap cleanup EXIT
spec() {
  cat > "$work/projects.yml" <<SPEC
version: 1
platform:
  nginx: { listen: "127.0.0.1:$listen" }
  hosts:
    local: { docker: "unix:///var/run/docker.sock" }
    cluster: { swarm: "unix:///var/run/docker.sock", task_ports: public }   # a bench machine, no outside firewall
projects:
  rcbsw:
    host: cluster
    domains: { production: rcbsw.test }
    containers:
      web: { image: "reconcile-test/web:$1", port: 8080, replicas: 3, health: { path: /health, interval: 1s, retries: 3 } }
  rcbbg:
    domains: { production: rcbbg.test }
    containers:
      web: { image: "reconcile-test/web:$1", port: 8080, health: { path: /health, interval: 1s, retries: 3 } }
SPEC
}
spec v1
RECONCILE_HANDOFF=off bin/reconcile -f "$work/projects.yml" apply --yes >/dev/null
if [ "${HANDOFF:-0}" = 1 ]; then
  start_watch "$work/projects.yml" "$work/watch.log"
else
  export RECONCILE_HANDOFF=off
fi
failed() {
  local socket non2xx
  socket=$({ grep -o 'Socket errors: .*' "$1" || echo 0; } | grep -o '[0-9]\+' | paste -sd+ | bc)
  non2xx=$(grep -o 'Non-2xx or 3xx responses: [0-9]*' "$1" | grep -o '[0-9]*$' || echo 0)
  echo $(( socket + non2xx ))
}
requests() { grep -o '^ *[0-9]* requests in' "$1" | grep -o '[0-9]*' | head -1; }
# under_load HOST COMMAND...: wrk on HOST through nginx while COMMAND runs; prints "ms failed requests"
under_load() {
  local host=$1; shift
  wrk -t 2 -c 8 -d 120s -H "Host: $host" ${CLOSE:+-H "Connection: close"} "http://127.0.0.1:$listen/" > "$work/wrk.txt" &
  local load=$!
  sleep 1
  local start; start=$(date +%s%N)
  # Each line with the milliseconds since the start: where the time went (the last is kept).
  "$@" 2>&1 | while IFS= read -r line; do echo "$(( ($(date +%s%N) - start) / 1000000 )) $line"; done \
    > "/tmp/rc-swarm-$host-$(basename "$1").log"
  local ms=$(( ($(date +%s%N) - start) / 1000000 ))
  sleep 1
  kill -INT $load; wait $load || true
  echo "$ms $(failed "$work/wrk.txt") $(requests "$work/wrk.txt")"
}
# The engine's own time for the last update of a service: its update status's start to completion.
engine_ms() {
  local times
  times=$(docker service inspect --format '{{.UpdateStatus.StartedAt.UnixNano}} {{.UpdateStatus.CompletedAt.UnixNano}}' "$1" 2>/dev/null) \
    || { echo 0; return; }
  set -- $times
  echo $(( ($2 - $1) / 1000000 ))
}
version=v1
declare -a sw bg fl sw_engine fl_engine
sw_failed=0 bg_failed=0 sw_req=0 bg_req=0
# On an overlay network of its own, as reconcile's service is (its containers find each other by
# name there) and as `docker stack deploy` puts every service: each task's attachment to it is
# engine work of the update (~0.6 s a task here), which a floor without one would leave out.
docker network create --driver overlay rcbswfloor-net >/dev/null
docker service create --detach --name rcbswfloor --network rcbswfloor-net --replicas 3 --publish mode=host,target=8080 \
  --update-order start-first --update-parallelism 1 --update-failure-action rollback --update-monitor 3s \
  --health-cmd "wget -q -O /dev/null http://127.0.0.1:8080/health" --health-interval 1s --health-retries 3 \
  reconcile-test/web:v1 >/dev/null 2>&1
for _ in $(seq 1 30); do [ "$(docker service ls --filter name=rcbswfloor --format '{{.Replicas}}')" = 3/3 ] && break; sleep 0.5; done
for r in $(seq 1 "$rounds"); do
  version=$([ "$version" = v1 ] && echo v2 || echo v1)
  spec "$version"
  read -r ms f n < <(under_load rcbsw.test bin/reconcile -f "$work/projects.yml" apply --yes --project rcbsw)
  sw+=("$ms"); sw_failed=$((sw_failed + f)); sw_req=$((sw_req + n))
  sw_engine+=("$(engine_ms rcbsw-web-production)")
  read -r ms f n < <(under_load rcbbg.test bin/reconcile -f "$work/projects.yml" apply --yes --project rcbbg)
  bg+=("$ms"); bg_failed=$((bg_failed + f)); bg_req=$((bg_req + n))
  # The floor under the same load (wrk through nginx to the tool's service), as the two above.
  read -r ms f n < <(under_load rcbsw.test docker service update --quiet --image "reconcile-test/web:$version" rcbswfloor)
  fl+=("$ms")
  fl_engine+=("$(engine_ms rcbswfloor)")
done
med() { printf '%s\n' "$@" | median; }
printf '%-58s %8s %8s %10s\n' "one update under load (median of $rounds)" "wall" "failed" "requests"
printf '%-58s %6s ms %8s %10s\n' "swarm service, 3 replicas (reconcile apply, nginx follows)" "$(med "${sw[@]}")" "$sw_failed" "$sw_req"
printf '%-58s %6s ms %8s %10s\n' "container, blue-green (reconcile apply, default bake/drain)" "$(med "${bg[@]}")" "$bg_failed" "$bg_req"
printf '%-58s %6s ms\n' "floor: docker service update of the same service by hand" "$(med "${fl[@]}")"
printf "the engine's own update (its update status, started to completed): %s ms for reconcile's service, %s ms for the floor's\n" \
  "$(med "${sw_engine[@]}")" "$(med "${fl_engine[@]}")"
printf 'ratio swarm/floor %s, blue-green/floor %s\n' "$(echo "scale=2; $(med "${sw[@]}") / $(med "${fl[@]}")" | bc)" \
  "$(echo "scale=2; $(med "${bg[@]}") / $(med "${fl[@]}")" | bc)"
if [ "${HANDOFF:-0}" = 1 ]; then
  echo "applies handed to the running watch: $(grep -c "handoff: ran '" "$work/watch.log" || true) of $((2 * rounds))"
fi
