"""A WebSocket echo server at /ws (and a plain HTTP /health), with Debian's python3-websockets."""
import asyncio
import http
import os

import websockets

PORT = int(os.environ.get("PORT", "8001"))


async def echo(socket, path):
    async for message in socket:
        await socket.send("echo: " + message)


async def health(path, headers):
    if path.endswith("/health"):
        return http.HTTPStatus.OK, [("Content-Type", "text/plain")], b"ok\n"
    return None


async def main():
    async with websockets.serve(echo, "", PORT, process_request=health):
        print("ws listening on :%d" % PORT, flush=True)
        await asyncio.Future()


asyncio.run(main())
