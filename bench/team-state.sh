#!/usr/bin/env bash
# Whole-process benchmark of the fleet's state on its server: `plan` and a no-op `apply` of one
# project on a server over SSH (a real sshd of this script's on 127.0.0.1 in front of this
# machine's engine, with its own nginx), the state on the server (the default), against the same
# commands with `state_host: local` (the state beside projects.yml), in the same run. The floor:
# one OpenSSH login running `true`.
# Usage: bench/team-state.sh [R]   default: 9 runs per command. Needs bin/lib/setup-host.sh.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
runs=${1:-9}
work=$(mktemp -d /tmp/rc-bench-state-XXXXXX)
cleanup() {
  [ -f "$work/server/nginx/logs/nginx.pid" ] && kill -QUIT "$(cat "$work/server/nginx/logs/nginx.pid")" 2>/dev/null || true
  [ -n "${sshd_pid:-}" ] && kill "$sshd_pid" 2>/dev/null || true
  docker ps -aq --filter label=reconcile.project=rcbstate | xargs -r docker rm -f >/dev/null
  docker network ls -q --filter label=reconcile.project=rcbstate | xargs -r docker network rm >/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
. bench/lib.sh
mkdir -p /run/sshd 2>/dev/null || true
bin/reconcile --version >/dev/null

ssh-keygen -q -t ed25519 -N '' -f "$work/client_key"
start_sshd "$work/sshd" "$work/client_key.pub" "$work/known_hosts"
port=$sshd_port
nginx_port=$(free_port)
for where in server local; do
  mkdir -p "$work/$where"
  {
    echo "version: 1"
    echo "platform:"
    [ "$where" = local ] && echo "  state_host: local"
    echo "  hosts:"
    echo "    web-1: { ssh: \"$(id -un)@127.0.0.1:$port\", identity: \"$work/client_key\", known_hosts: \"$work/known_hosts\", state_dir: \"$work/server\", nginx: { listen: \"127.0.0.1:$nginx_port\" } }"
    echo "projects:"
    echo "  rcbstate: { host: web-1, domains: { production: rcbstate.test }, containers: { web: { image: \"reconcile-test/web:v1\", port: 8080 } } }"
  } > "$work/$where/projects.yml"
done
bin/reconcile -f "$work/server/projects.yml" apply --yes --bake 0s --drain 0s >/dev/null
# The local state is the server's, copied: the same owner id and key, so both plan no change.
mkdir -p "$work/local/.reconcile"
cp "$work/server/owner" "$work/server/secret.key" "$work/local/.reconcile/"
for where in server local; do
  bin/reconcile -f "$work/$where/projects.yml" plan --detailed-exitcode >/dev/null \
    || { echo "the $where spec does not plan 'no changes'"; exit 1; }
done

measure "$runs" "floor: one OpenSSH login running true" \
  ssh -q -o BatchMode=yes -o UserKnownHostsFile="$work/known_hosts" -i "$work/client_key" -p "$port" \
    "$(id -un)@127.0.0.1" true
for where in local server; do
  measure "$runs" "plan, state $where" bin/reconcile -f "$work/$where/projects.yml" plan --no-color
  measure "$runs" "no-op apply, state $where" bin/reconcile -f "$work/$where/projects.yml" apply --yes --no-color
done
