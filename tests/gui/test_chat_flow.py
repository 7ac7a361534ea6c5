"""The main window end to end: the real service, a real SDK client behind the window, and real
SDK peers on the other side.

Each test drives one coroutine on the qasync loop (``arun``) so that Qt events, SDK callbacks
and service pushes interleave as they do in the app.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.logging import QtLoggingPlugin
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.protocol import Platform
from app.sdk import Message, MessageStatus
from app.ui.models.conversations import Role as ConvRole
from app.ui.theme import apply_theme
from app.ui.views.chat import ChatView
from app.ui.views.new_chat import NewChatDialog
from tests.gui.chat_helpers import App, context_menu_at, open_app, row_geometry
from tests.gui.conftest import save_screenshot, until
from tests.support.clients import Peer
from tests.support.service import Service

Arun = Callable[..., Any]


def _no_model_failures(qtlog: QtLoggingPlugin) -> None:
    """QAbstractItemModelTester reports in Warning mode; any report is a broken model."""
    failures = [r.message for r in qtlog.records if "FAIL" in r.message or "modeltest" in
                r.message.lower()]
    assert not failures, failures


def _click_row(qtbot: QtBot, app: App, conversation_id: str) -> None:
    pane = app.window.list_pane
    row = app.list_row_ids().index(conversation_id)
    rect = pane.list.visualRect(pane.proxy.index(row, 0))
    qtbot.mouseClick(pane.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


async def _with_app(service: Service, user_id: str, data_dir: Path,
                    scenario: Callable[[App], Awaitable[None]]) -> None:
    """Run `scenario` against a freshly opened app, closing it whatever happens. The whole
    test stays inside one running loop: SDK work never runs between two ``arun`` calls."""
    app = await open_app(service, user_id, data_dir)
    try:
        await scenario(app)
    finally:
        await app.close()


def _menu_action(chat: ChatView, pos: QPoint, text: str) -> QAction:
    """Right-click `pos` (viewport coordinates) and find one of the menu's actions."""
    menu = context_menu_at(chat, pos)
    assert menu is not None, "no menu"
    action = next((a for a in menu.actions() if a.text() == text), None)
    assert action is not None, [a.text() for a in menu.actions()]
    menu.hide()
    return action


async def _say(peer: Peer, text: str, to: str) -> Message:
    msg = peer.mm.create_text_message(text)
    return await peer.mm.send_message(msg, receiver=to)


