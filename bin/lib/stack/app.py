"""The test and demo app: a small web app as the seed projects run them.

Reads DATABASE_URL, serves notes from PostgreSQL, accepts uploads of any size (streamed),
answers slowly on request, streams server-sent events, and logs every request to standard
output. Its schema comes from migrate.py, run as a release command.
"""
import hashlib
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import psycopg2

VERSION = os.environ.get("APP_VERSION", "dev")
PORT = int(os.environ.get("PORT", "8000"))


def connect():
    return psycopg2.connect(os.environ["DATABASE_URL"], connect_timeout=3)


def log(line):
    print(line, flush=True)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        log("app %s: %s %s" % (VERSION, self.address_string(), fmt % args))

    def answer(self, status, body, content_type="text/plain; charset=utf-8"):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlparse(self.path)
        if url.path == "/health":
            try:
                with connect() as db, db.cursor() as cur:
                    cur.execute("SELECT 1")
                self.answer(200, "ok\n")
            except Exception as e:  # the database is not there (yet)
                self.answer(503, "database: %s\n" % e)
        elif url.path == "/" and os.environ.get("BROKEN") == "1":
            # A release that passes its checks and fails its users.
            self.answer(500, "broken release\n")
        elif url.path == "/":
            with connect() as db, db.cursor() as cur:
                cur.execute("SELECT count(*) FROM notes")
                notes = cur.fetchone()[0]
                cur.execute("SELECT max(version) FROM schema_migrations")
                schema = cur.fetchone()[0]
            self.answer(200, "app %s: %d notes (schema %s)\n" % (VERSION, notes, schema))
        elif url.path == "/api/smoke":
            self.answer(200, "smoke: ok\n")
        elif url.path == "/api/version":
            self.answer(200, json.dumps({"version": VERSION}) + "\n", "application/json")
        elif url.path == "/api/slow":
            seconds = float(parse_qs(url.query).get("s", ["1"])[0])
            time.sleep(seconds)
            self.answer(200, "slept %s s\n" % seconds)
        elif url.path == "/api/events":
            # Server-sent events, one a second: buffered by nginx unless buffering is off.
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            for i in range(int(parse_qs(url.query).get("n", ["3"])[0])):
                self.wfile.write(b"data: event %d\n\n" % i)
                self.wfile.flush()
                time.sleep(1)
            self.close_connection = True
        else:
            self.answer(404, "not found\n")

    def do_POST(self):
        url = urlparse(self.path)
        if url.path != "/api/upload":
            self.answer(404, "not found\n")
            return
        length = int(self.headers.get("Content-Length", "0"))
        digest = hashlib.sha256()
        left = length
        while left > 0:
            chunk = self.rfile.read(min(left, 1 << 16))
            if not chunk:
                break
            digest.update(chunk)
            left -= len(chunk)
        with connect() as db, db.cursor() as cur:
            cur.execute("INSERT INTO notes (body) VALUES (%s)", ("upload of %d bytes" % length,))
        self.answer(200, json.dumps({"bytes": length - left, "sha256": digest.hexdigest()}) + "\n",
                    "application/json")


def stop_on_sigterm(server):
    """As PID 1 the interpreter would ignore SIGTERM: stop taking requests, finish those in flight."""
    def stop(signum, frame):
        log("app %s: SIGTERM, finishing the requests in flight" % VERSION)
        threading.Thread(target=server.shutdown).start()
    signal.signal(signal.SIGTERM, stop)


if __name__ == "__main__":
    log("app %s listening on :%d" % (VERSION, PORT))
    # Not daemon threads: server_close() waits for the requests in flight.
    ThreadingHTTPServer.daemon_threads = False
    server = ThreadingHTTPServer(("", PORT), Handler)
    stop_on_sigterm(server)
    server.serve_forever()
    server.server_close()
    log("app %s stopped" % VERSION)
