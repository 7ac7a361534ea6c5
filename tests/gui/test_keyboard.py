"""The app from the keyboard, against the real service: Ctrl+K's quick switcher over chats,
contacts and groups (pinyin initials, Chinese typed through the input method, Enter opens the
right chat — a friend's new one too), Alt+↓/↑ and Ctrl+Tab between chats, Ctrl+1–3 for the
rail's pages, Enter on a chat, friend or group row, Esc closing the topmost panel, the Menu key
and Shift+F10 on list rows, Ctrl+Q quitting through the app's own quit path, and the "Keyboard
shortcuts" sheet (Ctrl+/, Settings, the account menu from the keyboard)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QWidget
from pytestqt.qtbot import QtBot

from app.protocol.friends import AllowType
from app.protocol.groups import GroupType
from app.ui.app import Options, TidingsApp
from app.ui.i18n import install_language
from app.ui.models.timeline import Role as TimelineRole
from app.ui.settings import AppSettings
from app.ui.shortcuts import registry
from app.ui.switcher_match import Kind
from app.ui.theme import apply_theme
from app.ui.views.nav_rail import Page
from app.ui.views.shortcuts_sheet import ShortcutsSheet
from app.ui.widgets.composer import Composer
from tests.gui.chat_helpers import App, open_app
from tests.gui.conftest import deliver_posted_events, save_screenshot, until
from tests.gui.test_app_login import drive, restore_look, settings_file  # noqa: F401
from tests.gui.test_app_session import remember
from tests.support.clients import Peer
from tests.support.service import Service

Arun = Callable[..., Any]
FOLDER = "."  # test-artifacts/switcher-*.png, shortcuts-*.png
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def type_text(widget: QWidget, text: str) -> None:
    """Text as an input method commits it (QTest.keyClicks refuses non-ASCII)."""
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def key(widget: QWidget | None, k: Qt.Key,
        mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    target = widget or QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    QTest.keyClick(target, k, mods)


async def _world(app: App, bob: Peer, carol: Peer, dave: Peer) -> str:
    """bob (张三) and carol (Carol Wu) wrote to alice; dave (李小龙) is a friend with no chat
    yet; alice made the group 读书会. The group's ID."""
    for peer, nick in ((bob, "张三"), (carol, "Carol Wu"), (dave, "李小龙")):
        await peer.client.set_self_info(nick=nick, allow_type=int(AllowType.ALLOW_ANY))
        await app.client.friendship_manager.add_friend(peer.user_id)
    for peer, text in ((carol, "Are we still on for Friday?"), (bob, "你好！")):
        await peer.mm.send_message(peer.mm.create_text_message(text), receiver="alice")
    group_id = await app.client.group_manager.create_group(GroupType.WORK, "读书会")
    window = app.window
    await until(lambda: {"c2c_bob", "c2c_carol"} <= set(app.list_row_ids()), what="two chats")
    await until(lambda: all(window.contacts_page.model.row_of(p) >= 0
                            for p in ("bob", "carol", "dave")), what="three friends")
    await until(lambda: window.groups_page.model.group(group_id) is not None,
                what="the group listed")
    return group_id


async def _open_switcher(app: App) -> None:
    """Ctrl+K where the keys are (the message box, the list's filter…), else on the window."""
    window = app.window
    focused = QApplication.focusWidget()
    key(focused if focused is not None and focused.window() is window else window,
        Qt.Key.Key_K, CTRL)
    switcher = window.switcher
    assert switcher.isVisible() and switcher.field.hasFocus()
    await until(lambda: switcher.ready, what="the switcher's index")


def _shown(app: App) -> list[tuple[str, Kind]]:
    return [(m.candidate.target, m.candidate.kind) for m in app.window.switcher.results()]


