"""History the cache cannot show by itself, and a service that comes back from an earlier copy.

A device that missed more than its catch-up window shows a "load earlier" gap row above what it
holds instead of joining older cached messages onto the newest ones; online, a click on it fills
the gap from the service. When the service's data is restored from an earlier copy, the open
chat reads its history again and the user is told once. Real service, real SDK clients, real
widgets.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication
from pytestqt.logging import QtLoggingPlugin
from pytestqt.qtbot import QtBot

from app.sdk import HistoryType, Message
from app.sdk.models import HistoryPage
from app.ui.models.conversations import Role as ConvRole
from app.ui.models.timeline import GapState, Role, TimelineModel
from app.ui.theme import apply_theme
from tests.gui.chat_helpers import App, open_app
from tests.gui.conftest import save_screenshot, until
from tests.support.clients import Peer
from tests.support.service import Service

Arun = Callable[..., Any]
WINDOW = 30
"""The receiver's catch-up window: it comes back to 100 new messages and takes only 30."""


async def _say(peer: Peer, text: str, to: str) -> Message:
    return await peer.mm.send_message(peer.mm.create_text_message(text), receiver=to)


def _texts(model: TimelineModel) -> list[str]:
    return [m.text_elem.text for m in model.messages() if m.text_elem is not None]


def _seqs(model: TimelineModel) -> list[int]:
    return [m.seq for m in model.messages()]


def _contiguous(seqs: list[int]) -> bool:
    return seqs == list(range(seqs[0], seqs[0] + len(seqs))) if seqs else True


def _count_pages(app: App) -> list[HistoryType]:
    """Every history page the timeline asks the SDK for, passed on to the real call."""
    manager = app.client.message_manager
    real = manager.get_history_page
    asked: list[HistoryType] = []

    async def counted(conversation_id: str, count: int = 20, last_msg: Message | None = None,
                      get_type: HistoryType = HistoryType.CLOUD_OLDER) -> HistoryPage:
        asked.append(get_type)
        return await real(conversation_id, count, last_msg, get_type)

    manager.get_history_page = counted  # type: ignore[method-assign]
    return asked


def _pill_centre(app: App) -> Any:
    timeline = app.window.chat.timeline
    timeline.doItemsLayout()
    index = app.window.chat.model.index(0)
    pill = timeline.delegate.gap_pill(QRectF(timeline.visualRect(index)), index, timeline.font())
    assert pill is not None
    assert QRectF(timeline.viewport().rect()).contains(pill)  # drawn whole, on screen
    return pill.center().toPoint()


def test_a_gap_wider_than_the_window_shows_a_gap_row_until_the_service_fills_it(
    service: Service, gui_peers: Callable[..., Peer], arun: Arun, qtbot: QtBot,
    qapp: QApplication, qtlog: QtLoggingPlugin, tmp_path: Path,
) -> None:
    bob = gui_peers("bob")
    data = tmp_path / "alice"

    async def scenario() -> None:
        app = await open_app(service, "alice", data, catch_up_window=WINDOW)
        try:
            for i in range(5):
                last = await _say(bob, f"old {i}", "alice")
            await until(lambda: (c := app.listed("c2c_bob")) is not None
                        and c.last_message is not None and c.last_message.msg_id == last.msg_id,
                        what="the old messages cached")
        finally:
            await app.close()
        for i in range(100):
            await _say(bob, f"new {i}", "alice")
        app = await open_app(service, "alice", data, catch_up_window=WINDOW)
        try:
            await until(lambda: app.unread("c2c_bob") == 105, what="the catch-up")
            await _offline_then_fill(app, service, qtbot)
        finally:
            await app.close()

    apply_theme(qapp, "light")
    try:
        arun(scenario(), timeout=120)
    finally:
        apply_theme(qapp, "system")
    # Qt's model tester reports in Warning mode: any report is a broken insert or removal.
    failures = [r.message for r in qtlog.records if "FAIL" in r.message]
    assert not failures, failures


