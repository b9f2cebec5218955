# Provider plugins (docs/plugins.md): jars found by Java's ServiceLoader beside reconcile's own.
# reconcile_class_path JAR [FOLDER...] prints JAR followed by every plugin jar: those of
# RECONCILE_PLUGINS (jars, or folders of jars, separated by ':') and those in each FOLDER given
# (the package's lib/plugins). A RECONCILE_PLUGINS entry that is neither fails, naming it.
reconcile_class_path() {
  local cp=$1 entry jar
  shift
  local -a entries=()
  if [ -n "${RECONCILE_PLUGINS:-}" ]; then
    IFS=: read -ra entries <<<"$RECONCILE_PLUGINS"
    for entry in "${entries[@]}"; do
      [ -n "$entry" ] || continue
      if [ -d "$entry" ]; then
        for jar in "$entry"/*.jar; do [ -f "$jar" ] && cp+=":$jar"; done
      elif [ -f "$entry" ]; then
        cp+=":$entry"
      else
        echo "reconcile: RECONCILE_PLUGINS names $entry, which is neither a jar nor a folder" >&2
        return 2
      fi
    done
  fi
  for entry in "$@"; do
    for jar in "$entry"/*.jar; do [ -f "$jar" ] && cp+=":$jar"; done
  done
  printf '%s' "$cp"
}
