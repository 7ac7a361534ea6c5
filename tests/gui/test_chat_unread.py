"""Opening a chat: the "Unread messages" divider and the jump to it, reads that name the newest
message shown, and messages that arrive while the chat's first page is being read. Real service,
real SDK clients on both sides.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.protocol import Platform
from app.sdk import HistoryType, Message, MessageReceipt
from app.sdk.models import HistoryPage
from app.ui.theme import apply_theme
from tests.gui.chat_helpers import App, open_app
from tests.gui.conftest import save_screenshot, until
from tests.support.clients import Peer
from tests.support.service import Service

Arun = Callable[..., Any]


async def _say(peer: Peer, text: str, to: str) -> Message:
    return await peer.mm.send_message(peer.mm.create_text_message(text), receiver=to)


def _record_reads(app: App) -> list[tuple[str, int]]:
    """Every read the chat view reports, passed on to the real SDK call."""
    manager = app.client.message_manager
    real = manager.mark_conversation_as_read
    reads: list[tuple[str, int]] = []

    async def recorded(conversation_id: str, seq: int) -> None:
        reads.append((conversation_id, seq))
        await real(conversation_id, seq)

    manager.mark_conversation_as_read = recorded  # type: ignore[method-assign]
    return reads


def test_unread_divider_jump_and_reads_up_to_what_is_shown(
    service: Service, gui_peers: Callable[..., Peer], arun: Arun, qtbot: QtBot,
    qapp: QApplication, tmp_path: Path,
) -> None:
    bob, carol = gui_peers("bob"), gui_peers("carol")
    phone = gui_peers("alice", device="phone", platform=Platform.MOBILE)

    async def scenario() -> None:
        for i in range(1, 21):
            last = await _say(bob, f"old {i:02d}", "alice")
        await phone.mm.mark_conversation_as_read("c2c_bob", last.seq)  # read on the phone
        sent = [await _say(bob, f"new {i:02d}", "alice") for i in range(1, 51)]
        await _say(carol, "hello from carol", "alice")
        app = await open_app(service, "alice", tmp_path / "alice")
        try:
            await until(lambda: app.unread("c2c_bob") == 50, what="50 unread")
            await _check(app, qtbot, sent)
        finally:
            await app.close()

    apply_theme(qapp, "light")
    try:
        arun(scenario())
    finally:
        apply_theme(qapp, "system")


async def _check(app: App, qtbot: QtBot, sent: list[Message]) -> None:
    chat = app.window.chat
    timeline, model = chat.timeline, chat.model
    viewport = timeline.viewport()
    reads = _record_reads(app)
    first_unread = sent[0]

    # Opened: more unread than one page, so older pages load until the first unread is in;
    # the divider sits above it, scrolled into view, and the rest is still below.
    app.window.open_conversation("c2c_bob")
    await until(lambda: model.first_unread_id == first_unread.msg_id, what="divider")
    divider = model.row_of(first_unread.msg_id)
    top = timeline.visualRect(model.index(divider)).top()
    assert 0 <= top < viewport.height() // 2
    assert not timeline.at_bottom
    assert "old 20" in app.timeline_texts()  # the page above the first unread, too

    # Read up to the newest message on screen, not further: unread drops, but not to 0.
    await until(lambda: reads and app.unread("c2c_bob") < 50, what="partly read")
    assert all(conv == "c2c_bob" for conv, _ in reads)
    seq = reads[-1][1]
    assert first_unread.seq <= seq < sent[-1].seq
    assert seq == chat.reader.newest_shown_seq()
    shown = model.messages()[timeline.indexAt(QPoint(viewport.width() // 2,
                                                     viewport.height() - 1)).row()]
    assert shown.seq in (seq, seq + 1)  # the bottom row, or the one just above it
    await until(lambda: app.unread("c2c_bob") == sent[-1].seq - seq, what="unread follows")
    await until(lambda: chat.jump.isVisible() and chat.jump.count == app.unread("c2c_bob"),
                what="jump button counts the unread")
    save_screenshot(app.window, "chat-unread-divider")

    # Scrolled above the divider, the jump goes to the first unread; then to the bottom.
    timeline.verticalScrollBar().setValue(0)
    await until(lambda: timeline.is_below_viewport(model.row_of(first_unread.msg_id)),
                what="divider below the screen")
    qtbot.mouseClick(chat.jump, Qt.MouseButton.LeftButton, pos=QPoint(25, 35))
    row = model.row_of(first_unread.msg_id)
    assert 0 <= timeline.visualRect(model.index(row)).top() < viewport.height() // 2
    qtbot.mouseClick(chat.jump, Qt.MouseButton.LeftButton, pos=QPoint(25, 35))
    await until(lambda: timeline.at_bottom, what="at the bottom")
    await until(lambda: app.unread("c2c_bob") == 0, what="all read")
    assert reads[-1] == ("c2c_bob", sent[-1].seq)
    assert all(s > 0 for _, s in reads)
    await until(lambda: not chat.jump.isVisible(), what="jump hidden")
    # The divider stays while the chat is open...
    assert model.first_unread_id == first_unread.msg_id

    # ...and is gone when the chat is opened again after reading.
    app.window.open_conversation("c2c_carol")
    await until(lambda: app.timeline_texts() == ["hello from carol"], what="carol's chat")
    app.window.open_conversation("c2c_bob")
    await until(lambda: app.timeline_texts()[-1:] == ["new 50"] and not model.loading,
                what="bob again")
    assert model.first_unread_id == ""
    await until(lambda: timeline.at_bottom, what="opened at the bottom")


def test_a_message_arriving_while_the_chat_opens_is_shown(
    service: Service, gui_peers: Callable[..., Peer], arun: Arun, tmp_path: Path,
) -> None:
    """The chat's first page is read, then held at a barrier while a new message and a read
    receipt arrive; both must be shown once the page replaces the (empty) timeline."""
    bob = gui_peers("bob")
    gui_peers("alice", device="phone", platform=Platform.MOBILE)

    async def scenario() -> None:
        await _say(bob, "before", "alice")
        app = await open_app(service, "alice", tmp_path / "alice")
        try:
            mine = await _say_as(app, "mine, unread by bob", "bob")
            await until(lambda: app.unread("c2c_bob") == 1, what="cached")
            await _race(app, bob, mine)
        finally:
            await app.close()

    arun(scenario())


async def _say_as(app: App, text: str, to: str) -> Message:
    manager = app.client.message_manager
    return await manager.send_message(manager.create_text_message(text), receiver=to)


async def _race(app: App, bob: Peer, mine: Message) -> None:
    manager = app.client.message_manager
    real = manager.get_history_page
    page_read, release = asyncio.Event(), asyncio.Event()

    async def held(conversation_id: str, count: int = 20, last_msg: Message | None = None,
                   get_type: HistoryType = HistoryType.CLOUD_OLDER) -> HistoryPage:
        page = await real(conversation_id, count, last_msg, get_type)
        if last_msg is None and not release.is_set():
            page_read.set()
            await release.wait()
        return page

    manager.get_history_page = held  # type: ignore[method-assign]
    arrived: list[Message] = []
    receipts: list[MessageReceipt] = []
    app.bridge.new_message.connect(arrived.append)
    app.bridge.receipts.connect(receipts.extend)

    app.window.open_conversation("c2c_bob")
    await asyncio.wait_for(page_read.wait(), 10)  # the page is read; the view has not got it
    await _say(bob, "while opening", "alice")
    await bob.mm.mark_conversation_as_read("c2c_alice", mine.seq)
    await until(lambda: any(m.text_elem and m.text_elem.text == "while opening"
                            for m in arrived), what="the new message reached the app")
    await until(lambda: any(r.read_seq >= mine.seq for r in receipts), what="the receipt")
    assert app.window.chat.model.loading
    release.set()

    chat = app.window.chat
    await until(lambda: not chat.model.loading, what="page shown")
    assert app.timeline_texts() == ["before", "mine, unread by bob", "while opening"]
    shown = chat.model.messages()[chat.model.row_of(mine.msg_id)]
    assert shown.is_peer_read
