"""S7: the service closes connections that stopped sending anything."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from app.server.gateway import CLOSE_IDLE, IDLE_HEARTBEATS

from .conftest import Client, Service

HEARTBEAT_S = 0.3
LIMIT_S = IDLE_HEARTBEATS * HEARTBEAT_S


@pytest.fixture
def service_options() -> dict[str, Any]:
    return {"heartbeat_s": HEARTBEAT_S}


async def _keep_beating(client: Client) -> None:
    """A client's heartbeat timer: the pause paces the beats, it proves nothing."""
    while True:
        await client.call("heartbeat")
        await asyncio.sleep(HEARTBEAT_S / 2)


async def test_silent_connections_are_closed_and_heartbeating_ones_stay(
        service: Service) -> None:
    talking = await service.login("bob")  # opened first: older than every quiet connection
    beating = asyncio.create_task(_keep_beating(talking))
    started = time.monotonic()  # before the quiet connections' last frames reached the service
    quiet = await service.login("alice")
    anonymous = await service.connect()  # the sweep covers connections that never logged in
    try:
        for silent in (quiet, anonymous):
            assert await silent.closed(LIMIT_S + 3) == CLOSE_IDLE
        silent_for = time.monotonic() - started
        # The sweep that closed them found ``talking`` open longer still: had its heartbeats
        # not counted it would be closing now, and a closing session answers nothing.
        assert not beating.done(), beating.exception()
        await talking.call("heartbeat")
    finally:
        beating.cancel()
    assert silent_for > LIMIT_S, "closed before three heartbeat intervals of silence"
