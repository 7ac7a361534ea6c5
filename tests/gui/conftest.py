"""GUI test support: one qasync loop on the Qt event loop, real SDK peers on it, screenshots.

GUI tests are plain functions that drive coroutines with ``arun(coro)``; while a coroutine
awaits, Qt processes events (qasync), so widgets paint and signals flow exactly as in the app.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
import qasync
from PySide6.QtWidgets import QApplication, QWidget

from app.protocol import Platform
from tests.support.clients import Peer, connect
from tests.support.service import Service

T = TypeVar("T")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    loop = qasync.QEventLoop(qapp)
    yield loop
    loop.close()


@pytest.fixture
def arun(qloop: qasync.QEventLoop) -> Iterator[Callable[..., Any]]:
    asyncio.set_event_loop(qloop)

    def run(coro: Coroutine[Any, Any, T], timeout: float = 60.0) -> T:
        return qloop.run_until_complete(asyncio.wait_for(coro, timeout))

    yield run
    asyncio.set_event_loop(None)


@pytest.fixture
def gui_peers(service: Service, tmp_path: Path, arun: Callable[..., Any],
              ) -> Iterator[Callable[..., Peer]]:
    """``gui_peers("bob")`` signs a real SDK client in on the Qt loop."""
    made: list[Peer] = []

    def make(user_id: str, device: str = "main", platform: Platform = Platform.DESKTOP,
             login: bool = True) -> Peer:
        peer = arun(connect(service, user_id, tmp_path / "clients" / f"{user_id}-{device}",
                            platform, login))
        made.append(peer)
        return peer

    yield make
    for peer in made:
        arun(peer.close())


def save_screenshot(widget: QWidget, name: str, folder: str = "screens") -> Path:
    """Render a widget to ``test-artifacts/<folder>/<name>.png`` for people to look at."""
    out = ARTIFACTS / folder
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    return path


async def until(predicate: Callable[[], bool], timeout: float = 20.0, what: str = "") -> None:
    """Await a condition while Qt keeps processing events."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what or 'condition'}")
        await asyncio.sleep(0.02)
