"""GUI test support: one qasync loop on the Qt event loop, real SDK peers on it, screenshots.

GUI tests are plain functions that drive coroutines with ``arun(coro)``; while a coroutine
awaits, Qt processes events (qasync), so widgets paint and signals flow exactly as in the app.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
import qasync
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

from app.protocol import Platform
from tests.support.clients import Peer, connect
from tests.support.service import Service

T = TypeVar("T")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


STUCK_GRACE_S = 20.0
"""How long past its timeout a coroutine may take to end once cancelled."""


def _stuck(loop: asyncio.AbstractEventLoop) -> None:
    print("a coroutine did not end after its timeout; the loop's tasks:", file=sys.stderr)
    for task in asyncio.all_tasks(loop):
        task.print_stack(file=sys.stderr)
    loop.stop()


REENTERED: list[str] = []
"""Task steps asyncio refused because a nested Qt event loop ran them inside another task."""


def _on_loop_error(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    error = context.get("exception")
    if isinstance(error, RuntimeError) and "Cannot enter into task" in str(error):
        REENTERED.append(str(error))
    loop.default_exception_handler(context)


@pytest.fixture(scope="session")
def qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    loop = qasync.QEventLoop(qapp)
    loop.set_exception_handler(_on_loop_error)
    yield loop
    loop.close()


@pytest.fixture
def arun(qloop: qasync.QEventLoop) -> Iterator[Callable[..., Any]]:
    asyncio.set_event_loop(qloop)

    def run(coro: Coroutine[Any, Any, T], timeout: float = 60.0) -> T:
        task = qloop.create_task(asyncio.wait_for(coro, timeout))
        # wait_for cannot end a coroutine that swallows its cancellation: then every task's
        # stack is printed and the loop stopped, so the test fails with the culprit named.
        watchdog = qloop.call_later(timeout + STUCK_GRACE_S, _stuck, qloop)
        REENTERED.clear()
        try:
            return qloop.run_until_complete(task)
        finally:
            watchdog.cancel()
            # A lost wake-up hangs a client later; name the cause now (see ``mouse_move``).
            assert not REENTERED, f"a nested Qt event loop ran inside a task: {REENTERED[0]}"

    yield run
    asyncio.set_event_loop(None)


@pytest.fixture
def gui_peers(request: pytest.FixtureRequest, service: Service, tmp_path: Path,
              arun: Callable[..., Any]) -> Iterator[Callable[..., Peer]]:
    """``gui_peers("bob")`` signs a real SDK client in on the Qt loop."""
    made: list[Peer] = []

    def make(user_id: str, device: str = "main", platform: Platform = Platform.DESKTOP,
             login: bool = True) -> Peer:
        peer = arun(connect(service, user_id, tmp_path / "clients" / f"{user_id}-{device}",
                            platform, login))
        made.append(peer)
        return peer

    def close_all() -> None:
        while made:
            arun(made.pop().close())

    request.node.stash[_CLOSE_PEERS] = close_all
    yield make
    close_all()


_CLOSE_PEERS = pytest.StashKey[Callable[[], None]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    """Close the test's peers before pytest-qt processes the pending Qt events: those run
    qasync's callbacks outside a running asyncio loop, and a peer still connected then would
    step its tasks there (an asyncio queue first awaited that way is bound to no loop and
    fails on the next ``get``)."""
    close = item.stash.get(_CLOSE_PEERS, None)
    if close is not None:
        close()
    return (yield)


def save_screenshot(widget: QWidget, name: str, folder: str = "screens") -> Path:
    """Render a widget to ``test-artifacts/<folder>/<name>.png`` for people to look at."""
    out = ARTIFACTS / folder
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    return path


def mouse_move(widget: QWidget, pos: QPoint,
               buttons: Qt.MouseButton = Qt.MouseButton.NoButton) -> None:
    """Move the mouse over ``widget`` (holding ``buttons``), as ``qtbot.mouseMove`` would.

    ``QTest.mouseMove`` runs a nested round of the Qt event loop, which inside a coroutine lets
    qasync step another task while this one runs: asyncio refuses that and the other task's
    wake-up is lost (a client hangs). Sending the event itself runs nothing else.
    """
    event = QMouseEvent(QEvent.Type.MouseMove, QPointF(pos), QPointF(widget.mapToGlobal(pos)),
                        Qt.MouseButton.NoButton, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def deliver_posted_events() -> None:
    """Deliver posted events (layout requests, language changes) now, from inside a coroutine.

    Unlike ``processEvents`` it runs no timers and no socket notifiers, so it never steps
    another asyncio task in the middle of this one (see ``mouse_move``).
    """
    QCoreApplication.sendPostedEvents()


async def until(predicate: Callable[[], bool], timeout: float = 20.0, what: str = "") -> None:
    """Await a condition while Qt keeps processing events."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what or 'condition'}")
        await asyncio.sleep(0.02)
