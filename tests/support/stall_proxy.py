"""A loopback TCP proxy that can freeze the network the way a closed laptop lid or bad Wi-Fi
does: sockets stay open, nothing flows in either direction, and no side is told.

Clients connect to ``proxy.url`` instead of the service. ``freeze()`` stops every pump (bytes
already read wait; new connections are accepted by the kernel but carry nothing), ``thaw()``
lets everything through again in order, ``cut()`` closes every connection at once.
"""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import urlsplit


class StallProxy:
    def __init__(self, target_ws: str) -> None:
        parts = urlsplit(target_ws)
        self._target = (parts.hostname or "127.0.0.1", parts.port or 80)
        self._path = parts.path
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self.port = 0
        self.connections = 0

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}{self._path}"

    async def start(self) -> StallProxy:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def freeze(self) -> None:
        self._flowing.clear()

    def thaw(self) -> None:
        self._flowing.set()

    def cut(self) -> None:
        for writer in list(self._writers):
            writer.transport.abort()

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        self.cut()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._server is not None:
            await self._server.wait_closed()

    async def _accept(self, c_reader: asyncio.StreamReader,
                      c_writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            s_reader, s_writer = await asyncio.open_connection(*self._target)
        except OSError:
            c_writer.transport.abort()
            return
        self._writers |= {c_writer, s_writer}
        pumps = [asyncio.create_task(self._pump(c_reader, s_writer)),
                 asyncio.create_task(self._pump(s_reader, c_writer))]
        self._tasks.update(pumps)
        try:
            await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in pumps:
                task.cancel()
                self._tasks.discard(task)
            for writer in (c_writer, s_writer):
                self._writers.discard(writer)
                writer.transport.abort()

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            await self._flowing.wait()
            data = await reader.read(65536)
            if not data:
                return
            await self._flowing.wait()
            writer.write(data)
            await writer.drain()
