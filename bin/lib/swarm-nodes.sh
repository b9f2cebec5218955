#!/usr/bin/env bash
# A swarm of two Docker engines on this machine, for tests of what crosses nodes:
#   bin/lib/swarm-nodes.sh up IMAGE...   start it, load IMAGEs (from this machine's engine) into both
#   bin/lib/swarm-nodes.sh down          stop it and remove everything it made
#
# Each engine runs in a network namespace of its own (rcswn-m, the manager at 10.231.0.2;
# rcswn-w, a worker at 10.231.0.3), joined by a bridge on this machine (10.231.0.1), with its
# own data root, exec root (and containerd) and socket: /run/rcswn-m/docker.sock is the manager.
# Its task ports are reached from this machine at the nodes' addresses, as nginx on a real
# manager reaches a worker's. This machine's own engine is not touched.
#
# Needs root, iproute2, nsenter and iptables. Prints the manager's socket when up.
set -euo pipefail

readonly BRIDGE=rcswn-br NET=10.231.0 STATE=/var/lib/reconcile-test/swarm-nodes
readonly RULE=(FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT)

log() { echo "swarm-nodes: $*" >&2; }
engine() { docker -H "unix:///run/rcswn-$1/docker.sock" "${@:2}"; }

node_up() {
  local node=$1 ip=$2
  ip netns add "rcswn-$node"
  ip link add "rcswn-$node-h" type veth peer name "rcswn-$node-c"
  ip link set "rcswn-$node-c" netns "rcswn-$node"
  ip link set "rcswn-$node-h" master "$BRIDGE" up
  ip -n "rcswn-$node" addr add "$ip/24" dev "rcswn-$node-c"
  ip -n "rcswn-$node" link set "rcswn-$node-c" up
  ip -n "rcswn-$node" link set lo up
  ip -n "rcswn-$node" route add default via "$NET.1"
  mkdir -p "$STATE/$node" "/run/rcswn-$node"
  # nsenter, not `ip netns exec`: that one also remounts /sys, hiding the cgroup mounts dockerd needs.
  setsid nohup nsenter --net="/var/run/netns/rcswn-$node" dockerd --data-root "$STATE/$node" \
    --exec-root "/run/rcswn-$node" --pidfile "/run/rcswn-$node/dockerd.pid" \
    -H "unix:///run/rcswn-$node/docker.sock" --cgroup-parent "rcswn-$node" \
    >"$STATE/$node.log" 2>&1 </dev/null &
}

wait_for() {
  local what=$1; shift
  for _ in $(seq 1 120); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  log "$what did not happen in 60 s"
  return 1
}

up() {
  down 2>/dev/null || true
  ip link add "$BRIDGE" type bridge
  ip addr add "$NET.1/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  # Docker sets FORWARD's policy to DROP; the two nodes talk across the bridge.
  iptables -I "${RULE[@]}"
  node_up m "$NET.2"
  node_up w "$NET.3"
  wait_for "the manager's engine answering" engine m version
  wait_for "the worker's engine answering" engine w version
  # Overlay subnets from a pool of their own, away from the bridge above.
  engine m swarm init --advertise-addr "$NET.2" --default-addr-pool 10.232.0.0/16 >/dev/null
  engine w swarm join --token "$(engine m swarm join-token -q worker)" --advertise-addr "$NET.3" "$NET.2:2377" \
    >/dev/null 2>&1 || true  # may time out while it goes on joining: the wait below judges
  wait_for "the worker joining" bash -c "[ \"\$(docker -H unix:///run/rcswn-m/docker.sock node ls -q --filter role=worker | wc -l)\" = 1 ]"
  if [ $# -gt 0 ]; then
    docker save "$@" | engine m load >/dev/null
    docker save "$@" | engine w load >/dev/null
  fi
  echo "unix:///run/rcswn-m/docker.sock"
}

down() {
  local node pid
  for node in w m; do
    engine "$node" swarm leave --force >/dev/null 2>&1 || true
    if pid=$(cat "/run/rcswn-$node/dockerd.pid" 2>/dev/null) && kill "$pid" 2>/dev/null; then
      wait_for "the $node engine stopping" bash -c "! kill -0 $pid"
    fi
    ip netns del "rcswn-$node" 2>/dev/null || true
    ip link del "rcswn-$node-h" 2>/dev/null || true
    # What a stopped engine left mounted under its data root.
    grep -o " $STATE/$node[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
    grep -o " /run/rcswn-$node[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
    rm -rf "${STATE:?}/$node" "$STATE/$node.log" "/run/rcswn-$node"
  done
  while iptables -D "${RULE[@]}" 2>/dev/null; do :; done
  ip link del "$BRIDGE" 2>/dev/null || true
}

case "${1:-}" in
  up) shift; up "$@" ;;
  down) down ;;
  *) echo "usage: $0 up [IMAGE...] | down" >&2; exit 64 ;;
esac