def test_quick_switcher_finds_chats_contacts_and_groups(
        qapp: QApplication, arun: Arun, service: Service, tmp_path: Path,
        gui_peers: Callable[..., Peer], restore_look: None) -> None:  # noqa: F811
    bob, carol, dave = gui_peers("bob"), gui_peers("carol"), gui_peers("dave")

    async def scenario() -> None:
        app = await open_app(service, "alice", tmp_path / "alice")
        window = app.window
        apply_theme(qapp, "light")
        try:
            group_id = await _world(app, bob, carol, dave)
            await _open_switcher(app)
            switcher = window.switcher
            # Empty: the chats first, newest first, then contacts and groups, each once.
            shown = _shown(app)
            assert shown[:2] == [("c2c_bob", Kind.CHAT), ("c2c_carol", Kind.CHAT)]
            assert ("c2c_dave", Kind.CONTACT) in shown
            assert "group_" + group_id in {target for target, _ in shown}
            assert len({target for target, _ in shown}) == len(shown)
            deliver_posted_events()
            save_screenshot(window, "switcher-recent-light", FOLDER)

            # Pinyin initials: zs is 张三; the matched characters are marked.
            QTest.keyClicks(switcher.field, "zs")
            assert _shown(app)[0] == ("c2c_bob", Kind.CHAT)
            assert switcher.results()[0].name_positions == (0, 1)
            switcher.field.clear()
            QTest.keyClicks(switcher.field, "l")
            deliver_posted_events()
            save_screenshot(window, "switcher-light", FOLDER)
            apply_theme(qapp, "dark")
            deliver_posted_events()
            save_screenshot(window, "switcher-dark", FOLDER)
            apply_theme(qapp, "light")
            assert _shown(app)[0] == ("c2c_dave", Kind.CONTACT)  # l: 李 before Carol Wu's l

            # ↓ then Enter opens the second result; the switcher is gone, the chat has the keys.
            switcher.field.clear()
            first_two = [t for t, _ in _shown(app)[:2]]
            key(switcher.field, Qt.Key.Key_Down)
            key(switcher.field, Qt.Key.Key_Return)
            assert not switcher.isVisible()
            assert window.chat.conversation_id == first_two[1]
            assert window.chat.composer.edit.hasFocus()

            # Chinese typed through the input method: the group opens. (Ctrl+K from the
            # message box, which has the keys now.)
            assert window.chat.composer.edit.hasFocus()
            await _open_switcher(app)
            type_text(switcher.field, "读书")
            assert _shown(app)[0][0] == "group_" + group_id
            key(switcher.field, Qt.Key.Key_Return)
            assert window.chat.conversation_id == "group_" + group_id

            # A friend without a chat: full pinyin, Enter makes the chat and lists it.
            await _open_switcher(app)
            QTest.keyClicks(switcher.field, "lixiaolong")
            assert _shown(app)[0] == ("c2c_dave", Kind.CONTACT)
            key(switcher.field, Qt.Key.Key_Return)
            assert window.chat.conversation_id == "c2c_dave"
            assert "c2c_dave" in app.list_row_ids()

            # Esc closes it and leaves the keys in the chat; so does a second Ctrl+K's field.
            await _open_switcher(app)
            QTest.keyClicks(switcher.field, "nobody here")
            assert switcher.results() == [] and switcher.empty.isVisible()
            key(switcher.field, Qt.Key.Key_Escape)
            assert not switcher.isVisible()
            assert window.chat.conversation_id == "c2c_dave"
            assert window.chat.composer.edit.hasFocus()
        finally:
            await app.close()

    arun(scenario())