def test_receive_unread_open_and_send(
    service: Service, gui_peers: Callable[..., Peer], arun: Arun, qtbot: QtBot,
    qtmodeltester: ModelTester, qtlog: QtLoggingPlugin, tmp_path: Path,
) -> None:
    bob = gui_peers("bob")

    async def scenario(app: App) -> None:
        window = app.window
        qtmodeltester.check(window.conversations)
        qtmodeltester.check(window.chat.model)
        await _say(bob, "hi alice", "alice")
        await until(lambda: app.unread("c2c_bob") == 1, what="first unread")
        await _say(bob, "are you there? 在吗？", "alice")
        await until(lambda: app.unread("c2c_bob") == 2, what="unread rises")
        assert app.list_row_ids() == ["c2c_bob"]
        index = window.list_pane.proxy.index(0, 0)
        assert index.data(ConvRole.UNREAD) == 2

        _click_row(qtbot, app, "c2c_bob")
        await until(lambda: app.timeline_texts() == ["hi alice", "are you there? 在吗？"],
                    what="history in the chat")
        await until(lambda: app.unread("c2c_bob") == 0, what="opening clears unread")
        assert window.chat.header.title == "bob"
        await until(lambda: bob.recorder.receipts, what="bob told it was read")

        # A message arriving while the chat is open, active and at the bottom is read at once.
        await _say(bob, "good 👍", "alice")
        await until(lambda: app.timeline_texts()[-1:] == ["good 👍"], what="live message")
        await until(lambda: app.unread("c2c_bob") == 0 and window.list_pane.proxy.index(0, 0)
                    .data(ConvRole.CONVERSATION).last_message.text_elem.text == "good 👍",
                    what="live message read")

        # Shift+Enter breaks the line; Enter sends; the bubble shows before the ack.
        composer = window.chat.composer.edit
        qtbot.keyClicks(composer, "hello bob")
        qtbot.keyPress(composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
        composer.insertPlainText("你好")  # what an input method commits (QTest types ASCII)
        qtbot.keyPress(composer, Qt.Key.Key_Return)
        assert composer.toPlainText() == ""
        mine = window.chat.model.messages()[-1]
        assert mine.is_self and mine.text_elem is not None
        assert mine.text_elem.text == "hello bob\n你好"
        await until(lambda: any(m.text_elem and m.text_elem.text == "hello bob\n你好"
                                for m in bob.recorder.messages), what="bob receives it")
        await until(lambda: window.chat.model.messages()[-1].status == MessageStatus.SEND_SUCC,
                    what="ack shown")
        await bob.mm.mark_conversation_as_read("c2c_alice")
        await until(lambda: window.chat.model.messages()[-1].is_peer_read, what="read receipt")
        assert app.listed("c2c_bob").last_message.text_elem.text == "hello bob\n你好"

        # The message menu: Copy puts the text on the clipboard; Delete for me removes it here.
        chat = window.chat
        row = chat.model.row_of(mine.msg_id)
        center = row_geometry(chat, row).bubble.center().toPoint()
        _menu_action(chat, center, "Copy").trigger()
        assert QGuiApplication.clipboard().text() == "hello bob\n你好"
        _menu_action(chat, center, "Delete for me").trigger()
        await until(lambda: chat.model.row_of(mine.msg_id) < 0, what="deleted for me")
        assert any(m.msg_id == mine.msg_id for m in bob.recorder.messages)

        # Pin, then delete the chat from the list's menu actions.
        window.list_pane.pin_requested.emit("c2c_bob", True)
        await until(lambda: app.listed("c2c_bob").is_pinned, what="pinned")
        window.list_pane.delete_requested.emit("c2c_bob")
        box = window.findChild(QMessageBox)
        assert box is not None and "bob" in box.text()
        next(b for b in box.buttons()
             if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole).click()
        await until(lambda: app.listed("c2c_bob") is None, what="chat deleted")
        assert window.chat.conversation_id == ""

    arun(_with_app(service, "alice", tmp_path / "alice", scenario))
    _no_model_failures(qtlog)


def test_older_history_keeps_the_view_still_and_jump_counts(
    service: Service, gui_peers: Callable[..., Peer], arun: Arun, qtbot: QtBot,
    qapp: QApplication,
    qtmodeltester: ModelTester, qtlog: QtLoggingPlugin, tmp_path: Path,
) -> None:
    bob = gui_peers("bob")
    phone = gui_peers("alice", device="phone", platform=Platform.MOBILE)

    async def seed() -> None:
        for i in range(1, 201):
            last = await _say(bob, f"message {i:03d}" + (
                " — a longer line that wraps in the bubble to vary heights" if i % 7 == 0
                else ""), "alice")
        # Read on the phone: the desktop opens at the bottom, with no unread divider.
        await phone.mm.mark_conversation_as_read("c2c_bob", last.seq)

    async def scenario(app: App) -> None:
        window = app.window
        chat = window.chat
        timeline = chat.timeline
        bar = timeline.verticalScrollBar()
        qtmodeltester.check(chat.model)
        window.open_conversation("c2c_bob")
        await until(lambda: app.timeline_texts()[-1:] == ["message 200"], what="newest page")
        await until(lambda: timeline.at_bottom and bar.maximum() > 0, what="at the bottom")
        first_rows = chat.model.rowCount()
        assert first_rows < 200

        for _ in range(10):
            if chat.model.rowCount() == 200:
                break
            # The user scrolls up to within a screen of the top: the next page loads.
            bar.setValue(timeline.viewport().height() // 2)
            before = app.first_visible()
            assert before is not None
            index = chat.model.index(chat.model.row_of(before.msg_id))
            top = timeline.visualRect(index).top() + timeline.delegate.content_top(index)
            rows = chat.model.rowCount()
            await until(lambda rows=rows: chat.model.rowCount() > rows, what="older page")
            after = app.first_visible()
            assert after is not None and after.msg_id == before.msg_id
            index = chat.model.index(chat.model.row_of(before.msg_id))
            new_top = timeline.visualRect(index).top() + timeline.delegate.content_top(index)
            assert abs(new_top - top) <= 1, (top, new_top)
        assert chat.model.rowCount() == 200
        assert app.timeline_texts()[0] == "message 001"
        assert not chat.model.has_older or chat.model.rowCount() == 200

        # Scrolled up, three messages arrive: the button counts them; clicking goes down.
        bar.setValue(bar.maximum() // 3)
        await asyncio.sleep(0.05)
        assert not timeline.at_bottom
        for text in ("new one", "new two", "new three"):
            await _say(bob, text, "alice")
        await until(lambda: chat.jump.count == 3 and chat.jump.isVisible(), what="jump count")
        save_screenshot(window, "main-window-jump-to-latest")
        await until(lambda: app.unread("c2c_bob") == 3, what="unseen, so unread")
        qtbot.mouseClick(chat.jump, Qt.MouseButton.LeftButton, pos=QPoint(25, 35))
        await until(lambda: timeline.at_bottom and not chat.jump.isVisible(), what="jumped")
        await until(lambda: app.unread("c2c_bob") == 0 and chat.jump.count == 0,
                    what="read after jumping down")

    async def seeded_then_opened() -> None:
        await seed()
        await _with_app(service, "alice", tmp_path / "alice", scenario)

    apply_theme(qapp, "light")  # as the app does, for the screenshot
    try:
        arun(seeded_then_opened())
    finally:
        apply_theme(qapp, "system")
    _no_model_failures(qtlog)


def test_draft_survives_switching_and_a_restart(
    service: Service, gui_peers: Callable[..., Peer], arun: Arun, qtbot: QtBot,
    tmp_path: Path,
) -> None:
    bob, carol = gui_peers("bob"), gui_peers("carol")
    data_dir = tmp_path / "alice"

    async def before_restart(app: App) -> None:
        await _say(bob, "ping from bob", "alice")
        await _say(carol, "ping from carol", "alice")
        await until(lambda: len(app.list_row_ids()) == 2, what="two chats")
        window = app.window
        _click_row(qtbot, app, "c2c_bob")
        await until(lambda: app.timeline_texts() == ["ping from bob"], what="bob's chat")
        qtbot.keyClicks(window.chat.composer.edit, "half-written ")
        window.chat.composer.edit.insertPlainText("草稿")
        _click_row(qtbot, app, "c2c_carol")
        await until(lambda: app.timeline_texts() == ["ping from carol"], what="carol's chat")
        assert window.chat.composer.text() == ""
        await until(lambda: app.listed("c2c_bob").draft_text == "half-written 草稿",
                    what="draft saved on switch")
        _click_row(qtbot, app, "c2c_bob")
        await until(lambda: app.timeline_texts() == ["ping from bob"], what="bob again")
        assert window.chat.composer.text() == "half-written 草稿"

        # "New chat": a typo is refused in words, a real ID opens the chat.
        window.open_new_chat()
        dialog = window.findChild(NewChatDialog)
        assert dialog is not None
        dialog.user_id.setText("nobody")
        dialog.ok.click()
        await until(lambda: "no user" in dialog.error.text(), what="unknown user refused")
        dialog.user_id.setText("carol")
        dialog.ok.click()
        await until(lambda: window.chat.conversation_id == "c2c_carol", what="chat opened")
        assert window.list_pane.current_id == "c2c_carol"

    async def after_restart(again: App) -> None:
        await until(lambda: again.listed("c2c_bob") is not None, what="cached list")
        assert again.listed("c2c_bob").draft_text == "half-written 草稿"
        again.window.open_conversation("c2c_bob")
        assert again.window.chat.composer.text() == "half-written 草稿"
        # Sending clears the draft everywhere.
        qtbot.keyPress(again.window.chat.composer.edit, Qt.Key.Key_Return)
        await until(lambda: again.listed("c2c_bob").draft_text == "", what="draft cleared")
        await until(lambda: any(m.text_elem and m.text_elem.text == "half-written 草稿"
                                for m in bob.recorder.messages), what="draft sent")

    async def both() -> None:
        await _with_app(service, "alice", data_dir, before_restart)
        await _with_app(service, "alice", data_dir, after_restart)

    arun(both())
