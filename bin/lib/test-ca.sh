#!/usr/bin/env bash
# A local ACME test CA for the demo and the benchmarks: Debian's pebble, with pebble-challtestsrv
# as its DNS (every name is 127.0.0.1), all on loopback. Never for real certificates.
#   bin/lib/test-ca.sh start DIR HTTP_PORT   # the CA fetches HTTP-01 answers from 127.0.0.1:HTTP_PORT
#   bin/lib/test-ca.sh stop DIR
# start writes DIR/bundle.pem (the CAs to trust: pebble's HTTPS and the root it issues from) and
# DIR/directory (the ACME directory URL), and waits until the CA answers.
set -euo pipefail

cmd=${1:?start or stop}
dir=${2:?the CA\'s folder}
log() { echo "test-ca: $*" >&2; }

stop() {
  for name in pebble challtestsrv; do
    if [ -f "$dir/$name.pid" ]; then
      kill "$(cat "$dir/$name.pid")" 2>/dev/null || true
      rm -f "$dir/$name.pid"
    fi
  done
}

. "$(dirname "${BASH_SOURCE[0]}")/ports.sh"

if [ "$cmd" = stop ]; then
  stop
  exit 0
fi

http_port=${3:?the port nginx answers HTTP on}
mkdir -p "$dir"
stop
# Ports: the first free ones from 18414 on (a DNS port must be free for UDP too; pebble's own
# DNS client is the only one that asks it).
ports=()
for _ in 1 2 3 4 5; do
  ports+=("$(first_free_port 18414 18499 "${ports[@]}")") || { log "no five free ports in 18414-18499"; exit 1; }
done
acme=${ports[0]} management=${ports[1]} dns=${ports[2]} dns_management=${ports[3]} tls_alpn=${ports[4]}

cd "$dir"
if [ ! -f ca.pem ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem \
    -days 30 -subj "/CN=reconcile demo test CA" 2>/dev/null
fi
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server.key -out server.csr \
  -subj /CN=localhost 2>/dev/null
echo "subjectAltName=DNS:localhost,IP:127.0.0.1" > server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 30 \
  -extfile server.ext 2>/dev/null
cat > pebble.json <<JSON
{"pebble": {"listenAddress": "127.0.0.1:$acme", "managementListenAddress": "127.0.0.1:$management",
  "certificate": "$dir/server.pem", "privateKey": "$dir/server.key", "httpPort": $http_port,
  "tlsPort": $tls_alpn, "ocspResponderURL": "", "externalAccountBindingRequired": false}}
JSON
nohup pebble-challtestsrv -defaultIPv4 127.0.0.1 -defaultIPv6 "" -dns01 "127.0.0.1:$dns" -http01 "" \
  -https01 "" -tlsalpn01 "" -management "127.0.0.1:$dns_management" > challtestsrv.log 2>&1 &
echo $! > challtestsrv.pid
PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 nohup pebble -config pebble.json -dnsserver "127.0.0.1:$dns" \
  > pebble.log 2>&1 &
echo $! > pebble.pid
for _ in $(seq 1 300); do
  if curl -sf --cacert ca.pem "https://127.0.0.1:$management/roots/0" -o root.pem 2>/dev/null; then
    cat ca.pem root.pem > bundle.pem
    echo "https://127.0.0.1:$acme/dir" > directory
    log "pebble answers at https://127.0.0.1:$acme/dir (trust $dir/bundle.pem)"
    exit 0
  fi
  sleep 0.1
done
log "pebble did not start; see $dir/pebble.log"
stop
exit 1
