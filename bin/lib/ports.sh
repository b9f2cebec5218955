# Port picking for the shell scripts (demo, test CA, benchmarks): sourced, not run.
#
# Ports a script picks and binds later come from fixed ranges below platform.ports (20000-29999,
# the tool's slots) and below the kernel's ephemeral range (32768-60999), from which bind(0),
# outgoing connections and the Docker engine's own picks are served; so nothing but another
# script can be handed them between the pick and the bind. The ranges:
#   10000-16999  test servers of the Java tests (TestPorts, reserved per port across JVMs)
#   17000-17999  benchmark scripts
#   18380-18399  the demo's nginx (HTTP), 18743-18762 its HTTPS
#   18414-18499  the local test CA (bin/lib/test-ca.sh)

# port_listened PORT: whether something accepts TCP connections on 127.0.0.1:PORT.
port_listened() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# port_free PORT: nothing listens on it, for TCP or UDP.
port_free() {
  ! port_listened "$1" && ! ss -Huln "sport = :$1" 2>/dev/null | grep -q .
}

# first_free_port FIRST LAST [EXCEPT...]: the first free port of the range not in EXCEPT; fails
# with a message naming the range when there is none.
first_free_port() {
  local first=$1 last=$2 port; shift 2
  for port in $(seq "$first" "$last"); do
    case " $* " in *" $port "*) continue ;; esac
    if port_free "$port"; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port in $first-$last on 127.0.0.1" >&2
  return 1
}
