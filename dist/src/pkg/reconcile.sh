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
# Provider plugins (docs/plugins.md): jars in lib/plugins (/usr/lib/reconcile/lib/plugins from the
# .deb) and those RECONCILE_PLUGINS names join the class path after reconcile's own jar.
. "$home/lib/plugins.sh"
cp=$(reconcile_class_path "$home/lib/reconcile.jar" "$home/lib/plugins") || exit 2
exec "$home/lib/runtime/bin/java" "${opts[@]}" "${jit[@]}" -XX:+UseSerialGC @EXIT_OPTS@ \
  ${RECONCILE_JAVA_OPTS:-} -cp "$cp" dev.reconcile.cli.Main "$@"
