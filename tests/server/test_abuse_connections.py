"""Slow, silent and too many connections: each is closed or refused within a bound, with a code
where the protocol can carry one, while a signed-in user keeps being served."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import msgspec
import pytest
import websockets

from app.protocol import ErrorCode
from app.server.gateway import CLOSE_NO_LOGIN
from tests.support.waiting import wait_until

from .conftest import Service

TIMEOUT_S = 0.5
CAP = 24


@pytest.fixture
def service_options() -> dict[str, Any]:
    return {"header_timeout_s": TIMEOUT_S, "body_timeout_s": TIMEOUT_S,
            "login_timeout_s": TIMEOUT_S, "max_connections": CAP}


@asynccontextmanager
async def raw(service: Service) -> AsyncIterator[tuple[asyncio.StreamReader,
                                                        asyncio.StreamWriter]]:
    reader, writer = await asyncio.open_connection(service.config.host, service.endpoint.port)
    try:
        yield reader, writer
    finally:
        writer.close()


async def closed_after(reader: asyncio.StreamReader, bound_s: float) -> float:
    """Seconds until the service closed the connection (reading whatever it said first)."""
    started = time.monotonic()
    while await asyncio.wait_for(reader.read(65536), bound_s):
        pass
    return time.monotonic() - started


async def served_quickly(service: Service, bound_s: float = 2.0) -> None:
    async with service.http() as http:
        started = time.monotonic()
        reply = await http.get("/healthz")
    assert reply.status_code == 200 and time.monotonic() - started < bound_s


async def test_a_silent_socket_is_closed_after_the_head_deadline(service: Service) -> None:
    async with raw(service) as (reader, _):
        took = await closed_after(reader, 5)
    assert TIMEOUT_S * 0.8 <= took < TIMEOUT_S + 2
    await served_quickly(service)


async def test_a_trickled_head_is_closed_though_bytes_keep_coming(service: Service) -> None:
    async with raw(service) as (reader, writer):
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        closing = asyncio.create_task(closed_after(reader, 5))
        while not closing.done():  # one byte of a header every 50 ms, never the blank line
            try:
                writer.write(b"X")
                await writer.drain()
            except OSError:
                break
            await asyncio.sleep(0.05)
        assert await closing < TIMEOUT_S + 2


async def test_a_trickled_websocket_handshake_is_closed(service: Service) -> None:
    async with raw(service) as (reader, writer):
        writer.write(b"GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n")
        await writer.drain()
        assert await closed_after(reader, 5) < TIMEOUT_S + 2
    await served_quickly(service)


async def test_a_body_that_stops_is_closed_without_a_traceback(
        service: Service, caplog: pytest.LogCaptureFixture) -> None:
    async with raw(service) as (reader, writer):
        writer.write(b"POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"UserID\"")
        await writer.drain()
        assert await closed_after(reader, 5) < TIMEOUT_S + 2
    await served_quickly(service)
    assert not [r for r in caplog.records if r.exc_info], "a client's fault logged a traceback"
    assert any("request body" in r.getMessage() for r in caplog.records)


async def test_a_client_leaving_mid_body_is_one_line(
        service: Service, caplog: pytest.LogCaptureFixture) -> None:
    async with raw(service) as (_, writer):
        writer.write(b"POST /api/register HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"User")
        await writer.drain()
    await wait_until(lambda: any("went away" in r.getMessage() for r in caplog.records),
                     5, "the request to notice the disconnect")
    assert not [r for r in caplog.records if r.exc_info], "a client's fault logged a traceback"
    await served_quickly(service)


async def test_a_websocket_that_never_logs_in_is_told_and_closed(service: Service) -> None:
    alice = await service.login("alice")
    idle = await service.connect()
    started = time.monotonic()
    told = idle._pending[0] = asyncio.get_running_loop().create_future()
    assert (await asyncio.wait_for(told, 5))["code"] == ErrorCode.LOGIN_TIMEOUT
    assert await idle.closed(5) == CLOSE_NO_LOGIN
    assert time.monotonic() - started < TIMEOUT_S + 2
    assert (await alice.send("alice", "still here"))["seq"] > 0  # signed in: never timed out


async def test_logging_out_restarts_the_login_deadline(service: Service) -> None:
    alice = await service.login("alice")
    await alice.call("logout")
    assert await alice.closed(5) == CLOSE_NO_LOGIN


async def test_invalid_utf8_text_frame_is_one_line(
        service: Service, caplog: pytest.LogCaptureFixture) -> None:
    ws = await websockets.connect(service.endpoint.ws)
    # A text frame whose payload is not UTF-8, written below the client library's checks.
    ws.transport.write(b"\x81\x82\x00\x00\x00\x00\xc3\x28")
    await asyncio.wait_for(ws.wait_closed(), 5)
    assert ws.close_code in (1007, 1006)
    await served_quickly(service)
    assert not [r for r in caplog.records if r.exc_info], "a client's fault logged a traceback"


async def test_over_the_cap_is_a_clean_refusal_and_a_signed_in_user_goes_on(
        service: Service) -> None:
    alice = await service.login("alice")
    writers = []
    for _ in range(CAP + 5):
        writers.append((await asyncio.open_connection("127.0.0.1", service.endpoint.port))[1])
    async with service.http() as http:
        reply = await http.get("/healthz")
    assert reply.status_code == 503
    assert int(reply.headers["retry-after"]) > 0
    assert msgspec.json.decode(reply.content)["ErrorCode"] == ErrorCode.SERVICE_BUSY
    with pytest.raises(websockets.InvalidStatus) as refused:
        await websockets.connect(service.endpoint.ws)
    assert refused.value.response.status_code == 503
    started = time.monotonic()
    assert (await alice.send("alice", "served during the flood"))["seq"] > 0
    assert time.monotonic() - started < 2
    for writer in writers:
        writer.close()
    await _until_served(service)


async def _until_served(service: Service) -> None:
    deadline = time.monotonic() + 10
    async with service.http() as http:
        while (await http.get("/healthz")).status_code != 200:
            assert time.monotonic() < deadline, "the service never admitted connections again"
            await asyncio.sleep(0.05)
