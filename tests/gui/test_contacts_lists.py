"""The Contacts page's two managed lists, against the real service with the other people as
real SDK clients: the people I block (blocked from a card, from another device, unblocked
here — and then able to ask again), and friend groups (made from a friend's menu, a friend
moved in and out from the list and from their card, renamed and deleted from a heading)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from app.protocol.friends import AllowType
from app.ui.i18n import install_language
from app.ui.models.friends import Kind, Role
from app.ui.theme import apply_theme
from app.ui.views.friend_groups import GroupNameDialog
from app.ui.views.nav_rail import Page
from tests.gui.chat_helpers import App, open_app
from tests.gui.conftest import deliver_posted_events, save_screenshot, until
from tests.support.clients import Peer
from tests.support.service import Service

Arun = Callable[..., Any]
FOLDER = "contacts"


async def _friends_with(app: App, peers: list[tuple[Peer, str]]) -> None:
    """Each peer (named as given) takes anyone, and is in alice's list both ways."""
    for peer, nick in peers:
        await peer.client.set_self_info(nick=nick, allow_type=int(AllowType.ALLOW_ANY))
        await app.client.friendship_manager.add_friend(peer.user_id)
    page = app.window.contacts_page
    await until(lambda: all(page.model.row_of(p.user_id) >= 0 for p, _ in peers),
                what="the friends listed")


def _destroy(box: QMessageBox) -> None:
    button = next(b for b in box.buttons()
                  if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole)
    button.click()


def _headings(app: App) -> list[str]:
    model = app.window.contacts_page.model
    return [model.index(r).data() for r in range(model.rowCount())
            if model.index(r).data(Role.KIND) == Kind.GROUP]


def _members(app: App, group: str) -> set[str]:
    """The friends listed under `group`'s heading."""
    model = app.window.contacts_page.model
    under, found = "", set()
    for r in range(model.rowCount()):
        index = model.index(r)
        if index.data(Role.KIND) == Kind.GROUP:
            under = index.data()
        elif index.data(Role.KIND) == Kind.FRIEND and under == group:
            found.add(index.data(Role.USER_ID))
    return found


def _row(app: App, kind: Kind, text: str) -> QModelIndex:
    model = app.window.contacts_page.model
    for r in range(model.rowCount()):
        index = model.index(r)
        if index.data(Role.KIND) == kind and (
                index.data() == text or index.data(Role.USER_ID) == text):
            return index
    raise AssertionError(f"no {kind.name} row {text}")


def _menu_of(app: App, index: QModelIndex) -> QMenu:
    """Right-click a row of the friend list; the menu that opens."""
    page = app.window.contacts_page
    page.menu = None
    page.list.customContextMenuRequested.emit(page.list.visualRect(index).center())
    assert page.menu is not None
    return page.menu


def _action(menu: QMenu, text: str) -> QAction:
    return next(a for a in menu.actions() if a.text().startswith(text))


def _name_dialog(app: App) -> GroupNameDialog:
    dialog = app.window.contacts_page.group_actions.dialog
    assert isinstance(dialog, GroupNameDialog) and dialog.isVisible()
    return dialog


def test_block_list_and_unblock(
    qtbot: QtBot, qapp: QApplication, service: Service, gui_peers: Callable[..., Peer],
    tmp_path: Path, arun: Arun,
) -> None:
    bob, carol = gui_peers("bob"), gui_peers("carol")

    async def scenario() -> None:
        app = await open_app(service, "alice", tmp_path / "alice")
        window, page = app.window, app.window.contacts_page
        apply_theme(qapp, "light")
        try:
            await _friends_with(app, [(bob, "Bob Stone"), (carol, "Carol Wu")])
            window.rail.buttons[Page.CONTACTS].click()
            assert not page.blocked_entry.badge.isVisible()
            page.blocked_entry.click()
            assert page.right.currentWidget() is page.blocked
            assert page.blocked.empty.isVisible() and not page.blocked.rows
            save_screenshot(window, "contacts-blocked-list-empty-light", FOLDER)

            # carol from her card, bob from another of alice's devices (the SDK here)
            page.show_user("carol")
            assert not page.blocked_entry.isChecked()
            page.card.block_button.click()
            box = page.card.confirmation
            assert box is not None
            _destroy(box)
            await until(lambda: page.blocked_entry.badge.text() == "1",
                        what="one blocked")
            await app.client.friendship_manager.add_to_black_list(["bob"])
            await until(lambda: page.blocked_entry.badge.text() == "2", what="two blocked")
            page.blocked_entry.click()
            await until(lambda: [r.entry.user_id for r in page.blocked.rows]
                        == ["bob", "carol"], what="both listed, newest first")
            row = page.blocked.rows[1]
            assert row.who.text() == "Carol Wu" and row.details.text().startswith("carol")
            assert not page.blocked.empty.isVisible()
            save_screenshot(window, "contacts-blocked-list-light", FOLDER)
            apply_theme(qapp, "dark")
            deliver_posted_events()
            save_screenshot(window, "contacts-blocked-list-dark", FOLDER)
            install_language(qapp, "zh_CN")
            deliver_posted_events()
            assert page.blocked.rows[0].unblock_button.text() != "Unblock"
            save_screenshot(window, "contacts-blocked-list-dark-zh", FOLDER)
            install_language(qapp, "en")
            deliver_posted_events()

            # Unblock carol here: gone from the list, and she may ask again
            page.blocked.rows[1].unblock_button.click()
            await until(lambda: [r.entry.user_id for r in page.blocked.rows] == ["bob"],
                        what="carol unblocked")
            assert page.blocked_entry.badge.text() == "1"
            await until(lambda: "alice" not in {
                e.user_id for e in carol.client.friendship_manager._shown.black.values()}
                        , what="settled")
            asked = await carol.client.friendship_manager.add_friend("alice")
            assert asked is not None and asked.result_code != 30525
            # a row opens that person's card
            page.blocked.rows[0].clicked.emit("bob")
            assert page.right.currentWidget() is page.card and page.card.user_id == "bob"
            assert page.card.block_button.text() == "Unblock"
        finally:
            apply_theme(qapp, "light")
            install_language(qapp, "en")
            await app.close()

    arun(scenario(), timeout=120)


