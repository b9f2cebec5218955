# Sourced by the scripts in bin/: picks a JDK >= 21 and exports JAVA_HOME.
# Order: JAVA_HOME if it is new enough, else the newest JDK >= 21 under /usr/lib/jvm.

reconcile_java_major() {
  # Prints the major version of the java binary $1, or nothing. The JDK's release file says it
  # without starting a JVM (which would cost every command ~50 ms), read by bash alone: each
  # process forked here is a millisecond or two of every command. Asking java is the fallback.
  local release="${1%/bin/java}/release" line
  if [ -f "$release" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      case $line in
        JAVA_VERSION=\"[0-9]*)
          line=${line#JAVA_VERSION=\"}
          echo "${line%%[!0-9]*}"
          return 0
          ;;
      esac
    done <"$release"
  fi
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

reconcile_pick_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    major=$(reconcile_java_major "$JAVA_HOME/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME
      export RECONCILE_JAVA_MAJOR=$major
      return 0
    fi
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -x "$candidate/bin/javac" ] || continue
    [ -L "$candidate" ] && continue
    major=$(reconcile_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best=$candidate
      best_major=$major
    fi
  done
  if [ -z "$best" ]; then
    echo "reconcile: needs a JDK 21 or newer, and found none." >&2
    echo "  Set JAVA_HOME to one, or install one under /usr/lib/jvm" >&2
    echo "  (on Debian: apt-get install openjdk-21-jdk-headless, where available)." >&2
    return 1
  fi
  export JAVA_HOME=$best
  export RECONCILE_JAVA_MAJOR=$best_major
}

# The MAVEN_OPTS scripts run Maven with: quiets Maven's sun.misc.Unsafe warning on JDK 23 and
# newer; older JDKs do not know the option and would refuse to start.
reconcile_maven_opts() {
  if [ -n "${MAVEN_OPTS:-}" ]; then
    echo "$MAVEN_OPTS"
  elif [ "${RECONCILE_JAVA_MAJOR:-0}" -ge 23 ]; then
    echo "--sun-misc-unsafe-memory-access=allow"
  fi
}
