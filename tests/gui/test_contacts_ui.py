"""Contacts as a user meets them in the window: the rail's Contacts page (friends by group and
letter, the search box, the "New friends" inbox with its badge), the Add friend dialog and a
friend's card — against the real service, with the other people as real SDK clients whose
lists must follow."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.protocol.friends import AcceptType, AllowType, ApplicationType
from app.ui.i18n import install_language
from app.ui.models.friends import Kind, Role
from app.ui.theme import apply_theme
from app.ui.views.nav_rail import Page
from tests.gui.chat_helpers import App, open_app
from tests.gui.conftest import deliver_posted_events, save_screenshot, until
from tests.support.clients import Peer
from tests.support.service import Service

Arun = Callable[..., Any]
FOLDER = "contacts"


def _rows(app: App) -> list[tuple[Kind, str]]:
    """What the list shows, top to bottom: (kind, text)."""
    model = app.window.contacts_page.model
    return [(model.index(r).data(Role.KIND), model.index(r).data())
            for r in range(model.rowCount())]


def _friend_ids(app: App) -> set[str]:
    return {f.user_id for f in app.window.contacts_page.model.friends()}


def _confirm(app: App) -> None:
    """Answer the card's Remove / Block question with its action."""
    box = app.window.contacts_page.card.confirmation
    assert box is not None and box.isVisible()
    button = next(b for b in box.buttons()
                  if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole)
    button.click()


async def _add(app: App, user_id: str, wording: str = "", remark: str = "") -> str:
    """Through the Add friend dialog, as a user fills it in; the sentence it ends with."""
    page = app.window.contacts_page
    page.add_button.click()
    dialog = page.add_dialog
    assert dialog is not None and dialog.isVisible()
    QTest.keyClicks(dialog.user_id, user_id)
    QTest.keyClicks(dialog.wording, wording)
    QTest.keyClicks(dialog.remark, remark)
    dialog.add_button.click()
    await until(lambda: dialog.result.text() not in ("", "Sending…"),
                what="the dialog's answer")
    return dialog.result.text()


def test_add_accept_remark_and_sections(
    qtbot: QtBot, qapp: QApplication, service: Service, gui_peers: Callable[..., Peer],
    tmp_path: Path, arun: Arun,
) -> None:
    bob, dave, erin = gui_peers("bob"), gui_peers("dave"), gui_peers("erin")

    async def scenario() -> None:
        await dave.client.set_self_info(nick="张伟", allow_type=int(AllowType.ALLOW_ANY),
                                        self_signature="在路上")
        await erin.client.set_self_info(allow_type=int(AllowType.DENY_ANY))
        await bob.client.set_self_info(nick="Bob Stone", self_signature="Out running")
        app = await open_app(service, "alice", tmp_path / "alice")
        await bob.mm.send_message(bob.mm.create_text_message("hi alice"), receiver="alice")
        window, page = app.window, app.window.contacts_page
        apply_theme(qapp, "light")
        try:
            window.rail.buttons[Page.CONTACTS].click()
            assert window.pages.currentWidget() is page
            assert page.empty_list.isVisible() and not page.list.isVisible()
            save_screenshot(window, "contacts-empty-light", FOLDER)

            # bob asks for confirmation: the request waits, shown as sent in the inbox
            said = await _add(app, "bob", wording="It's Alice from the run")
            assert "Request sent" in said, said
            save_screenshot(page.add_dialog, "contacts-add-sent-light", FOLDER)
            page.add_dialog.add_button.click()  # Done
            page.show_requests()
            await until(lambda: len(page.inbox.rows) == 1, what="the sent request listed")
            sent = page.inbox.rows[0]
            assert not sent.incoming and "waiting" in sent.details.text()
            await until(lambda: any(
                a.type == ApplicationType.COME_IN for a in
                bob.client.friendship_manager._shown.applications.values()),
                what="bob has the request")
            await bob.client.friendship_manager.accept_friend_application(
                "alice", AcceptType.AGREE_AND_ADD)
            await until(lambda: "bob" in _friend_ids(app), what="bob listed")
            await until(lambda: not page.inbox.rows, what="the request gone")

            # dave takes anyone: added at once; erin takes nobody: told so
            assert "is now in your friends" in await _add(app, "dave")
            page.add_dialog.add_button.click()
            assert "does not accept friend requests" in await _add(app, "erin")
            assert page.add_dialog.add_button.text() == "Add"  # stays open to correct the ID
            page.add_dialog.reject()
            assert "No user has the ID" in await _add(app, "nobody-here")
            page.add_dialog.reject()
            await until(lambda: _friend_ids(app) == {"bob", "dave"}, what="two friends")
            # sections: a Chinese name by its pinyin (张伟 under Z, after Bob Stone under B)
            await until(lambda: _rows(app) == [(Kind.LETTER, "B"), (Kind.FRIEND, "Bob Stone"),
                                               (Kind.LETTER, "Z"), (Kind.FRIEND, "张伟")],
                        what="A–Z sections")

            # the search box: remark, nickname, ID
            QTest.keyClicks(page.search, "zhang")
            assert _rows(app) == [] and page.empty_list.isVisible()
            page.search.clear()
            page.search.setText("伟")  # typed through an input method
            assert [t for k, t in _rows(app) if k == Kind.FRIEND] == ["张伟"]
            page.search.clear()

            # the card; a remark edited there renames the chat too
            page.show_user("bob")
            card = page.card
            assert page.right.currentWidget() is card and card.name.text() == "Bob Stone"
            assert card.signature.text() == "Out running"
            save_screenshot(window, "contacts-card-light", FOLDER)
            card.remark.setFocus()
            QTest.keyClicks(card.remark, "Bobby")
            card.remark.editingFinished.emit()
            await until(lambda: card.name.text() == "Bobby", what="the card renamed")
            await until(lambda: (c := app.listed("c2c_bob")) is not None
                        and c.show_name == "Bobby", what="the chat renamed")
            assert page.list.currentIndex().data(Role.USER_ID) == "bob"  # still selected
            apply_theme(qapp, "dark")
            deliver_posted_events()
            save_screenshot(window, "contacts-card-dark", FOLDER)
            install_language(qapp, "zh_CN")
            deliver_posted_events()
            assert page.add_button.text() != "Add friend"
            save_screenshot(window, "contacts-card-dark-zh", FOLDER)
            apply_theme(qapp, "light")
            deliver_posted_events()
            save_screenshot(window, "contacts-card-light-zh", FOLDER)
            install_language(qapp, "en")
            deliver_posted_events()

            # Message opens the chat; the chat header's person button brings the card back
            card.message_button.click()
            assert window.pages.currentIndex() == Page.CHATS
            assert window.chat.conversation_id == "c2c_bob"
            assert window.chat.header.info_button.isVisible()
            window.chat.header.info_button.click()
            assert window.pages.currentIndex() == Page.CONTACTS
            assert page.right.currentWidget() is card and card.user_id == "bob"
        finally:
            install_language(qapp, "en")
            apply_theme(qapp, "light")
            await app.close()

    arun(scenario(), timeout=120)


