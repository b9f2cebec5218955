#!/bin/bash
# reconcile as installed (tarball or .deb): the Java runtime the package carries, and a class-data
# archive each user makes on the first run and reuses after (start-up: docs/benchmarks.md).
set -euo pipefail
self=$(readlink -f "${BASH_SOURCE[0]}")
home=${self%/bin/reconcile}
opts=(-Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off)
cache=${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/reconcile
if mkdir -p "$cache" 2>/dev/null && [ -w "$cache" ]; then
  opts+=(-XX:SharedArchiveFile="$cache/reconcile-@VERSION@.jsa" -XX:+AutoCreateSharedArchive)
fi
# C1 only and the serial collector: short runs on small heaps; the controller and backups keep
# the optimizing compiler (as bin/reconcile).
jit=(-XX:TieredStopAtLevel=1)
for arg in "$@"; do case $arg in watch|backup) jit=(); break ;; esac; done
exec "$home/lib/runtime/bin/java" "${opts[@]}" "${jit[@]}" -XX:+UseSerialGC @EXIT_OPTS@ \
  ${RECONCILE_JAVA_OPTS:-} -jar "$home/lib/reconcile.jar" "$@"
