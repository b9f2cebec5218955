#!/usr/bin/env bash
# The cost of TLS with the tool's settings, on this machine, in one run: wrk through the managed
# nginx to the same app (the test web image) over plain HTTP (project rcbenchplain, tls: off) and
# over HTTPS (project rcbenchtls, a P-256 certificate like the CA's, TLS 1.3 as negotiated),
# (a) on kept-alive connections and (b) with a new connection, so a new handshake, per request.
# The HTTPS site's domain is `localhost`, the one name that resolves here without touching
# /etc/hosts, so wrk sends it as SNI. Usage: bench/https.sh [SECONDS]   default 5 per round, 12 rounds.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
seconds=${1:-5}
command -v wrk >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null; }
. bench/lib.sh
work=$(mktemp -d /tmp/rc-bench-https-XXXXXX)
http=$(free_port)
tls=$(free_port)
cleanup() {
  bin/reconcile -f "$work/projects.yml" nginx stop >/dev/null 2>&1 || true
  for p in rcbenchplain rcbenchtls; do
    remove_projects $p
  done
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/certs"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$work/certs/key.pem" \
  -out "$work/certs/cert.pem" -days 30 -subj /CN=localhost -addext subjectAltName=DNS:localhost 2>/dev/null
chmod 600 "$work/certs/key.pem"
cat > "$work/projects.yml" <<SPEC
version: 1
platform: { nginx: { listen: "127.0.0.1:$http", listen_tls: "127.0.0.1:$tls" } }
projects:
  rcbenchplain:
    domains: { production: rcbenchplain.test }
    tls: off
    containers:
      web: { image: "reconcile-test/web:v1", port: 8080, health: { path: /health, interval: 1s } }
  rcbenchtls:
    domains: { production: localhost }
    tls: { certificate: certs/cert.pem, key: certs/key.pem }
    containers:
      web: { image: "reconcile-test/web:v1", port: 8080, health: { path: /health, interval: 1s } }
SPEC
bin/reconcile -f "$work/projects.yml" apply --yes --bake 0s --drain 0s >/dev/null
rate() { grep -o 'Requests/sec: *[0-9.]*' "$1" | grep -o '[0-9.]*$'; }
errors() { { grep -o 'Socket errors: .*' "$1" || echo 0; } | grep -o '[0-9]\+' | paste -sd+ | bc; }
round() {
  local name=$1; shift
  wrk -t 2 -c 16 -d "${seconds}s" "$@" > "$work/$name.txt"
  echo "$(rate "$work/$name.txt") $(errors "$work/$name.txt")"
}
# Interleaved, three times each: the machine's other load shifts between rounds, not between sides.
declare -A results errs
for i in 1 2 3; do
  read -r r e < <(round http-keep -H "Host: rcbenchplain.test" "http://127.0.0.1:$http/"); results[http_keep]+="$r "; errs[http]=$(( ${errs[http]:-0} + e ))
  read -r r e < <(round tls-keep "https://localhost:$tls/"); results[tls_keep]+="$r "; errs[tls]=$(( ${errs[tls]:-0} + e ))
  read -r r e < <(round http-new -H "Host: rcbenchplain.test" -H "Connection: close" "http://127.0.0.1:$http/"); results[http_new]+="$r "; errs[http]=$(( ${errs[http]} + e ))
  read -r r e < <(round tls-new -H "Connection: close" "https://localhost:$tls/"); results[tls_new]+="$r "; errs[tls]=$(( ${errs[tls]} + e ))
done
med() { echo ${results[$1]} | tr ' ' '\n' | grep . | median; }
http_keep=$(med http_keep) tls_keep=$(med tls_keep) http_new=$(med http_new) tls_new=$(med tls_new)
cipher=$(echo | openssl s_client -connect "127.0.0.1:$tls" -servername localhost 2>/dev/null | grep -m1 -o 'TLSv1.[23], Cipher is [A-Z0-9_-]*' || true)
printf '%-40s %10s %10s %8s\n' "median of 3 (wrk -t 2 -c 16, ${seconds} s)" "HTTP r/s" "HTTPS r/s" "ratio"
printf '%-40s %10.0f %10.0f %8.2f\n' "kept-alive connections" "$http_keep" "$tls_keep" "$(echo "$tls_keep / $http_keep" | bc -l)"
printf '%-40s %10.0f %10.0f %8.2f\n' "new connection per request (handshake)" "$http_new" "$tls_new" "$(echo "$tls_new / $http_new" | bc -l)"
echo "socket errors in all rounds: http ${errs[http]}, https ${errs[tls]}; negotiated: $cipher"
