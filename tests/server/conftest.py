"""Fixtures that run the real service in-process (uvicorn on a free loopback port, SQLite in
tmp_path) and talk to it over real WebSockets and HTTP. Every response and push the test client
receives is also decoded with the protocol's structs, so the tests double as a conformance check
of the wire shapes."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
import websockets

from app.protocol import COMMANDS, PUSHES, usersig
from app.protocol.frames import decode_body
from app.server.config import ServerConfig
from app.server.runner import Endpoint, serving

APP_ID = 1400000000
KEY = "test-secret-key-0123456789abcdef"
ADMIN = "administrator"


def sig(user_id: str, expire_s: int = 86400, *, app_id: int = APP_ID, key: str = KEY,
        now: int | None = None) -> str:
    return usersig.generate(app_id, key, user_id, expire_s, now=now)


class Client:
    """A bare protocol client: numbered requests, responses matched by ``re``, pushes queued."""

    def __init__(self, ws: websockets.ClientConnection) -> None:
        self.ws = ws
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._cmds: dict[int, str] = {}
        self.pushes: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.user_id = ""
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                assert isinstance(raw, str), "frames must be text"
                frame = msgspec.json.decode(raw)
                if "push" in frame:
                    decode_body(msgspec.json.encode(frame["body"]), PUSHES[frame["push"]])
                    self.pushes.put_nowait(frame)
                    continue
                req_id = frame.get("re", 0)
                cmd = self._cmds.pop(req_id, None)
                if cmd is not None and frame.get("code", 0) == 0:
                    decode_body(msgspec.json.encode(frame.get("body")), COMMANDS[cmd][1])
                future = self._pending.pop(req_id, None)
                if future is not None and not future.done():
                    future.set_result(frame)
        except websockets.ConnectionClosed:
            pass
        # Requests still waiting will never be answered: fail them now rather than at timeout.
        for future in self._pending.values():
            if not future.done():
                future.set_exception(ConnectionError(
                    f"connection closed ({self.ws.close_code}) before the answer"))
        self._pending.clear()

    async def send_text(self, text: str | bytes, expect_re: int = 0,
                        timeout: float = 5) -> dict[str, Any]:
        future = self._pending[expect_re] = asyncio.get_running_loop().create_future()
        await self.ws.send(text)
        return await asyncio.wait_for(future, timeout)

    async def request(self, cmd: str, body: Any = None, timeout: float = 5) -> dict[str, Any]:
        req_id = next(self._ids)
        self._cmds[req_id] = cmd
        frame = {"id": req_id, "cmd": cmd, "body": {} if body is None else body}
        return await self.send_text(msgspec.json.encode(frame).decode(), req_id, timeout)

    async def call(self, cmd: str, body: Any = None) -> Any:
        frame = await self.request(cmd, body)
        assert frame.get("code", 0) == 0, frame
        return frame.get("body")

    async def error(self, cmd: str, body: Any = None) -> int:
        frame = await self.request(cmd, body)
        assert frame.get("code", 0) != 0, frame
        assert frame.get("msg"), "a refusal carries a message"
        return frame["code"]

    async def push(self, name: str | None = None, timeout: float = 3) -> dict[str, Any]:
        """The next push (skipping pushes of other names when ``name`` is given)."""
        while True:
            frame = await asyncio.wait_for(self.pushes.get(), timeout)
            if name is None or frame["push"] == name:
                return frame["body"]

    async def no_push(self) -> None:
        """Prove that no push is on its way to this connection, by a barrier, not by waiting.

        Call it only once the action under test has been answered (its WebSocket answer, or
        the REST reply, is in hand). The service queues every push an action causes, on every
        connection it concerns, before it answers the action: fan-out only enqueues, inside
        the handler, and a ``msg.send`` ack is delivered by a done-callback that runs after
        the writer has published the batch. Each connection's outgoing frames leave through
        one queue drained by one sender, so a request sent on this connection *after* the
        action's answer has its answer queued behind any push the action caused; and the
        reader above queues a push before it resolves the answer that followed it. So if the
        queue is empty when the barrier's answer arrives, the action sent this connection
        nothing.

        The barrier is ``profile.set`` with no fields: a state-changing command, so it is never
        answered ahead of this connection's earlier state-changing requests; it runs in a write
        transaction, so its answer comes after the writes before it completed; and it changes
        nothing, so it pushes nothing to this user's other connections.

        Not covered: pushes the service sends after answering, i.e. ``conv.changed`` for a
        conversation a message revived (published once the acks are out).
        """
        await self.call("profile.set", {})
        assert self.pushes.empty(), self.pushes.get_nowait()

    async def closed(self, timeout: float = 3) -> int | None:
        await asyncio.wait_for(self.ws.wait_closed(), timeout)
        return self.ws.close_code

    async def close(self) -> None:
        await self.ws.close()
        self._reader.cancel()

    async def send(self, to: str, text: str, msg_id: str | None = None,
                   **options: Any) -> dict[str, Any]:
        msg = {"msg_id": msg_id or f"m{next(_msg_ids)}", "conv_type": 1, "sender": self.user_id,
               "receiver": to, "elems": [{"type": "text", "text": text}], **options}
        return await self.call("msg.send", {"msg": msg})


_msg_ids = itertools.count(1)


@dataclasses.dataclass
class Service:
    endpoint: Endpoint
    config: ServerConfig
    clients: list[Client] = dataclasses.field(default_factory=list)

    async def connect(self) -> Client:
        client = Client(await websockets.connect(self.endpoint.ws, max_size=None))
        self.clients.append(client)
        return client

    async def login(self, user_id: str, *, platform: str = "desktop", device_id: str = "",
                    resume: bool = False) -> Client:
        client = await self.connect()
        await client.call("login", {
            "sdk_app_id": APP_ID, "user_id": user_id, "user_sig": sig(user_id),
            "platform": platform, "device_id": device_id or f"{user_id}-{platform}",
            "resume": resume})
        client.user_id = user_id
        return client

    def http(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.endpoint.url, timeout=10)

    async def admin(self, path: str, body: Any, *, identifier: str = ADMIN,
                    user_sig: str | None = None, app_id: int = APP_ID) -> dict[str, Any]:
        params = {"sdkappid": app_id, "identifier": identifier,
                  "usersig": user_sig or sig(identifier), "random": 42, "contenttype": "json"}
        async with self.http() as http:
            reply = await http.post(f"/v4/{path}", params=params, json=body)
        assert reply.status_code == 200, reply.text
        return reply.json()


def make_config(data_dir: Path, **overrides: Any) -> ServerConfig:
    return ServerConfig(data_dir=data_dir, secret_key=KEY, port=0, sdk_app_id=APP_ID,
                        admin=ADMIN, **overrides)


@pytest.fixture
def service_options() -> dict[str, Any]:
    """Override in a test module to run the service with other settings."""
    return {}


@pytest.fixture
async def service(tmp_path: Path, service_options: dict[str, Any]) -> AsyncIterator[Service]:
    config = make_config(tmp_path, **service_options)
    async with serving(config) as endpoint:
        running = Service(endpoint, config)
        try:
            yield running
        finally:
            for client in running.clients:
                await client.close()
