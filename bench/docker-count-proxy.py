#!/usr/bin/env python3
"""A unix-socket proxy in front of the Docker engine that counts API requests.

Usage: docker-count-proxy.py LISTEN_SOCKET COUNT_FILE [ENGINE_SOCKET]
Every request line seen on a client connection (GET/POST/... /path HTTP/1.1) adds one to the
count, rewritten to COUNT_FILE after each request. For benchmarks only: bodies are scanned too,
so a body holding a request line would count (none of the loop's do).
"""
import asyncio, os, re, sys

listen, count_file = sys.argv[1], sys.argv[2]
engine = sys.argv[3] if len(sys.argv) > 3 else "/var/run/docker.sock"
REQUEST = re.compile(rb"(?:^|\r\n)(GET|POST|PUT|DELETE|HEAD) /[^ ]* HTTP/1\.[01]\r\n")
count = 0

def save():
    tmp = count_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(count))
    os.replace(tmp, count_file)

async def pipe(reader, writer, counting):
    global count
    tail = b""
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            if counting:
                found = len(REQUEST.findall(tail + data)) - len(REQUEST.findall(tail))
                if found:
                    count += found
                    save()
                tail = data[-64:]
            writer.write(data)
            await writer.drain()
    except (ConnectionResetError, BrokenPipeError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass

async def handle(client_reader, client_writer):
    engine_reader, engine_writer = await asyncio.open_unix_connection(engine)
    await asyncio.gather(pipe(client_reader, engine_writer, True), pipe(engine_reader, client_writer, False))

async def main():
    if os.path.exists(listen):
        os.unlink(listen)
    save()
    server = await asyncio.start_unix_server(handle, path=listen)
    async with server:
        await server.serve_forever()

asyncio.run(main())
