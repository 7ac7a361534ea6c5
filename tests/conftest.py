"""Shared fixtures: the real service on a loopback port and real SDK clients against it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from app.protocol import Platform
from tests.support.clients import Peer, connect
from tests.support.service import Service


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    svc = Service(tmp_path / "service").start()
    yield svc
    svc.stop()


PeerFactory = Callable[..., Awaitable[Peer]]


@pytest.fixture
async def peers(service: Service, tmp_path: Path) -> AsyncIterator[PeerFactory]:
    """``await peers("alice")`` signs a device in; ``device=`` names a second device."""
    made: list[Peer] = []

    async def make(user_id: str, device: str = "main", platform: Platform = Platform.DESKTOP,
                   login: bool = True, url: str | None = None, **overrides: float) -> Peer:
        peer = await connect(service, user_id, tmp_path / "clients" / f"{user_id}-{device}",
                             platform, login, url, **overrides)
        made.append(peer)
        return peer

    yield make
    for peer in made:
        await peer.close()
