"""A protocol client that keeps each answer's raw frame, so tests can measure what the service
sent and pipeline requests in an exact wire order."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
from typing import Any

import msgspec
import websockets

from app.protocol import COMMANDS
from app.protocol.frames import decode_body

from .conftest import APP_ID, Service, sig


class Answer(msgspec.Struct):
    frame: dict[str, Any]
    size: int
    """Bytes of the whole answer frame as it arrived."""

    @property
    def body(self) -> Any:
        assert self.frame.get("code", 0) == 0, self.frame
        return self.frame.get("body")


@dataclasses.dataclass(frozen=True)
class Sent:
    req_id: int
    answer: asyncio.Future[Answer]


class RawClient:
    def __init__(self, ws: websockets.ClientConnection) -> None:
        self.ws = ws
        self._ids = itertools.count(1)
        self._pending: dict[int, tuple[str, asyncio.Future[Answer]]] = {}
        self.arrivals: list[int] = []
        """Request ids in the order their answers arrived."""
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def login(cls, service: Service, user_id: str) -> RawClient:
        client = cls(await websockets.connect(service.endpoint.ws, max_size=None))
        await client.call("login", {"sdk_app_id": APP_ID, "user_id": user_id,
                                    "user_sig": sig(user_id), "device_id": f"{user_id}-raw"})
        return client

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                assert isinstance(raw, str)
                frame = msgspec.json.decode(raw)
                if "push" in frame:
                    continue
                cmd, future = self._pending.pop(frame["re"])
                if frame.get("code", 0) == 0:  # the wire shape is the protocol's
                    decode_body(msgspec.json.encode(frame.get("body")), COMMANDS[cmd][1])
                self.arrivals.append(frame["re"])
                future.set_result(Answer(frame, len(raw.encode())))
        except websockets.ConnectionClosed:
            pass

    async def submit(self, cmd: str, body: Any = None) -> Sent:
        """Send the request now (frames leave in call order); ``answer`` resolves later."""
        req_id = next(self._ids)
        future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self._pending[req_id] = (cmd, future)
        await self.ws.send(msgspec.json.encode(
            {"id": req_id, "cmd": cmd, "body": {} if body is None else body}).decode())
        return Sent(req_id, future)

    async def call(self, cmd: str, body: Any = None, timeout: float = 10) -> Answer:
        return await asyncio.wait_for((await self.submit(cmd, body)).answer, timeout)

    async def close(self) -> None:
        await self.ws.close()
        await self._reader