def test_incoming_request_badge_accept_and_block(
    qtbot: QtBot, qapp: QApplication, service: Service, gui_peers: Callable[..., Peer],
    tmp_path: Path, arun: Arun,
) -> None:
    carol, frank = gui_peers("carol"), gui_peers("frank")

    async def scenario() -> None:
        await carol.client.set_self_info(nick="Carol Wu")
        app = await open_app(service, "alice", tmp_path / "alice")
        window, page = app.window, app.window.contacts_page
        apply_theme(qapp, "dark")
        try:
            result = await carol.client.friendship_manager.add_friend(
                "alice", add_wording="We met at the book club")
            assert result is not None and result.result_code == 30539
            await frank.client.friendship_manager.add_friend("alice",
                                                             add_wording="你好，我是弗兰克")
            await until(lambda: window.rail.buttons[Page.CONTACTS].badge == 2,
                        what="the requests on the rail")
            window.rail.buttons[Page.CONTACTS].click()
            assert page.inbox_entry.badge.isVisible() and page.inbox_entry.badge.text() == "2"
            save_screenshot(window, "contacts-badge-dark", FOLDER)
            page.inbox_entry.click()
            await until(lambda: len(page.inbox.rows) == 2, what="both requests shown")
            # opening the inbox reads them: the badges go
            await until(lambda: window.rail.buttons[Page.CONTACTS].badge == 0
                        and not page.inbox_entry.badge.isVisible(), what="the requests read")
            row = next(r for r in page.inbox.rows if r.application.user_id == "carol")
            assert row.incoming and row.who.text() == "Carol Wu"
            assert "book club" in row.wording.text()
            save_screenshot(window, "contacts-requests-dark", FOLDER)
            install_language(qapp, "zh_CN")
            deliver_posted_events()
            save_screenshot(window, "contacts-requests-dark-zh", FOLDER)
            install_language(qapp, "en")
            deliver_posted_events()

            row = next(r for r in page.inbox.rows if r.application.user_id == "carol")
            row.accept_add_button.click()
            await until(lambda: "carol" in _friend_ids(app), what="carol listed")
            await until(lambda: carol.client.friendship_manager.cached_friend("alice")
                        is not None, what="alice in carol's list")
            row = next(r for r in page.inbox.rows if r.application.user_id == "frank")
            row.refuse_button.click()
            await until(lambda: not page.inbox.rows, what="the inbox empty")
            assert frank.client.friendship_manager.cached_friend("alice") is None
            save_screenshot(window, "contacts-requests-empty-dark", FOLDER)

            # block carol from her card: asked first, then out of both lists
            page.show_user("carol")
            page.card.block_button.click()
            _confirm(app)
            await until(lambda: "carol" not in _friend_ids(app), what="carol removed")
            await until(lambda: page.card.block_button.text() == "Unblock",
                        what="the card says blocked")
            assert page.card.relation.text() == "Blocked"
            await until(lambda: carol.client.friendship_manager.cached_friend("alice") is None,
                        what="carol lost alice too")
            blocked = await carol.client.friendship_manager.add_friend("alice")
            assert blocked is not None and blocked.result_code == 30525
            save_screenshot(window, "contacts-blocked-dark", FOLDER)
        finally:
            apply_theme(qapp, "light")
            install_language(qapp, "en")
            await app.close()

    arun(scenario(), timeout=120)
