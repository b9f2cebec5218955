#!/usr/bin/env bash
# Makes this machine ready for the integration tests and the demo: installs what is missing
# (Docker engine, nginx with its lua module, sshd, busybox, sqlite3, pebble, openssl, curl, iproute2,
# docker-compose), starts dockerd when no engine answers, and builds the
# local test images (no registry is reachable, so images are made from busybox here).
# Safe to run again and again: each step is skipped when already done.
set -euo pipefail

log() { echo "setup: $*" >&2; }

need_packages=()
command -v dockerd >/dev/null 2>&1 || need_packages+=(docker.io)
command -v nginx >/dev/null 2>&1 || need_packages+=(nginx-light)
# The lua module lets the managed nginx switch upstreams without a reload (LiveRoutes).
[ -f /usr/lib/nginx/modules/ngx_http_lua_module.so ] || need_packages+=(libnginx-mod-http-lua)
[ -x /usr/sbin/sshd ] || need_packages+=(openssh-server)
[ -x /bin/busybox ] || need_packages+=(busybox-static)
command -v sqlite3 >/dev/null 2>&1 || need_packages+=(sqlite3)
# HTTPS: a real ACME test CA (pebble, pebble-challtestsrv), and openssl and curl to check it.
command -v pebble >/dev/null 2>&1 || need_packages+=(pebble)
command -v openssl >/dev/null 2>&1 || need_packages+=(openssl)
command -v curl >/dev/null 2>&1 || need_packages+=(curl)
# A swarm of two engines in network namespaces (bin/lib/swarm-nodes.sh).
command -v ip >/dev/null 2>&1 || need_packages+=(iproute2)
command -v iptables >/dev/null 2>&1 || need_packages+=(iptables)
# Moving in from compose (AdoptComposeIT): a compose project run as teams run it today.
command -v docker-compose >/dev/null 2>&1 || need_packages+=(docker-compose)

