#!/bin/sh
# PostgreSQL as a container: a cluster made on first start in the volume at $PGDATA, reachable
# from the project's network with POSTGRES_PASSWORD (md5).
set -eu
PGDATA=${PGDATA:-/var/lib/postgresql/data}
BIN=/usr/lib/postgresql/15/bin
mkdir -p "$PGDATA" /run/postgresql
chown -R postgres:postgres "$PGDATA" /run/postgresql
chmod 700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  echo "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}" > /tmp/pw
  chown postgres /tmp/pw
  runuser -u postgres -- "$BIN/initdb" -D "$PGDATA" -U postgres --pwfile=/tmp/pw -A md5 >/dev/null
  rm -f /tmp/pw
  echo "host all all 0.0.0.0/0 md5" >> "$PGDATA/pg_hba.conf"
  echo "db: made a new cluster in $PGDATA"
fi
exec runuser -u postgres -- "$BIN/postgres" -D "$PGDATA" -c listen_addresses='*'
