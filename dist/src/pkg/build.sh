#!/usr/bin/env bash
# Builds the release from the CLI jar: a Java runtime made by jlink (the package needs nothing
# else), the launcher, bash/zsh completion and the systemd unit of watch; as
# OUT/reconcile-VERSION.tar.gz and OUT/reconcile_VERSION_amd64.deb.
# Usage: build.sh VERSION JAR OUT JAVA_HOME   (run by mvn package in dist/)
set -euo pipefail
version=$1 jar=$2 out=$3 jdk=$4
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
[ -f "$jar" ] || { echo "build.sh: no $jar: build cli first" >&2; exit 1; }
. "$root/bin/lib/jdk.sh"
major=$(reconcile_java_major "$jdk/bin/java")
[ "${major:-0}" -ge 21 ] || { echo "build.sh: $jdk is not a JDK 21 or newer" >&2; exit 1; }

# What the jar needs (jdeps --print-module-deps over it), and what it loads by name: EC keys and
# DNS for sshj and the HTTP clients, JMX for the metrics, the zip file system, charsets.
modules=java.base,java.desktop,java.naming,java.net.http,java.security.jgss,java.sql,jdk.httpserver
modules+=,jdk.unsupported,java.management,java.logging,jdk.zipfs,jdk.charsets,jdk.naming.dns,jdk.crypto.ec
modules+=,jdk.localedata,java.instrument,java.xml

mkdir -p "$out"
runtime="$out/runtime"
stamp="$jdk $major $modules"
# jlink takes ~15 s: the runtime is made again only when the JDK or the modules change.
if [ ! -f "$runtime/.made-from" ] || [ "$(cat "$runtime/.made-from")" != "$stamp" ]; then
  rm -rf "$runtime"
  "$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --compress=zip-6 --generate-cds-archive --output "$runtime" | grep -v "^Created CDS archive" || true
  # The archive for -XX:-UseCompressedOops (heaps over 32 GB): 14 MB this tool never uses.
  rm -f "$runtime/lib/server/classes_nocoops.jsa"
  [ -x "$runtime/bin/java" ] || { echo "build.sh: jlink made no runtime" >&2; exit 1; }
  echo "$stamp" >"$runtime/.made-from"
fi

stage="$out/stage/reconcile-$version"
rm -rf "$out/stage"
mkdir -p "$stage"/{bin,lib,share/bash-completion/completions,share/doc/reconcile,lib/systemd/system}
cp -a "$runtime" "$stage/lib/runtime"
rm -f "$stage/lib/runtime/.made-from"
cp "$jar" "$stage/lib/reconcile.jar"
cp "$root/bin/lib/plugins.sh" "$stage/lib/plugins.sh"
mkdir -p "$stage/lib/plugins"
exit_opts=""
[ "$major" -ge 22 ] && exit_opts="-XX:UserThreadWaitAttemptsAtExit=0"
sed -e "s/@VERSION@/$version/g" -e "s/@EXIT_OPTS@/$exit_opts/" "$here/reconcile.sh" >"$stage/bin/reconcile"
chmod 755 "$stage/bin/reconcile"
# The runtime proves itself here: the completion script is the packaged CLI's own output.
"$stage/bin/reconcile" completion >"$stage/share/bash-completion/completions/reconcile"
cp "$here/reconcile-watch@.service" "$stage/lib/systemd/system/"
cp "$root/README.md" "$stage/share/doc/reconcile/"
cp -r "$root/docs" "$stage/share/doc/reconcile/docs"
tar -C "$out/stage" --owner=0 --group=0 -czf "$out/reconcile-$version.tar.gz" "reconcile-$version"

# The .deb: the same tree under /usr/lib/reconcile, the launcher on PATH, completion and the unit
# where Debian looks for them.
deb_version=${version/-SNAPSHOT/~snapshot}   # dpkg sorts ~ before the release it precedes
pkg="$out/stage/deb"
mkdir -p "$pkg/DEBIAN" "$pkg/usr/lib" "$pkg/usr/bin" "$pkg/usr/share/bash-completion/completions" \
  "$pkg/lib/systemd/system" "$pkg/usr/share/doc"
cp -a "$stage" "$pkg/usr/lib/reconcile"
ln -s ../lib/reconcile/bin/reconcile "$pkg/usr/bin/reconcile"
mv "$pkg/usr/lib/reconcile/share/bash-completion/completions/reconcile" "$pkg/usr/share/bash-completion/completions/"
mv "$pkg/usr/lib/reconcile/lib/systemd/system/reconcile-watch@.service" "$pkg/lib/systemd/system/"
mv "$pkg/usr/lib/reconcile/share/doc/reconcile" "$pkg/usr/share/doc/reconcile"
rm -rf "$pkg/usr/lib/reconcile/share" "$pkg/usr/lib/reconcile/lib/systemd"
cat >"$pkg/DEBIAN/control" <<CONTROL
Package: reconcile
Version: $deb_version
Architecture: amd64
Maintainer: reconcile developers <reconcile@localhost>
Installed-Size: $(du -sk "$pkg" | cut -f1)
Recommends: docker.io | docker-ce, nginx
Suggests: openssh-server
Section: admin
Priority: optional
Description: keeps Docker hosts and their nginx front door as projects.yml declares
 reconcile plans and applies the projects of one projects.yml to Docker engines on
 this machine and on servers over SSH, with zero-downtime blue-green deploys behind
 nginx, smoke tests, rollback, backups, drift detection and a watch controller.
 It carries its own Java runtime.
CONTROL
dpkg-deb --root-owner-group -Zgzip --build "$pkg" "$out/reconcile_${deb_version}_amd64.deb" >/dev/null
echo "built $out/reconcile-$version.tar.gz and $out/reconcile_${deb_version}_amd64.deb"