def test_friend_groups_create_move_rename_delete(
    qtbot: QtBot, qapp: QApplication, service: Service, gui_peers: Callable[..., Peer],
    tmp_path: Path, arun: Arun,
) -> None:
    bob, carol, dave = gui_peers("bob"), gui_peers("carol"), gui_peers("dave")

    async def scenario() -> None:
        app = await open_app(service, "alice", tmp_path / "alice")
        window, page = app.window, app.window.contacts_page
        apply_theme(qapp, "light")
        try:
            await _friends_with(app, [(bob, "Bob Stone"), (carol, "Carol Wu"), (dave, "张伟")])
            window.rail.buttons[Page.CONTACTS].click()
            assert _headings(app) == []  # no groups: just letters

            # a new group from bob's menu, with bob in it
            menu = _menu_of(app, _row(app, Kind.FRIEND, "bob"))
            _action(menu, "New group with Bob Stone").trigger()
            dialog = _name_dialog(app)
            assert not dialog.ok_button.isEnabled()
            QTest.keyClicks(dialog.name, "Work")
            dialog.ok_button.click()
            await until(lambda: _members(app, "Work") == {"bob"}, what="bob in Work")
            assert _headings(app) == ["", "Work"]  # the rest under "My friends"

            # a name already taken is refused before sending
            menu = _menu_of(app, _row(app, Kind.FRIEND, "carol"))
            _action(menu, "New group with Carol Wu").trigger()
            dialog = _name_dialog(app)
            QTest.keyClicks(dialog.name, "Work")
            assert not dialog.ok_button.isEnabled() and "already" in dialog.hint.text()
            dialog.name.setText("Family")
            dialog.ok_button.click()
            await until(lambda: _members(app, "Family") == {"carol"}, what="carol in Family")

            # carol into Work too, from the list's menu (a friend may be in several)
            menu = _menu_of(app, _row(app, Kind.FRIEND, "carol"))
            work = _action(menu, "Work")
            assert work.isCheckable() and not work.isChecked()
            assert _action(menu, "Family").isChecked()
            work.trigger()
            await until(lambda: _members(app, "Work") == {"bob", "carol"},
                        what="carol in Work")
            # dave into Work from his card's Change menu
            page.show_user("dave")
            card = page.card
            assert card.groups_row.isVisible() and card.groups.text() == "In no group"
            card.groups_menu.aboutToShow.emit()
            _action(card.groups_menu, "Work").trigger()
            await until(lambda: card.groups.text() == "Work", what="the card says Work")
            assert _members(app, "Work") == {"bob", "carol", "dave"}
            save_screenshot(window, "contacts-friend-groups-light", FOLDER)

            # bob out of Work
            menu = _menu_of(app, _row(app, Kind.FRIEND, "bob"))
            _action(menu, "Work").trigger()
            await until(lambda: _members(app, "Work") == {"carol", "dave"},
                        what="bob out of Work")

            # rename Work from its heading
            menu = _menu_of(app, _row(app, Kind.GROUP, "Work"))
            _action(menu, "Rename group").trigger()
            dialog = _name_dialog(app)
            assert dialog.name.text() == "Work"
            dialog.name.setText("Work friends")
            dialog.ok_button.click()
            await until(lambda: _members(app, "Work friends") == {"carol", "dave"}
                        and "Work" not in _headings(app), what="renamed")
            await until(lambda: card.groups.text() == "Work friends", what="the card follows")
            assert card.user_id == "dave"  # rows moved by the rename: the card stays
            assert page.list.currentIndex().data(Role.USER_ID) == "dave"
            apply_theme(qapp, "dark")
            deliver_posted_events()
            save_screenshot(window, "contacts-friend-groups-dark", FOLDER)
            install_language(qapp, "zh_CN")
            deliver_posted_events()
            save_screenshot(window, "contacts-friend-groups-dark-zh", FOLDER)
            install_language(qapp, "en")
            deliver_posted_events()

            # delete Family, asked first: carol stays a friend
            menu = _menu_of(app, _row(app, Kind.GROUP, "Family"))
            _action(menu, "Delete group").trigger()
            box = page.group_actions.dialog
            assert isinstance(box, QMessageBox)
            _destroy(box)
            await until(lambda: "Family" not in _headings(app), what="Family deleted")
            assert page.model.row_of("carol") >= 0
            assert page.group_actions.names == ["Work friends"]

            # an empty group from the default heading keeps its heading, with 0
            menu = _menu_of(app, _row(app, Kind.GROUP, ""))
            assert [a.text() for a in menu.actions()] == ["New group…"]
            _action(menu, "New group").trigger()
            dialog = _name_dialog(app)
            QTest.keyClicks(dialog.name, "Later")
            dialog.ok_button.click()
            await until(lambda: "Later" in _headings(app), what="the empty group shown")
            later = _row(app, Kind.GROUP, "Later")
            assert later.data(Role.COUNT) == 0
            await until(lambda: page.group_actions.names == ["Work friends", "Later"],
                        what="the service's word")
            apply_theme(qapp, "light")
            deliver_posted_events()
            save_screenshot(window, "contacts-friend-groups-after-light", FOLDER)
        finally:
            apply_theme(qapp, "light")
            install_language(qapp, "en")
            await app.close()

    arun(scenario(), timeout=120)