async def _offline_then_fill(app: App, service: Service, qtbot: QtBot) -> None:
    chat = app.window.chat
    model, timeline = chat.model, chat.timeline
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning, chat)
    broken: list[list[int]] = []

    def check_contiguous(*_args: object) -> None:
        if not _contiguous(_seqs(model)):
            broken.append(_seqs(model))

    model.rowsInserted.connect(check_contiguous)
    model.modelReset.connect(check_contiguous)
    asked = _count_pages(app)

    # Offline: the cache holds "old 0-4" (seqs 1-5) and the newest 30 (76-105), not what lies
    # between. The chat shows the 30 under a gap row, never the old ones just above them.
    service.kill()
    await until(lambda: not app.client.ready, what="the app to notice the service went")
    app.window.open_conversation("c2c_bob")
    await until(lambda: not model.loading and model.rowCount() > 0, what="the chat")
    assert model.gap_above
    assert model.index(0).data(Role.GAP) == GapState.OFFLINE
    assert model.index(0).data(Role.MESSAGE) is None
    assert _seqs(model) == list(range(76, 106))
    assert not any(t.startswith("old") for t in _texts(model))
    assert model.index(1).data(Role.DAY_HEADER)  # the first message under it starts its day
    assert chat.timeline.delegate.gap_text(GapState.OFFLINE) == (
        "Earlier messages will load when you're online")

    # Scrolling to it offline asks for nothing: no request, so no request loop either.
    pages = len(asked)
    for value in (0, 40, 0):
        timeline.verticalScrollBar().setValue(value)  # the load decision is made right here
        assert not chat._loading_older
    assert timeline.is_near_top()
    assert len(asked) == pages
    _pill_centre(app)
    save_screenshot(app.window, "chat-gap-offline")

    # Online again: the pill offers to load; a click fills the gap from the service, the row
    # goes, and paging on up ends with every message from 1 to 105 in order.
    service.start()
    await until(lambda: model.index(0).data(Role.GAP) == GapState.LOADABLE, 30,
                what="the gap row to offer loading")
    save_screenshot(app.window, "chat-gap-online")
    assert len(asked) == pages  # coming online alone loads nothing
    qtbot.mouseClick(timeline.viewport(), Qt.MouseButton.LeftButton, pos=_pill_centre(app))
    await until(lambda: not model.gap_above, what="the gap filled")
    assert asked[pages] == HistoryType.CLOUD_OLDER
    assert not timeline.is_near_top()  # the messages read before stay where they were
    while model.has_older:
        rows = model.rowCount()
        timeline.verticalScrollBar().setValue(0)
        await until(lambda r=rows: model.rowCount() > r or not model.has_older, 30,
                    what="the next page above")
    assert _seqs(model) == list(range(1, 106))
    assert _texts(model)[:5] == [f"old {i}" for i in range(5)]
    assert not broken, f"rows not contiguous by seq: {broken[0][:12]}…"
    assert all(model.index(r).data(Role.GAP) == GapState.NONE for r in range(model.rowCount()))


def test_a_restored_service_reloads_the_open_chat_and_says_so_once(
    service: Service, gui_peers: Callable[..., Peer], arun: Arun, tmp_path: Path,
) -> None:
    bob = gui_peers("bob")

    async def scenario() -> None:
        app = await open_app(service, "alice", tmp_path / "alice")
        try:
            await _restore(app, bob, service, tmp_path / "backup")
        finally:
            await app.close()

    arun(scenario(), timeout=120)


async def _restore(app: App, bob: Peer, service: Service, backup: Path) -> None:
    chat = app.window.chat
    model = chat.model
    for i in range(10):
        await _say(bob, f"kept {i}", "alice")
    service.stop()
    shutil.copytree(service.data_dir, backup)
    service.start()
    lost = [await _say(bob, f"lost {i}", "alice") for i in range(10)]
    app.window.open_conversation("c2c_bob")
    await until(lambda: lost[-1].msg_id in {m.msg_id for m in model.messages()},
                what="the chat shows all 20")
    resets: list[str] = []
    app.bridge.server_data_reset.connect(resets.append)
    chat.composer.set_text("half-written reply")

    service.kill()
    await until(lambda: not app.client.ready, what="the app to notice the service went")
    shutil.rmtree(service.data_dir)
    shutil.copytree(backup, service.data_dir)
    service.start()

    # The app finds out, the chat stays open on bob and reads its history again: only what the
    # restored service holds, in order, and the half-written reply is still there.
    await until(lambda: bool(resets), 30, what="the reset")
    assert chat.conversation_id == "c2c_bob"
    await until(lambda: _texts(model) == [f"kept {i}" for i in range(10)], 30,
                what="the chat reloaded")
    assert not model.gap_above and _seqs(model) == list(range(1, 11))
    assert chat.composer.text() == "half-written reply"
    assert chat.notice.isVisible() and chat.notice.text() == (
        "The server's data was restored from an earlier copy; history was reloaded.")
    save_screenshot(app.window, "chat-data-reset")

    # The list ends as a fresh read of the cache has it: bob's chat with the restored state.
    await until(lambda: (c := app.listed("c2c_bob")) is not None and c.last_message is not None
                and c.last_message.text_elem is not None
                and c.last_message.text_elem.text == "kept 9", 30, what="the list updated")
    page = await app.client.conversation_manager.get_conversation_list(0, 100)
    assert app.list_row_ids() == [c.conversation_id for c in page.conversation_list]
    assert [(c.conversation_id, c.unread_count) for c in page.conversation_list] == [
        (c.conversation_id, c.unread_count) for c in app.window.conversations.conversations()]
    assert app.list_row_ids() == ["c2c_bob"]
    assert app.window.list_pane.list.currentIndex().data(ConvRole.ID) == "c2c_bob"
    assert len(resets) == 1
