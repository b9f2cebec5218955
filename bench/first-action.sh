#!/usr/bin/env bash
# Latency to first action (issue 10, item 3): from the start of `bin/reconcile apply --yes` to the
# engine's `create` event of the new container (`docker events`), one project switched v1 <-> v2
# (--bake 0s --drain 0s), idle and while one busy loop per core runs. Floor in the same run and
# state: `java -version`. Where the time goes is read off the apply's own progress lines.
# Then the same with a `reconcile watch` of the same projects.yml running, which the apply is
# handed to (docs/commands.md, watch): the one-shot rounds turn that off (RECONCILE_HANDOFF=off).
# Usage: bench/first-action.sh [RUNS]   (default 7). Needs bin/lib/setup-host.sh.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
. bench/lib.sh
. bin/lib/jdk.sh
reconcile_pick_jdk
runs=${1:-7}
work=$(mktemp -d /tmp/rc-bench-action-XXXXXX)
project=rcfa$$
watch_pid=
cleanup() {
  stop_busy_loops
  [ -n "$watch_pid" ] && kill "$watch_pid" 2>/dev/null && wait "$watch_pid" 2>/dev/null || true
  bin/reconcile -f "$work/projects.yml" nginx stop >/dev/null 2>&1 || true
  remove_projects $project
  rm -rf "$work"
}
trap cleanup EXIT
listen=$(free_port)
spec() {
  printf 'version: 1\nplatform: { nginx: { listen: "127.0.0.1:%s" } }\nprojects:\n  %s:\n    domains: { production: %s.test }\n    containers: { web: { image: "reconcile-test/web:%s", port: 8080, health: { path: /health, interval: 1s } } }\n' \
    "$listen" "$project" "$project" "$1" > "$work/projects.yml"
}
spec v1
bin/reconcile -f "$work/projects.yml" apply --yes --bake 0s --drain 0s >/dev/null

# One deploy: prints the milliseconds from its start to the engine's create event, which the
# engine replays afterwards (docker events --since/--until): nothing to race with.
deploy() {
  local start end created
  spec "$1"
  start=$(date +%s%N)
  # Each line of the apply with the milliseconds since its start: where the time went.
  bin/reconcile -f "$work/projects.yml" apply --yes --bake 0s --drain 0s 2>&1 \
    | while IFS= read -r line; do echo "$(( ($(date +%s%N) - start) / 1000000 )) $line"; done >"$work/apply.log"
  end=$(date +%s%N)
  created=$(docker events --since "$((start / 1000000000)).$(printf '%09d' $((start % 1000000000)))" \
    --until "$((end / 1000000000 + 1))" --filter "label=reconcile.project=$project" --filter event=create \
    --format '{{.TimeNano}}' | head -1)
  if [ -z "$created" ]; then
    echo "no container was created; the apply said:" >&2
    tail -20 "$work/apply.log" >&2
    exit 1
  fi
  echo $(( (created - start) / 1000000 ))
  # Plan shown, then the new container started (as the apply reports it).
  echo "$(awk '/^[0-9]+ Plan:/ {print $1; exit}' "$work/apply.log") $(awk '/ started / {print $1; exit}' "$work/apply.log")" \
    >> "$work/phases"
}

round() {
  local times=()
  : > "$work/phases"
  for _ in $(seq 1 "$runs"); do
    times+=("$(deploy "$next")")
    [ "$next" = v2 ] && next=v1 || next=v2
  done
  printf '%-58s median %5d ms  (min %d, max %d, n=%d)\n' "$1: apply start -> container created" \
    "$(printf '%s\n' "${times[@]}" | median)" "$(printf '%s\n' "${times[@]}" | sort -n | head -1)" \
    "$(printf '%s\n' "${times[@]}" | sort -n | tail -1)" "$runs"
  printf '%-58s median %5d ms; the new container reported started: median %d ms\n' "$1: plan shown" \
    "$(awk '{print $1}' "$work/phases" | median)" "$(awk '{print $2}' "$work/phases" | median)"
  measure "$runs" "$1: java -version" "$JAVA_HOME/bin/java" -version
}
export RECONCILE_HANDOFF=off
next=v2
round "one-shot, idle"
start_busy_loops
round "one-shot, loaded ($(nproc) busy loops)"
stop_busy_loops

start_watch "$work/projects.yml" "$work/watch.log"
unset RECONCILE_HANDOFF
round "handed to a watch, idle"
start_busy_loops
round "handed to a watch, loaded"
stop_busy_loops
handed=$(grep -c "handoff: ran '" "$work/watch.log" || true)
if [ "$handed" -ne $((2 * runs)) ]; then
  echo "only $handed of $((2 * runs)) applies were handed to the watch; it said:" >&2
  cat "$work/watch.log" >&2
  exit 1
fi
