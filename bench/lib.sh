# Shared by the whole-process benchmark scripts: time a command N times, print the median.

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# measure N LABEL COMMAND...: runs COMMAND N times (output discarded, failures ignored) and
# prints the median, min and max wall time in milliseconds.
measure() {
  local n=$1 label=$2; shift 2
  local times=() start end
  for _ in $(seq 1 "$n"); do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%-44s median %5d ms  (min %d, max %d, n=%d)\n' "$label" \
    "$(printf '%s\n' "${times[@]}" | median)" \
    "$(printf '%s\n' "${times[@]}" | sort -n | head -1)" \
    "$(printf '%s\n' "${times[@]}" | sort -n | tail -1)" "$n"
}

. "$(dirname "${BASH_SOURCE[0]}")/../bin/lib/ports.sh"
# free_port: a loopback port from the benchmarks' range (bin/lib/ports.sh) that nothing listens
# on and this script has not handed out before: scripts pick several ports before starting the
# servers that bind them. $$ is the script's own PID, in $(...) too.
bench_ports_file="${TMPDIR:-/tmp}/reconcile-bench-ports.$$"
free_port() {
  local port
  port=$(first_free_port 17000 17999 $(cat "$bench_ports_file" 2>/dev/null)) || return 1
  echo "$port" >> "$bench_ports_file"
  echo "$port"
}

# web_projects N PREFIX: the `projects:` section of N one-container web projects PREFIX1..N
# (the test image, health on /health).
web_projects() {
  echo "projects:"
  for i in $(seq 1 "$1"); do
    echo "  $2$i:"
    echo "    domains: { production: $2$i.test }"
    echo "    containers: { web: { image: \"reconcile-test/web:v1\", port: 8080, health: { path: /health, interval: 1s } } }"
  done
}

# The competing CPU load of the "under load" figures: one busy shell loop per core, until
# stop_busy_loops (call it from the script's EXIT trap too).
busy_pids=()
start_busy_loops() { for _ in $(seq 1 "$(nproc)"); do (while :; do :; done) & busy_pids+=($!); done; }
stop_busy_loops() { for p in "${busy_pids[@]}"; do kill "$p" 2>/dev/null || true; done; busy_pids=(); }

# start_sshd DIR AUTHORIZED_KEYS KNOWN_HOSTS: a real sshd of the script's own on 127.0.0.1 (its
# host key, config and pid file in DIR), trusted by a line added to KNOWN_HOSTS. Sets sshd_port
# and sshd_pid (kill it in the EXIT trap).
start_sshd() {
  local d=$1
  mkdir -p "$d" /run/sshd 2>/dev/null || true
  ssh-keygen -q -t ed25519 -N '' -f "$d/host_key"
  sshd_port=$(free_port)
  cat > "$d/sshd_config" <<CFG
Port $sshd_port
ListenAddress 127.0.0.1
HostKey $d/host_key
PidFile $d/sshd.pid
AuthorizedKeysFile $2
StrictModes no
UsePAM no
PasswordAuthentication no
PermitRootLogin prohibit-password
MaxSessions 50
Subsystem sftp internal-sftp
CFG
  /usr/sbin/sshd -D -f "$d/sshd_config" & sshd_pid=$!
  for _ in $(seq 1 100); do (echo > "/dev/tcp/127.0.0.1/$sshd_port") 2>/dev/null && break; sleep 0.05; done
  echo "[127.0.0.1]:$sshd_port $(cut -d' ' -f1,2 "$d/host_key.pub")" >> "$3"
}

# example_projects N FILE: a projects.yml of N one-container projects that validates without an
# engine (images that need not exist): what the start-up benchmarks validate.
example_projects() {
  python3 - "$1" "$2" <<'PY'
import sys
n, out = int(sys.argv[1]), sys.argv[2]
lines = ["version: 1", "projects:"]
for i in range(n):
    lines += [f"  p{i}:", f"    domains: {{ production: p{i}.example.com }}", "    containers:",
              f"      web: {{ image: \"example/p{i}:1\", port: 8080, health: {{ path: /health }} }}"]
open(out, "w").write("\n".join(lines) + "\n")
PY
}

# remove_projects PROJECT...: what the tool created for these projects on this engine: their
# containers, then their networks of names (the host's egress network is everyone's and stays). A bench's
# EXIT trap calls it, so a later run does not find them "managed by another state directory".
remove_projects() {
  local p
  for p in "$@"; do
    docker ps -aq --filter "label=reconcile.project=$p" | xargs -r docker rm -f >/dev/null 2>&1 || true
    docker network ls -q --filter "label=reconcile.project=$p" | xargs -r docker network rm >/dev/null 2>&1 || true
  done
}

# remove_prefixed PREFIX: the same for every project whose resources are named PREFIX...
# (only what carries the tool's label).
remove_prefixed() {
  docker ps -aq --filter label=reconcile.project --filter "name=$1" | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker network ls -q --filter label=reconcile.project --filter "name=$1" | xargs -r docker network rm >/dev/null 2>&1 || true
}

# start_watch SPEC LOG: `reconcile watch` of SPEC in the background (report mode, any free port),
# its output in LOG; returns once it takes handed runs (docs/commands.md, watch). Sets watch_pid
# (kill it in the EXIT trap).
start_watch() {
  bin/reconcile -f "$1" watch --listen 127.0.0.1:0 >"$2" 2>&1 &
  watch_pid=$!
  for _ in $(seq 1 600); do
    grep -q "'apply --yes' and 'rollback --yes' of" "$2" && return 0
    kill -0 "$watch_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "the watch did not come to take runs; it said:" >&2
  cat "$2" >&2
  exit 1
}
