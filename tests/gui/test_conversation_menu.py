"""The conversation list's context menu: receive options (C6) and how each one shows unread,
mark as read, mark all read (M7). Real service, real SDK clients; the menu is the real one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMenu

from app.protocol import Platform, RecvOpt
from app.ui.theme import apply_theme, current_palette
from app.ui.widgets.conversation_delegate import DOT
from tests.gui.chat_helpers import App, open_app
from tests.gui.conftest import save_screenshot, until
from tests.support.clients import Peer
from tests.support.service import Service

Arun = Callable[..., Any]


def _row_rect(app: App, conv_id: str):
    pane = app.window.list_pane
    row = app.list_row_ids().index(conv_id)
    return pane.list.visualRect(pane.proxy.index(row, 0))


def _menu_for(app: App, conv_id: str) -> QMenu:
    pane = app.window.list_pane
    for old in pane.findChildren(QMenu):
        old.hide()
        old.setParent(None)
        old.deleteLater()
    pane._context_menu(_row_rect(app, conv_id).center())
    menus = [m for m in pane.findChildren(QMenu) if m.parent() is pane]
    assert menus, "no menu opened"
    return menus[-1]


def _choose(app: App, conv_id: str, *path: str) -> None:
    menu = _menu_for(app, conv_id)
    for text in path[:-1]:
        (sub,) = [a.menu() for a in menu.actions() if a.text() == text]
        menu = sub
    actions = {a.text(): a for a in menu.actions() if a.text()}
    assert path[-1] in actions, f"{path[-1]!r} not in {list(actions)}"
    actions[path[-1]].trigger()
    for open_menu in app.window.list_pane.findChildren(QMenu):
        open_menu.hide()


def _badge_pixels(app: App, conv_id: str) -> tuple[int, int]:
    """(red badge pixels, muted-dot pixels) at the right end of the row's second line."""
    pane = app.window.list_pane
    rect = _row_rect(app, conv_id)
    image: QImage = pane.list.viewport().grab().toImage()
    palette = current_palette()
    red = muted = 0
    for x in range(rect.right() - 50, rect.right()):
        for y in range(rect.top() + 36, rect.top() + 56):
            color = image.pixelColor(QPoint(x, y))
            if color == palette.badge:
                red += 1
            elif color == palette.badge_muted:
                muted += 1
    return red, muted


def test_receive_options_read_and_read_all_from_the_list(
    service: Service, gui_peers: Callable[..., Peer], arun: Arun, qapp: QApplication,
    tmp_path: Path,
) -> None:
    bob, carol = gui_peers("bob"), gui_peers("carol")
    phone = gui_peers("alice", device="phone", platform=Platform.MOBILE)

    async def scenario() -> None:
        for i in range(3):
            await bob.mm.send_message(bob.mm.create_text_message(f"bob {i}"), receiver="alice")
            await carol.mm.send_message(carol.mm.create_text_message(f"carol {i}"),
                                        receiver="alice")
        app = await open_app(service, "alice", tmp_path / "alice")
        try:
            await until(lambda: app.unread("c2c_bob") == 3 and app.unread("c2c_carol") == 3,
                        what="three unread in each chat")
            total = app.client.conversation_manager.get_total_unread_message_count
            red, muted = _badge_pixels(app, "c2c_bob")
            assert red > 50 and muted == 0, "a chat that notifies shows a red count"

            _choose(app, "c2c_bob", "Notifications", "Don't notify, show a dot")
            await until(lambda: app.listed("c2c_bob").recv_opt == RecvOpt.RECEIVE_NOT_NOTIFY,
                        what="the option applied")
            app.window.list_pane.list.viewport().repaint()
            red, muted = _badge_pixels(app, "c2c_bob")
            assert red == 0 and 0 < muted <= DOT * DOT, "a dot, not a count"
            assert await total() == 6, "a chat that does not notify still counts (C3)"
            save_screenshot(app.window, "conversation-list-dot")
            menu = _menu_for(app, "c2c_bob")
            (options,) = [a.menu() for a in menu.actions() if a.text() == "Notifications"]
            assert [a.text() for a in options.actions() if a.isChecked()] == [
                "Don't notify, show a dot"]
            menu.hide()

            _choose(app, "c2c_bob", "Notifications", "Don't receive")
            await until(lambda: app.listed("c2c_bob").recv_opt == RecvOpt.NOT_RECEIVE,
                        what="not receiving")
            app.window.list_pane.list.viewport().repaint()
            assert _badge_pixels(app, "c2c_bob") == (0, 0), "nothing asks for attention"
            assert await total() == 3
            phone_conv = await phone.cm.get_conversation("c2c_bob")
            assert phone_conv is not None

            _choose(app, "c2c_carol", "Mark as read")
            await until(lambda: app.unread("c2c_carol") == 0, what="carol's chat read")
            menu = _menu_for(app, "c2c_carol")
            assert "Mark as read" not in [a.text() for a in menu.actions()], "nothing to read"
            menu.hide()

            await bob.mm.send_message(bob.mm.create_text_message("more"), receiver="alice")
            await carol.mm.send_message(carol.mm.create_text_message("more"), receiver="alice")
            await until(lambda: app.unread("c2c_carol") == 1 and app.unread("c2c_bob") == 4,
                        what="new unread in both")
            _choose(app, "c2c_carol", "Mark all chats as read")
            await until(lambda: app.unread("c2c_carol") == 0 and app.unread("c2c_bob") == 0,
                        what="every chat read")
            menu = _menu_for(app, "c2c_bob")
            (read_all,) = [a for a in menu.actions() if a.text() == "Mark all chats as read"]
            assert not read_all.isEnabled(), "nothing left to read"
            menu.hide()
        finally:
            await app.close()

    apply_theme(qapp, "light")
    try:
        arun(scenario())
    finally:
        apply_theme(qapp, "system")