if [ ${#need_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    log "missing packages: ${need_packages[*]}; run as root or install them with apt-get."
    exit 1
  fi
  log "installing ${need_packages[*]} (apt-get)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${need_packages[@]}" >/dev/null
fi

# Debian starts nginx as a service on install; our tests run their own, so stop that one.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet nginx 2>/dev/null; then
  systemctl stop nginx || true
elif [ -f /run/nginx.pid ] && kill -0 "$(cat /run/nginx.pid)" 2>/dev/null; then
  nginx -s quit 2>/dev/null || true
fi

if ! docker version >/dev/null 2>&1; then
  log "no Docker engine answers; starting dockerd..."
  mkdir -p /var/log
  setsid nohup dockerd >/var/log/reconcile-dockerd.log 2>&1 < /dev/null &
  for _ in $(seq 1 60); do
    docker version >/dev/null 2>&1 && break
    sleep 1
  done
  if ! docker version >/dev/null 2>&1; then
    log "dockerd did not come up in 60 s; its log:"
    tail -n 30 /var/log/reconcile-dockerd.log >&2 || true
    exit 1
  fi
fi
log "Docker engine $(docker version --format '{{.Server.Version}}') answers."

# Test and demo images: busybox httpd serving /www on port 8080, started by /bin/serve, a shell
# that passes SIGTERM on and exits 0 (httpd as PID 1 would ignore it, and every stop would wait
# out the engine's 10 s grace: real apps stop when asked). Versions differ in content:
#   v1, v2  healthy, answer "version v1"/"version v2" on / and "ok" on /health
#   v3      never healthy: /health is missing (404)
#   v4      healthy, but /api/smoke answers "smoke: failing" instead of "smoke: ok"
# Bump image_rev when what the images hold changes: older ones are then rebuilt.
image_rev=5
# A folder holding busybox and the tools the tests use. rm and the rest: backups restore volumes
# with a helper that empties them (sh -c rm), and the backup tests write and check files inside
# a container.
busybox_root() {
  local dir
  dir=$(mktemp -d)
  mkdir -p "$dir/bin" "$dir/www" "$dir/tmp"
  chmod 1777 "$dir/tmp"
  cp /bin/busybox "$dir/bin/busybox"
  for tool in sh httpd wget sleep cat echo ls rm mv mkdir ln dd sha256sum find sort head tr sed; do
    ln -s busybox "$dir/bin/$tool"
  done
  cat > "$dir/bin/serve" <<'SERVE'
#!/bin/sh
# httpd as a child of this shell: as PID 1 it would ignore SIGTERM.
trap 'kill "$p"; wait "$p"; exit 0' TERM INT
httpd -f -p 8080 -h /www &
p=$!
wait "$p"
SERVE
  chmod 755 "$dir/bin/serve"
  echo "$dir"
}
# Whether the image is there and built by this revision of this script.
current() {
  [ "$(docker image inspect -f '{{index .Config.Labels "dev.reconcile.test.rev"}}' "$1" 2>/dev/null)" = "$image_rev" ]
}
# import_root DIR NAME: the folder as an image serving /www on 8080 (busybox httpd); DIR goes.
import_root() {
  tar -C "$1" -c . | docker import \
    -c 'CMD ["/bin/serve"]' \
    -c 'EXPOSE 8080' \
    -c 'LABEL dev.reconcile.test=true' \
    -c "LABEL dev.reconcile.test.rev=$image_rev" \
    - "$2" >/dev/null
  rm -rf "$1"
  log "built $2"
}
build_image() {
  local tag=$1 body=$2 health=$3 smoke=$4
  local name="reconcile-test/web:$tag"
  current "$name" && return 0
  local dir
  dir=$(busybox_root)
  mkdir -p "$dir/www/api"
  echo "$body" > "$dir/www/index.html"
  [ -n "$health" ] && echo "$health" > "$dir/www/health"
  echo "$smoke" > "$dir/www/api/smoke"
  import_root "$dir" "$name"
}
build_image v1 "version v1" ok "smoke: ok"
build_image v2 "version v2" ok "smoke: ok"
build_image v3 "version v3" "" "smoke: ok"
build_image v4 "version v4" ok "smoke: failing"

# A database image for the backup tests: busybox plus Debian's sqlite3 with the libraries it
# links (copied as ldd lists them), serving /www like the web images.
build_sqlite_image() {
  local name="reconcile-test/sqlite:1"
  current "$name" && return 0
  local dir lib
  dir=$(busybox_root)
  mkdir -p "$dir/data"
  cp "$(command -v sqlite3)" "$dir/bin/sqlite3"
  for lib in $(ldd "$(command -v sqlite3)" | grep -o '/[^ ]*'); do
    mkdir -p "$dir$(dirname "$lib")"
    cp -L "$lib" "$dir$lib"
  done
  echo ok > "$dir/www/health"
  echo "sqlite" > "$dir/www/index.html"
  import_root "$dir" "$name"
}
build_sqlite_image

# A real stack for the tests and the demo (PostgreSQL, a Python web app, a WebSocket server):
# a Debian root file system made from Debian's packages with mmdebstrap (about a minute, once;
# the image is kept), and app images on it with the files of bin/lib/stack. v1 and v2 differ
# only in the version they report.
stack_packages="python3,python3-psycopg2,python3-websockets,postgresql-15"
stack_base="reconcile-test/stack-base:1"
build_stack() {
  local here rev
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  if ! docker image inspect "$stack_base" >/dev/null 2>&1; then
    command -v mmdebstrap >/dev/null 2>&1 || {
      [ "$(id -u)" = 0 ] || { log "mmdebstrap is missing; run as root or install it"; exit 1; }
      apt-get install -y -q --no-install-recommends mmdebstrap >/dev/null
    }
    log "building $stack_base from Debian's packages (mmdebstrap, about a minute)..."
    local tar
    tar=$(mktemp --suffix=.tar)
    mmdebstrap --quiet --variant=apt --include="$stack_packages" --mode=root bookworm "$tar" >/dev/null
    docker import -c 'LABEL dev.reconcile.test=true' "$tar" "$stack_base" >/dev/null
    rm -f "$tar"
    log "built $stack_base"
  fi
  rev=$(cat "$here/stack/"* | sha256sum | cut -c1-12)
  for version in v1 v2; do
    local name="reconcile-test/app:$version"
    [ "$(docker image inspect -f '{{index .Config.Labels "dev.reconcile.test.rev"}}' "$name" 2>/dev/null)" = "$rev" ] && continue
    # The legacy builder's deprecation notice on stderr is noise; the build's own errors are not.
    if ! built=$(docker build -q --build-arg BASE="$stack_base" --build-arg VERSION="$version" \
        --label dev.reconcile.test=true --label "dev.reconcile.test.rev=$rev" -t "$name" "$here/stack" 2>&1); then
      log "building $name failed:"
      echo "$built" >&2
      exit 1
    fi
    log "built $name"
  done
}
build_stack
