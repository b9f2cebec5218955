#!/usr/bin/env bash
# A real app's redeploy: the Python web app of reconcile-test/app (built from Debian's packages by
# bin/lib/setup-host.sh) with its PostgreSQL beside it, switched v1 <-> v2 by
# `reconcile apply --yes --bake 0s --drain 0s` (release command, health, smoke, switch). Reports
# the median wall time and the median time from the new slot started to healthy (the apply's own
# lines), and the floor of the latter in the same run: the app's own time from its process start
# until /health answers, timed inside a container on the project's network (no engine start).
# Usage: bench/real-app-redeploy.sh [RUNS]   (default 5). Needs bin/lib/setup-host.sh.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
. bench/lib.sh
runs=${1:-5}
work=$(mktemp -d /tmp/rc-bench-realapp-XXXXXX)
project=rcra$$
cleanup() {
  bin/reconcile -f "$work/projects.yml" nginx stop >/dev/null 2>&1 || true
  remove_projects $project
  docker volume ls -q --filter "label=reconcile.project=$project" | xargs -r docker volume rm >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
listen=$(free_port)
spec() {
  cat > "$work/projects.yml" <<SPEC
version: 1
platform: { nginx: { listen: "127.0.0.1:$listen" } }
projects:
  $project:
    domains: { production: $project.test }
    containers:
      web:
        image: "reconcile-test/app:$1"
        port: 8000
        env: { DATABASE_URL: "postgresql://postgres:pw@$project-db-production/postgres" }
        release: [python3, /app/migrate.py]
        depends_on: [db]
        health: { path: /health, interval: 1s }
        smoke: [ { path: /api/smoke, contains: "smoke: ok" } ]
      db:
        image: "reconcile-test/app:v1"
        command: [/app/db.sh]
        env: { POSTGRES_PASSWORD: pw }
        volumes: { pgdata: /var/lib/postgresql/data }
        health: { command: [pg_isready, -h, 127.0.0.1, -U, postgres], interval: 1s, retries: 60 }
SPEC
}
spec v1
bin/reconcile -f "$work/projects.yml" apply --yes --bake 0s --drain 0s >/dev/null

walls=() healths=()
next=v2
for _ in $(seq 1 "$runs"); do
  spec "$next"
  start=$(date +%s%N)
  bin/reconcile -f "$work/projects.yml" apply --yes --bake 0s --drain 0s --no-color 2>&1 \
    | while IFS= read -r line; do echo "$(( ($(date +%s%N) - start) / 1000000 )) $line"; done \
    > "$work/apply.log"
  walls+=($(( ($(date +%s%N) - start) / 1000000 )))
  cp "$work/apply.log" /tmp/rc-realapp-last.log
  healths+=("$(awk '/web/ && / started / && !s { s = $1 } /web/ && /healthy after/ && !h { h = $1 } END { print h - s }' "$work/apply.log")")
  [ "$next" = v2 ] && next=v1 || next=v2
done

# The floor: the app's own start, from its process spawned until /health answers 200.
network=$(docker network ls --format '{{.Name}}' --filter "label=reconcile.project=$project" | grep -v egress | head -1)
floors=()
for _ in $(seq 1 "$runs"); do
  floors+=("$(docker run --rm --network "$network" \
    -e "DATABASE_URL=postgresql://postgres:pw@$project-db-production/postgres" -e PORT=8099 \
    --entrypoint python3 reconcile-test/app:v1 -c '
import subprocess, time, urllib.request
start = time.monotonic()
app = subprocess.Popen(["python3", "/app/app.py"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
while True:
    try:
        if urllib.request.urlopen("http://127.0.0.1:8099/health", timeout=1).status == 200:
            break
    except Exception:
        time.sleep(0.01)
print(int((time.monotonic() - start) * 1000))
app.kill()')")
done

printf 'real app redeploy (median of %d): %d ms; new slot started -> healthy: %d ms\n' "$runs" \
  "$(printf '%s\n' "${walls[@]}" | median)" "$(printf '%s\n' "${healths[@]}" | median)"
printf 'floor: the app itself, process start until /health answers: %d ms\n' \
  "$(printf '%s\n' "${floors[@]}" | median)"
