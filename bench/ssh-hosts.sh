#!/usr/bin/env bash
# Whole-process benchmark of servers over SSH: `plan` and a no-op `apply` over 1 local host plus
# 0..3 servers reached over SSH (each a real sshd of this script's on 127.0.0.1, with its own
# keys, in front of the same local engine; each server with its own nginx), one project per
# host, deployed once before measuring. The floor, measured in the same run: the same commands
# over the local host alone, and one OpenSSH connection (connect, key exchange, login, `true`).
# Usage: bench/ssh-hosts.sh [R] [SERVERS]   default: 7 runs per command, 3 servers (10 for the
# "10 SSH hosts" goal: then plans over 0, 1, 2, 5 and 10 of them). Needs bin/lib/setup-host.sh.
# Run as root, the servers are reached as the user `rcbench` (made once: shell /bin/sh, group
# docker): root's shell start-up on a machine may be slow (this one's ~/.bashrc runs pyenv, 1.4 s
# for every command over SSH), which a server's deploy account would not pay.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
runs=${1:-7}
servers=${2:-3}
if [ "$servers" -le 3 ]; then counts=($(seq 0 "$servers")); else counts=(0 1 2 $((servers / 2)) "$servers"); fi
work=$(mktemp -d /tmp/rc-bench-ssh-XXXXXX)
pids=()
cleanup() {
  for f in "$work"/server-*/nginx/logs/nginx.pid; do [ -f "$f" ] && kill -QUIT "$(cat "$f")" 2>/dev/null || true; done
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/projects.yml" ] && bin/reconcile -f "$work/projects.yml" nginx stop >/dev/null 2>&1 || true
  remove_prefixed rcbench
  rm -rf "$work"
}
trap cleanup EXIT
. bench/lib.sh
mkdir -p /run/sshd 2>/dev/null || true
bin/reconcile --version >/dev/null
user=$(id -un)
if [ "$(id -u)" = 0 ]; then
  id rcbench >/dev/null 2>&1 || useradd --system --create-home --home-dir /var/lib/rcbench \
    --shell /bin/sh --groups docker rcbench
  usermod -p '*' rcbench   # no password, but not locked: sshd (without PAM) refuses a locked one
  user=rcbench
  chmod 755 "$work"
fi

ssh-keygen -q -t ed25519 -N '' -f "$work/client_key"
: > "$work/known_hosts"
hosts=()
for i in $(seq 1 "$servers"); do
  start_sshd "$work/sshd-$i" "$work/client_key.pub" "$work/known_hosts"
  pids+=("$sshd_pid"); port=$sshd_port
  mkdir -p "$work/server-$i"; chown "$user" "$work/server-$i"
  hosts+=("web-$i: { ssh: \"$user@127.0.0.1:$port\", identity: \"$work/client_key\", known_hosts: \"$work/known_hosts\", state_dir: \"$work/server-$i\", nginx: { listen: \"127.0.0.1:$(free_port)\" } }")
done

# One spec: a project on the local host and one on each server (the fleet's state lives on the
# first, web-1). "Over K servers" is the same spec planned with --project for rcbench0..K: only
# the hosts of the chosen projects are connected. (Specs that drop the other projects plan their
# removal, rightly, since the fleet's state knows them.)
local_nginx=$(free_port)
{
  echo "version: 1"
  echo "platform:"
  echo "  nginx: { listen: \"127.0.0.1:$local_nginx\" }"
  echo "  hosts:"
  echo "    local: { docker: \"unix:///var/run/docker.sock\" }"
  for i in $(seq 1 "$servers"); do echo "    ${hosts[$((i - 1))]}"; done
  echo "projects:"
  for i in $(seq 0 "$servers"); do
    host=local; [ "$i" -gt 0 ] && host="web-$i"
    echo "  rcbench$i: { host: $host, domains: { production: rcbench$i.test }, containers: { web: { image: \"reconcile-test/web:v1\", port: 8080 } } }"
  done
} > "$work/projects.yml"
# --project for rcbench0..K.
only() { for i in $(seq 0 "$1"); do printf -- '--project rcbench%d ' "$i"; done; }
# Deploy once, one server after another (ten first deploys at once, each with an nginx of its
# own, overran a 2-core machine); every selection then plans no change.
for i in $(seq 0 "$servers"); do
  bin/reconcile -f "$work/projects.yml" apply --yes --bake 0s --drain 0s --project "rcbench$i" >/dev/null
done
for k in "${counts[@]}"; do
  # shellcheck disable=SC2046
  bin/reconcile -f "$work/projects.yml" plan --detailed-exitcode $(only "$k") > "$work/plan-$k.txt" 2>&1 \
    || { echo "local + $k server(s) do not plan 'no changes':"; cat "$work/plan-$k.txt"; exit 1; }
done

ssh_port=$(awk '/^Port/ {print $2}' "$work/sshd-1/sshd_config")
measure "$runs" "floor: one OpenSSH login running true" \
  ssh -q -o BatchMode=yes -o UserKnownHostsFile="$work/known_hosts" -i "$work/client_key" -p "$ssh_port" \
    "$user@127.0.0.1" true
for k in "${counts[@]}"; do
  # shellcheck disable=SC2046
  measure "$runs" "plan, local + $k ssh host(s)" bin/reconcile -f "$work/projects.yml" plan --no-color $(only "$k")
done
for k in 0 1 "$servers"; do
  # shellcheck disable=SC2046
  measure "$runs" "no-op apply, local + $k ssh host(s)" bin/reconcile -f "$work/projects.yml" apply --yes --no-color $(only "$k")
done
