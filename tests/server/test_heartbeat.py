"""S7: the service closes connections that stopped sending anything."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from .conftest import Service


@pytest.fixture
def service_options() -> dict[str, Any]:
    return {"heartbeat_s": 0.3}


async def test_silent_connections_are_closed(service: Service) -> None:
    quiet = await service.login("alice")
    talking = await service.login("bob")
    for _ in range(8):
        await talking.call("heartbeat")
        await asyncio.sleep(0.15)
    assert await quiet.closed(1) is not None
    await talking.call("heartbeat")
