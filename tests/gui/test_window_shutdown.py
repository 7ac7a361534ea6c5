"""Quitting while the window's first reads are still arriving: once the window has shut down,
an event that would start a read (a sync ending) starts none, so nothing lands in a deleted
model. (A SIGTERM 0.3 s after the demo's chats opened printed such a traceback.)"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.protocol.groups import GroupType
from tests.gui.chat_helpers import open_app
from tests.gui.conftest import until
from tests.support.clients import Peer
from tests.support.service import Service

Arun = Callable[..., Any]


def test_no_reads_start_after_the_window_shut_down(
    service: Service, gui_peers: Callable[..., Peer], tmp_path: Path, arun: Arun,
) -> None:
    carol = gui_peers("carol")

    async def scenario() -> None:
        app = await open_app(service, "alice", tmp_path / "alice")
        manager = app.client.group_manager
        gid = await manager.create_group(GroupType.PUBLIC, "Club")
        await carol.client.group_manager.join_group(gid, "hi")
        model = app.window.group_applications
        await until(lambda: len(model.applications()) == 1, what="carol's application")

        reads: list[str] = []
        real = manager.get_group_application_list

        async def recorded() -> Any:
            reads.append("read")
            return await real()

        manager.get_group_application_list = recorded  # type: ignore[method-assign]
        model.refresh()
        await until(lambda: reads == ["read"], what="a read while the window is up")
        await until(lambda: not model._reads.busy, what="the read done")
        await app.window.shutdown()
        app.bridge.sync_finished.emit()  # a sync that ends as the window goes
        model.refresh()
        assert not model._reads.busy, "no read started after the shutdown"
        (application,) = model.applications()
        model.decide(application, accept=True)
        assert not model.is_deciding(application), "no decision after the shutdown"
        assert reads == ["read"]
        await app.close()

    arun(scenario())
