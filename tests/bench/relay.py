"""The ceiling: a bare ``websockets`` relay that does the least a messaging server can do.

A sender's frame is acknowledged to the sender and forwarded to its paired receiver — the same
two frames per message the real service sends, with no parsing beyond the pair lookup, no
storage and no validation. Run as ``python -m tests.bench.relay``; prints ``relay ready <port>``.
"""

from __future__ import annotations

import asyncio
import sys
from urllib.parse import parse_qs, urlparse

from websockets.asyncio.server import ServerConnection, serve

ACK = '{"re":1,"code":0,"body":{}}'


async def main() -> None:
    receivers: dict[str, ServerConnection] = {}

    async def handler(ws: ServerConnection) -> None:
        query = parse_qs(urlparse(ws.request.path).query)
        pair, role = query["pair"][0], query["role"][0]
        if role == "r":
            receivers[pair] = ws
            await ws.wait_closed()
            return
        async for frame in ws:
            await ws.send(ACK)
            target = receivers.get(pair)
            if target is not None:
                await target.send(frame)

    async with serve(handler, "127.0.0.1", 0, compression=None, ping_interval=None,
                     max_size=4 * 1024 * 1024) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        print(f"relay ready {port}", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
