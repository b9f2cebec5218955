"""The app's migrations, run as a release command: each applies once, in order, in a transaction.

MIGRATIONS_FAIL=1 adds a third one that fails, as a broken release's would.
"""
import os
import sys

import psycopg2

MIGRATIONS = [
    (1, "CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)"),
    (2, "ALTER TABLE notes ADD COLUMN created timestamptz NOT NULL DEFAULT now()"),
]
if os.environ.get("MIGRATIONS_FAIL") == "1":
    MIGRATIONS.append((3, "ALTER TABLE no_such_table ADD COLUMN broken int"))
UP_TO = int(os.environ.get("MIGRATIONS_UP_TO", str(len(MIGRATIONS))))

db = psycopg2.connect(os.environ["DATABASE_URL"], connect_timeout=5)
with db, db.cursor() as cur:
    cur.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY)")
    cur.execute("SELECT coalesce(max(version), 0) FROM schema_migrations")
    current = cur.fetchone()[0]
print("schema at version %d" % current, flush=True)
for version, sql in MIGRATIONS[:UP_TO]:
    if version <= current:
        continue
    print("applying migration %d: %s" % (version, sql), flush=True)
    with db, db.cursor() as cur:
        cur.execute(sql)
        cur.execute("INSERT INTO schema_migrations VALUES (%s)", (version,))
print("schema up to date", flush=True)