def test_between_chats_pages_and_escape(
        qapp: QApplication, arun: Arun, service: Service, tmp_path: Path,
        gui_peers: Callable[..., Peer]) -> None:
    bob, carol, dave = gui_peers("bob"), gui_peers("carol"), gui_peers("dave")

    async def scenario() -> None:
        app = await open_app(service, "alice", tmp_path / "alice")
        window = app.window
        try:
            group_id = await _world(app, bob, carol, dave)
            await app.client.group_manager.create_group(GroupType.WORK, "Chess")
            await app.client.message_manager.send_message(
                app.client.message_manager.create_text_message("hello readers"),
                group_id=group_id)
            await until(lambda: len(app.list_row_ids()) >= 3, what="three chats")
            order = app.list_row_ids()
            assert order[0] == "group_" + group_id

            # Alt+Shift+↓ from no chat: the first chat with unread messages, then the next.
            unread = [c for c in order if app.unread(c) > 0]
            assert unread == ["c2c_bob", "c2c_carol"]
            key(window, Qt.Key.Key_Down, ALT | SHIFT)
            assert window.chat.conversation_id == unread[0]
            key(None, Qt.Key.Key_Down, ALT | SHIFT)
            assert window.chat.conversation_id == unread[1]
            key(None, Qt.Key.Key_Down, ALT | SHIFT)  # none further down: it stays
            assert window.chat.conversation_id == unread[1]
            here = order.index(unread[1])

            # Alt+↑/↓, Ctrl+Tab, Ctrl+Shift+Tab, Ctrl+PgUp/PgDn: one chat up or down the list.
            steps = [(Qt.Key.Key_Up, ALT, -1), (Qt.Key.Key_Up, ALT, -1),
                     (Qt.Key.Key_Down, ALT, 1), (Qt.Key.Key_Tab, CTRL, 1),
                     (Qt.Key.Key_Backtab, CTRL | SHIFT, -1), (Qt.Key.Key_PageUp, CTRL, -1),
                     (Qt.Key.Key_PageUp, CTRL, -1), (Qt.Key.Key_PageDown, CTRL, 1),
                     (Qt.Key.Key_Up, ALT, -1), (Qt.Key.Key_Up, ALT, -1)]
            for k, mods, delta in steps:
                key(None, k, mods)
                here = max(0, min(len(order) - 1, here + delta))  # at either end it stays
                assert window.chat.conversation_id == order[here], (k, mods)
            assert window.chat.conversation_id == order[0]
            assert window.chat.composer.edit.hasFocus()

            # The list itself: ↓ opens the next chat and keeps the keys; Enter goes to the chat.
            window.list_pane.list.setFocus()
            key(window.list_pane.list, Qt.Key.Key_Down)
            assert window.chat.conversation_id == order[1]
            assert window.list_pane.list.hasFocus()
            key(window.list_pane.list, Qt.Key.Key_Return)
            assert window.chat.composer.edit.hasFocus()

            # The Menu key and Shift+F10 open the focused row's menu.
            window.list_pane.list.setFocus()
            for k, mods in ((Qt.Key.Key_Menu, Qt.KeyboardModifier.NoModifier),
                            (Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)):
                key(window.list_pane.list, k, mods)
                await until(lambda: isinstance(QApplication.activePopupWidget(), QMenu),
                            what="the row's menu")
                menu = QApplication.activePopupWidget()
                assert isinstance(menu, QMenu)
                assert any(a.text() == "Delete chat" for a in menu.actions())
                menu.close()

            # A message's menu from the keyboard: the current message, Shift+F10 or Menu.
            window.open_conversation("c2c_bob")
            chat = window.chat
            await until(lambda: chat.model.rowCount() > 0, what="bob's message")
            chat.timeline.setFocus()
            chat.timeline.setCurrentIndex(chat.model.index(chat.model.rowCount() - 1))
            for k, mods in ((Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier),
                            (Qt.Key.Key_Menu, Qt.KeyboardModifier.NoModifier)):
                key(chat.timeline, k, mods)
                await until(lambda: isinstance(QApplication.activePopupWidget(), QMenu),
                            what="the message's menu")
                menu = QApplication.activePopupWidget()
                assert isinstance(menu, QMenu)
                assert any(a.text() == "Delete for me" for a in menu.actions())
                menu.close()
            window.activateWindow()  # the popup had the keyboard
            await until(window.isActiveWindow, what="the window active again")

            # Esc closes the group pane, the keys back in the chat; while replying it cancels
            # the reply first and leaves the pane open.
            window.open_conversation("group_" + group_id)
            window.toggle_group_pane(group_id)
            assert window.group_pane.isVisible()
            await until(lambda: chat.model.rowCount() > 0, what="the group's messages")
            last = chat.model.index(chat.model.rowCount() - 1).data(TimelineRole.MESSAGE)
            chat.controller.reply(last)
            assert chat.composer.replying
            key(window.chat.composer.edit, Qt.Key.Key_Escape)
            assert not chat.composer.replying and window.group_pane.isVisible()
            key(window.chat.composer.edit, Qt.Key.Key_Escape)
            assert not window.group_pane.isVisible()
            assert window.chat.composer.edit.hasFocus()
            # With nothing to close, Esc in the message list gives the keys to the message box.
            window.chat.timeline.setFocus()
            key(window.chat.timeline, Qt.Key.Key_Escape)
            assert window.chat.composer.edit.hasFocus()

            # Ctrl+2: Contacts with its list focused; Esc closes a card there.
            key(None, Qt.Key.Key_2, CTRL)
            assert window.pages.currentIndex() == Page.CONTACTS
            assert window.rail.buttons[Page.CONTACTS].isChecked()
            page = window.contacts_page
            page.show_user("dave")
            assert page.right.currentWidget() is page.card
            page.list.setFocus()
            key(page.list, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
            await until(lambda: isinstance(QApplication.activePopupWidget(), QMenu),
                        what="the friend's menu")
            menu = QApplication.activePopupWidget()
            assert isinstance(menu, QMenu) and menu.actions()
            menu.close()
            window.activateWindow()
            await until(window.isActiveWindow, what="the window active again")
            page.list.setFocus()
            key(page.list, Qt.Key.Key_Escape)
            assert page.right.currentWidget() is page.empty_pane
            key(None, Qt.Key.Key_3, CTRL)
            assert window.pages.currentIndex() == Page.GROUPS
            assert window.groups_page.list.hasFocus()
            key(None, Qt.Key.Key_1, CTRL)
            assert window.pages.currentIndex() == Page.CHATS
            assert window.chat.composer.edit.hasFocus()

            # Enter on a friend opens their chat; on a group, the group's.
            key(None, Qt.Key.Key_2, CTRL)
            page.show_user("carol")
            page.list.setFocus()
            key(page.list, Qt.Key.Key_Return)
            assert window.pages.currentIndex() == Page.CHATS
            assert window.chat.conversation_id == "c2c_carol"
            key(None, Qt.Key.Key_3, CTRL)
            groups = window.groups_page
            groups.show_group(group_id)
            groups.list.setFocus()
            key(groups.list, Qt.Key.Key_Return)
            assert window.pages.currentIndex() == Page.CHATS
            assert window.chat.conversation_id == "group_" + group_id
        finally:
            await app.close()

    arun(scenario())


def test_ctrl_q_quits_even_with_the_tray(qapp: QApplication, arun: Arun, service: Service,
                                         tmp_path: Path) -> None:
    data_dir = tmp_path / "app"
    tidings = TidingsApp(Options(data_dir=data_dir), qapp)

    async def scenario() -> None:
        await remember(data_dir, service, "alice")
        settings_file(data_dir, close_to_tray=True)
        await tidings.start()
        session = tidings.session
        assert session is not None
        await until(lambda: session.window is not None and session.window.isVisible(),
                    what="the main window")
        window = session.window
        assert window is not None
        window.hide_on_close = True  # closing would only hide it
        window.activateWindow()
        assert not tidings._quit.is_set()
        key(window, Qt.Key.Key_Q, CTRL)
        await until(tidings._quit.is_set, 5, "the app's quit")

    drive(arun, scenario, tidings)


def test_shortcuts_sheet_lists_every_shortcut(
        qapp: QApplication, arun: Arun, service: Service, tmp_path: Path,
        restore_look: None) -> None:  # noqa: F811
    async def scenario() -> None:
        app = await open_app(service, "alice", tmp_path / "alice")
        window = app.window
        try:
            apply_theme(qapp, "light")
            key(window, Qt.Key.Key_Slash, CTRL)
            sheets = [w for w in window.findChildren(ShortcutsSheet) if w.isVisible()]
            assert len(sheets) == 1
            sheet = sheets[0]
            names = {s.name for s in registry()}
            assert set(sheet.rows) == names
            assert {"quick_switcher", "find_in_chat", "search_messages", "edit_last", "send",
                    "newline", "new_chat", "quit", "close"} <= names
            label, caps = sheet.rows["quick_switcher"]
            assert label.text() == "Go to a chat, contact or group"
            assert caps.combos == [["Ctrl", "K"]]
            assert sheet.rows["next_chat"][1].combos == [["Alt", "↓"], ["Ctrl", "Tab"],
                                                         ["Ctrl", "PgDn"]]
            assert sheet.rows["send"][1].combos == [["Enter"]]
            assert sheet.rows["newline"][1].combos == [["Shift", "Enter"]]
            assert sheet.rows["viewer_zoom"][1].combos == [["+"], ["−"]]
            assert sheet.rows["previous_chat"][1].combos == [
                ["Alt", "↑"], ["Ctrl", "Shift", "Tab"], ["Ctrl", "PgUp"]]
            deliver_posted_events()
            save_screenshot(sheet, "shortcuts-light", FOLDER)

            # The send key setting changes what the sheet says sends.
            app.settings.send_key = "ctrl_enter"
            assert sheet.rows["send"][1].combos == [["Ctrl", "Enter"]]
            assert sheet.rows["newline"][1].combos == [["Enter"], ["Shift", "Enter"]]
            app.settings.send_key = "enter"

            apply_theme(qapp, "dark")
            deliver_posted_events()
            save_screenshot(sheet, "shortcuts-dark", FOLDER)
            install_language(qapp, "zh_CN")
            deliver_posted_events()
            # Keys keep the names printed on them (Qt's own words would be 回车, 下方向).
            assert sheet.rows["next_chat"][1].combos == [["Alt", "↓"], ["Ctrl", "Tab"],
                                                         ["Ctrl", "PgDn"]]
            assert sheet.rows["send"][1].combos == [["Enter"]]
            save_screenshot(sheet, "shortcuts-dark-zh", FOLDER)
            install_language(qapp, "en")
            sheet.reject()
            await until(lambda: window._shortcuts_sheet is None, what="the sheet closed")

            # From Settings (Ctrl+,) too, over it.
            key(window, Qt.Key.Key_Comma, CTRL)
            settings = window._settings_dialog
            assert settings is not None and settings.isVisible()
            settings.shortcuts_button.click()
            sheet = window._shortcuts_sheet
            assert sheet is not None and sheet.isVisible() and sheet.parent() is settings
            sheet.reject()
            settings.accept()
            await until(lambda: window._settings_dialog is None, what="settings closed")

            # My avatar on the rail is a key stop: Space opens the account menu, which has
            # the sheet too.
            avatar = window.rail.avatar
            avatar.setFocus(Qt.FocusReason.TabFocusReason)
            assert avatar.hasFocus()
            key(avatar, Qt.Key.Key_Space)
            await until(lambda: isinstance(QApplication.activePopupWidget(), QMenu),
                        what="the account menu")
            menu = QApplication.activePopupWidget()
            assert isinstance(menu, QMenu)
            entry = next(a for a in menu.actions() if a.text() == "Keyboard shortcuts")
            menu.close()
            entry.trigger()
            assert window._shortcuts_sheet is not None
            window._shortcuts_sheet.reject()
        finally:
            await app.close()

    arun(scenario())


def test_no_two_shortcuts_share_keys(qapp: QApplication) -> None:
    """Within the window, one key does one thing (the viewer has keys of its own; Enter sends
    in the message box and opens a row in a list)."""
    seen: dict[str, str] = {}
    for shortcut in registry():
        if shortcut.category.name == "VIEWER" or shortcut.name in ("send", "open_row"):
            continue
        for keys in shortcut.keys:
            portable = QKeySequence(keys).toString()
            assert portable not in seen, f"{keys}: {shortcut.name} and {seen[portable]}"
            seen[portable] = shortcut.name
    for send_key in ("enter", "ctrl_enter"):
        send, newline = (next(s for s in registry(send_key) if s.name == name)
                         for name in ("send", "newline"))
        assert not set(send.keys) & set(newline.keys)


def test_emoji_from_the_keyboard(qtbot: QtBot, qapp: QApplication, tmp_path: Path) -> None:
    """Space on the emoji button opens the panel with its field focused; the arrows walk the
    grid, Enter inserts the highlighted emoji (the first match without one), Esc closes."""
    settings = AppSettings(tmp_path / "settings.ini")
    composer = Composer(settings)
    qtbot.addWidget(composer)
    composer.resize(560, 120)
    composer.show()
    qtbot.waitExposed(composer)
    composer.emoji_button.setFocus()
    key(composer.emoji_button, Qt.Key.Key_Space)
    picker = composer.emoji_picker
    assert picker is not None and picker.isVisible() and picker.search.hasFocus()
    grid = picker.grid
    people = grid.sections[0].emoji
    key(picker.search, Qt.Key.Key_Down)  # the first emoji
    assert grid.current == people[0]
    key(picker.search, Qt.Key.Key_Right)
    key(picker.search, Qt.Key.Key_Down)
    assert grid.current == people[1 + 9]
    key(picker.search, Qt.Key.Key_Up)
    key(picker.search, Qt.Key.Key_Left)
    assert grid.current == people[0]
    key(picker.search, Qt.Key.Key_Return)
    assert composer.text() == people[0]
    # Typing starts over from the matches; Enter takes the first, or the one moved to.
    QTest.keyClicks(picker.search, "cat face")
    assert grid.current == ""
    key(picker.search, Qt.Key.Key_Down)
    first = grid.current
    key(picker.search, Qt.Key.Key_Right)
    second = grid.current
    assert first and second and second != first
    key(picker.search, Qt.Key.Key_Return)
    assert composer.text() == people[0] + second
    key(picker.search, Qt.Key.Key_Escape)
    assert not picker.isVisible()
