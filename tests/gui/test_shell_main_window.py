"""The main window as a newcomer meets it: the connection line that speaks only when something
is wrong and never moves the list, a new chat that is listed the moment it is opened, and an
empty world that says what to do next and which user ID others need."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QListView, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from app.sdk import ConnectionState, IMClient
from app.ui.bridge import SdkBridge
from app.ui.settings import AppSettings
from app.ui.views import status_line
from app.ui.views.main_window import MainWindow, ServiceKind
from app.ui.views.new_chat import NewChatDialog
from tests.gui.conftest import save_screenshot, until
from tests.support.clients import Peer, sdk_config
from tests.support.service import Service

Run = Callable[..., Any]


async def _window(service: Service, user_id: str, data_dir: Path,
                  kind: ServiceKind = "remote") -> MainWindow:
    client = IMClient()
    client.init(service.sdk_app_id, service.ws, sdk_config(data_dir))
    bridge = SdkBridge(client)
    await client.login(user_id, service.sig(user_id))
    window = MainWindow(client, bridge, AppSettings(data_dir / "settings.ini"), service=kind)
    window.resize(1100, 720)
    window.show()
    await window.start()
    return window


async def _close(window: MainWindow) -> None:
    await window.shutdown()
    window.hide()
    window.bridge.detach()
    await window.client.uninit()
    window.deleteLater()


def _rows(window: MainWindow) -> list[str]:
    proxy = window.list_pane.proxy
    return [proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 2) for r in range(proxy.rowCount())]


# --- the connection line -------------------------------------------------------------------


def test_status_line_waits_before_speaking_and_floats(qtbot: QtBot,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(status_line.time, "monotonic", lambda: clock[0])
    column = QWidget()
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    chats = QListView(column)
    layout.addWidget(chats)
    line = status_line.StatusLine(column)
    qtbot.addWidget(column)
    column.resize(320, 600)
    column.show()
    qtbot.waitExposed(column)
    list_at = chats.geometry()
    shown: list[status_line.Shown] = []

    def record() -> None:
        if line.isVisible():
            shown.append(line.shown)

    # Starting up and connecting within the grace period: nothing is ever said.
    line.set_state(ConnectionState.CONNECTING)
    record()
    clock[0] += 0.8
    line.set_state(ConnectionState.CONNECTED)
    record()
    line.sync_started()
    clock[0] += 0.3
    line.sync_ended()
    record()
    # A brief drop and reconnect: still nothing, and no "Connected" notice afterwards.
    line.set_state(ConnectionState.DISCONNECTED, 6022, "connection reset")
    line.set_retry_in(0.4)
    record()
    clock[0] += 0.6
    line.set_state(ConnectionState.CONNECTING)
    clock[0] += 0.3
    line.set_state(ConnectionState.CONNECTED)
    record()
    assert shown == [] and line.text() == "" and not line._grace.isActive()

    # Offline for longer than the grace period: the line says so, with the countdown.
    line.set_state(ConnectionState.DISCONNECTED, 6022, "unreachable")
    line.set_retry_in(5)
    assert line.shown == status_line.Shown.HIDDEN and line.text() == "Offline — retrying in 5 s"
    clock[0] += status_line.GRACE_MS / 1000 + 0.1
    qtbot.waitUntil(line.isVisible, timeout=3000)  # the grace timer fires
    assert line.shown == status_line.Shown.OFFLINE
    assert line._label.text() == "Offline — retrying in 4 s"  # counted from the deadline
    clock[0] += 2.2
    qtbot.waitUntil(lambda: line._label.text() == "Offline — retrying in 2 s", timeout=2000)
    with qtbot.waitSignal(line.retry_requested):
        line._retry.linkActivated.emit("retry")
    # It floats over the bottom of the column; the list keeps its place.
    margin = status_line.MARGIN
    assert line.geometry().bottom() == column.height() - margin - 1
    assert line.geometry().left() == margin and line.width() == column.width() - 2 * margin
    assert chats.geometry() == list_at
    column.resize(300, 500)
    qtbot.waitUntil(lambda: line.geometry().bottom() == 500 - margin - 1, timeout=1000)

    line.set_state(ConnectionState.CONNECTING)
    assert line.isVisible() and line._label.text() == "Connecting…"  # already speaking
    line.set_state(ConnectionState.CONNECTED)
    assert not line.isVisible() and line.text() == ""


def test_going_offline_does_not_move_the_list(
    service: Service, arun: Run, tmp_path: Path, gui_peers: Callable[..., Peer]
) -> None:
    bob = gui_peers("bob")

    async def scenario() -> None:
        window = await _window(service, "alice", tmp_path / "alice")
        try:
            await bob.mm.send_message(bob.mm.create_text_message("hello"), receiver="alice")
            await until(lambda: _rows(window) == ["c2c_bob"], what="bob's chat")
            view = window.list_pane.list
            where = (view.mapTo(window, QPoint(0, 0)), view.size(),
                     view.visualRect(view.model().index(0, 0)))
            line = window.status_line
            assert not line.isVisible()
            await bob.close()  # no client left retrying once this test's loop stops
            service.stop()
            await until(line.isVisible, 15, "the line to say the app is offline")
            assert line.shown in (status_line.Shown.OFFLINE, status_line.Shown.CONNECTING)
            assert (view.mapTo(window, QPoint(0, 0)), view.size(),
                    view.visualRect(view.model().index(0, 0))) == where
            column = line.parentWidget()
            assert column is not None and column.rect().contains(line.geometry())
            save_screenshot(window, "offline", folder="shell")
        finally:
            await _close(window)

    arun(scenario())


# --- new chats ------------------------------------------------------------------------------


def test_a_new_chat_is_listed_at_once_and_stays_after_its_first_message(
    service: Service, arun: Run, tmp_path: Path, gui_peers: Callable[..., Peer]
) -> None:
    bob, carol = gui_peers("bob"), gui_peers("carol")
    gui_peers("dave")

    async def scenario() -> None:
        window = await _window(service, "alice", tmp_path / "alice")
        try:
            await bob.mm.send_message(bob.mm.create_text_message("hello"), receiver="alice")
            await until(lambda: _rows(window) == ["c2c_bob"], what="bob's chat")

            async def new_chat(user_id: str) -> None:
                window.open_new_chat()
                dialog = window.findChildren(NewChatDialog)[-1]
                dialog.user_id.setText(user_id)
                dialog.ok.click()  # asks the service whether the user exists, then opens
                await until(lambda: window.chat.conversation_id == f"c2c_{user_id}", 10,
                            f"the chat with {user_id}")

            await new_chat("carol")
            assert _rows(window) == ["c2c_carol", "c2c_bob"]  # listed at once, on top
            assert window.list_pane.current_id == "c2c_carol"
            assert window.list_pane.list.currentIndex().row() == 0
            assert window.conversations.is_local("c2c_carol")

            edit = window.chat.composer.edit
            edit.insertPlainText("hi carol")
            edit.setFocus()
            QTest.keyClick(edit, Qt.Key.Key_Return)
            await until(lambda: any(m.text_elem and m.text_elem.text == "hi carol"
                                    for m in carol.recorder.messages), 10, "carol receives it")
            await until(lambda: not window.conversations.is_local("c2c_carol"), 10,
                        "the SDK's own row for the chat")
            assert _rows(window) == ["c2c_carol", "c2c_bob"]
            listed = window.conversations.conversation("c2c_carol")
            assert listed is not None and listed.last_message is not None

            # A chat opened and left without a word is not left behind in the list.
            await new_chat("dave")
            assert _rows(window) == ["c2c_dave", "c2c_carol", "c2c_bob"]
            window.open_conversation("c2c_bob")
            assert _rows(window) == ["c2c_carol", "c2c_bob"]
        finally:
            await _close(window)

    arun(scenario())


# --- an empty world -------------------------------------------------------------------------


def test_a_new_account_is_told_what_to_do_and_its_user_id(
    service: Service, arun: Run, tmp_path: Path, gui_peers: Callable[..., Peer],
    qtbot: QtBot,
) -> None:
    bob = gui_peers("bob")

    async def scenario() -> None:
        window = await _window(service, "newbie", tmp_path / "newbie", kind="local")
        try:
            hint = window.list_pane.empty_hint
            assert hint.isVisible()
            assert hint.title.text() == "No chats yet"
            assert "New chat (Ctrl+N)" in hint.text.text()
            assert hint.button.isVisible() and hint.button.text() == "New chat"
            assert hint.note.isVisible() and "<b>newbie</b>" in hint.note.text()
            assert "this computer" in hint.note.text()
            pane_note = window.chat.empty.note
            assert pane_note.isVisible() and pane_note.text() == hint.note.text()
            viewport = window.list_pane.list.viewport().rect()
            assert viewport.contains(hint.geometry())
            for label in (hint.title, hint.text, hint.note, pane_note):
                assert label.height() >= label.heightForWidth(label.width()), label.text()
            save_screenshot(window, "new-account", folder="shell")

            hint.button.click()
            dialog = window.findChild(NewChatDialog)
            assert dialog is not None and dialog.isVisible()
            dialog.reject()

            await bob.mm.send_message(bob.mm.create_text_message("welcome!"), receiver="newbie")
            await until(lambda: _rows(window) == ["c2c_bob"], 10, "bob's chat")
            assert not hint.isVisible() and not pane_note.isVisible()
        finally:
            await _close(window)

    arun(scenario())


def test_accounts_elsewhere_are_told_to_share_their_id(arun: Run, tmp_path: Path) -> None:
    async def scenario() -> None:
        client = IMClient()  # the cache only, as a session opens before the network answers
        client.configure(1400000001, sdk_config(tmp_path / "alice"))
        await client.init_storage("alice")
        windows = {kind: MainWindow(client, SdkBridge(client), AppSettings(tmp_path / "s.ini"),
                                    service=kind) for kind in ("remote", "demo")}
        try:
            assert "Share it" in windows["remote"].list_pane.empty_hint.note.text()
            assert windows["demo"].list_pane.empty_hint.note.text() == ""
            assert windows["demo"].windowTitle() == "Tidings — Demo"
            assert windows["remote"].windowTitle() == "Tidings"
        finally:
            for window in windows.values():
                window.deleteLater()
            await client.uninit()

    arun(scenario())
