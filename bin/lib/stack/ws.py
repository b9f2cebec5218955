"""A WebSocket echo server at /ws (and a plain HTTP /health), with Debian's python3-websockets."""
import asyncio
import http
import os
import signal

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
    # As PID 1 the interpreter would ignore SIGTERM: on it, close the connections (1001, going
    # away: clients reconnect) and exit.
    stopped = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopped.set_result, None)
    async with websockets.serve(echo, "", PORT, process_request=health):
        print("ws listening on :%d" % PORT, flush=True)
        await stopped
    print("ws stopped", flush=True)


asyncio.run(main())
