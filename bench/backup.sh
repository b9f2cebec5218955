#!/usr/bin/env bash
# Backup and restore throughput of one volume (default 1024 MiB of random bytes: the worst case
# for compression), against a floor measured in the same run: the plain pipe a shell script
# would use, `docker run --rm -v VOL:/v busybox tar c | gzip` and back with `gunzip | tar x`.
# Usage: bench/backup.sh [MiB]   Needs bin/lib/setup-host.sh (engine and test images).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
mib=${1:-1024}
work=$(mktemp -d /tmp/rc-bench-backup-XXXXXX)
project=rcbenchbak
cleanup() {
  bin/reconcile -f "$work/projects.yml" nginx stop >/dev/null 2>&1 || true
  remove_projects $project
  docker volume rm -f $project-production-data >/dev/null 2>&1 || true
  docker images --format '{{.Repository}}:{{.Tag}}' "reconcile-backup/$project-web" | xargs -r docker rmi >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
. bench/lib.sh
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
cat > "$work/projects.yml" <<SPEC
version: 1
platform: { nginx: { listen: "127.0.0.1:$(free_port)" } }
projects:
  $project:
    domains: { production: $project.test }
    containers:
      web: { image: "reconcile-test/web:v1", port: 8080, volumes: { data: /data }, update: recreate }
    backup: { volumes: [data], before_deploy: false }
SPEC
bin/reconcile -f "$work/projects.yml" apply --yes --bake 0s --drain 0s >/dev/null
container=$(docker ps -q --filter label=reconcile.project=$project)
docker exec "$container" dd if=/dev/urandom of=/data/random.bin bs=1M count="$mib" 2>/dev/null
volume=$project-production-data
image=reconcile-test/web:v1

start=$(date +%s%N)
docker run --rm -v "$volume:/v" --entrypoint /bin/busybox "$image" tar c -C / v | gzip > "$work/floor.tar.gz"
floor_backup=$(ms "$start")
start=$(date +%s%N)
id=$(bin/reconcile -f "$work/projects.yml" backup run --project $project | awk '{print $1}')
tool_backup=$(ms "$start")

start=$(date +%s%N)
gunzip -c "$work/floor.tar.gz" | docker run -i --rm -v "$volume:/v" --entrypoint /bin/busybox "$image" tar x -C /
floor_restore=$(ms "$start")
# The same pipe over reconcile's own archive: the bytes the restore reads (stored where they
# did not compress), so this floor and the restore gunzip the same thing.
own=$(find "$work" -path "*$id*" -name volume-data.tar.gz | head -1)
[ -n "$own" ] || { echo "backup $id: its volume-data.tar.gz is not under $work"; exit 1; }
start=$(date +%s%N)
gunzip -c "$own" | docker run -i --rm -v "$volume:/v" --entrypoint /bin/busybox "$image" tar x -C /
floor_own=$(ms "$start")
start=$(date +%s%N)
bin/reconcile -f "$work/projects.yml" backup restore "$id" --yes > "$work/restore.out"
tool_restore=$(ms "$start")
sed 's/^/  restore: /' "$work/restore.out"
# Where the restore's time went: the engine's own events in its window, replayed afterwards
# (nothing races), in milliseconds since the restore started.
docker events --since "$((start / 1000000000)).$(printf '%09d' $((start % 1000000000)))" --until "$(( $(date +%s) + 1 ))" \
  --filter type=container --filter type=volume --format '{{.TimeNano}} {{.Type}} {{.Action}} {{index .Actor.Attributes "name"}}' \
  | grep -Ev ' (exec_|attach|resize|top)' \
  | awk -v s="$start" '{ printf "  engine: %6d ms %s %s %s\n", ($1 - s) / 1000000, $2, $3, $4 }'

printf '%-52s %6d ms  (%.0f MiB/s)\n' "floor: docker run tar c | gzip ($mib MiB)" "$floor_backup" "$(echo "$mib * 1000 / $floor_backup" | bc -l)"
printf '%-52s %6d ms  (%.0f MiB/s, %.2fx floor)\n' "reconcile backup run" "$tool_backup" "$(echo "$mib * 1000 / $tool_backup" | bc -l)" "$(echo "$tool_backup / $floor_backup" | bc -l)"
printf '%-52s %6d ms  (%.0f MiB/s)\n' "floor: gunzip | docker run tar x" "$floor_restore" "$(echo "$mib * 1000 / $floor_restore" | bc -l)"
printf '%-52s %6d ms  (%.0f MiB/s)\n' "floor: the same over reconcile's archive" "$floor_own" "$(echo "$mib * 1000 / $floor_own" | bc -l)"
printf '%-52s %6d ms  (%.0f MiB/s, %.2fx floor, %.2fx its archive)\n' "reconcile backup restore (stage, keep, stop, swap)" "$tool_restore" "$(echo "$mib * 1000 / $tool_restore" | bc -l)" "$(echo "$tool_restore / $floor_restore" | bc -l)" "$(echo "$tool_restore / $floor_own" | bc -l)"
