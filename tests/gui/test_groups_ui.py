"""Groups as a user meets them in the window: the rail's Groups page (create, join, the requests
inbox), a group's pane (profile, members, leaving) on the page and beside its chat — against the
real service, with other members as real SDK clients whose view of the group must follow."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.protocol.groups import GroupRole, GroupType
from app.ui.i18n import install_language
from app.ui.media.bubbles import kind_of
from app.ui.models.timeline import Role
from app.ui.theme import apply_theme
from app.ui.views.nav_rail import Page
from tests.gui.chat_helpers import App, menu_texts, open_app, trigger_action
from tests.gui.conftest import deliver_posted_events, save_screenshot, until
from tests.support.clients import Peer
from tests.support.service import Service

Arun = Callable[..., Any]


def _type_with_input_method(widget: QWidget, text: str) -> None:
    """Text as an input method commits it (how Chinese is typed; key clicks are ASCII)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def _members(app: App) -> set[str]:
    return {m.user_id for m in app.window.groups_page.pane.members.model.members()}


async def _create(app: App, qtbot: QtBot, name: str, group_type: GroupType,
                  members: list[str]) -> str:
    """Through the page's New group dialog, as a user fills it in."""
    page = app.window.groups_page
    page.new_button.click()
    dialog = page.create_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.type_buttons[group_type].click()
    QTest.keyClicks(dialog.name, name)
    for user_id in members:
        dialog.picker.add_user(user_id)
    assert dialog.create_button.isEnabled()
    created: list[str] = []
    dialog.created.connect(created.append)
    dialog.create_button.click()
    await until(lambda: bool(created), what="the group created")
    await until(lambda: page.model.row_of(created[0]) >= 0, what="the group listed")
    return created[0]


async def _club_with_a_line_from(app: App, qtbot: QtBot, bob: Peer, text: str
                                 ) -> tuple[str, Any]:
    """A Public club of mine with bob in it, open in the chat, with his ``text`` shown."""
    gid = await _create(app, qtbot, "Club", GroupType.PUBLIC, ["bob"])
    await until(lambda: bob.client.group_manager.cached_group(gid) is not None,
                what="bob in the club")
    line = bob.mm.create_text_message(text)
    await bob.mm.send_message(line, group_id=gid)
    app.window.open_conversation("group_" + gid)
    chat = app.window.chat
    await until(lambda: chat.model.row_of(line.msg_id) >= 0, what="bob's message")
    return gid, line


def test_create_manage_and_decide_a_request(
    qtbot: QtBot, qapp: QApplication, service: Service, gui_peers: Callable[..., Peer],
    tmp_path: Path, arun: Arun,
) -> None:
    bob, carol = gui_peers("bob"), gui_peers("carol")

    async def scenario() -> None:
        app = await open_app(service, "alice", tmp_path / "alice")
        window, page = app.window, app.window.groups_page
        apply_theme(qapp, "light")
        try:
            window.rail.buttons[Page.GROUPS].click()
            assert window.pages.currentWidget() is page
            assert page.empty_list.isVisible() and not page.list.isVisible()
            save_screenshot(window, "groups-empty-light", "groups")

            gid = await _create(app, qtbot, "Night Runners", GroupType.PUBLIC, ["bob"])
            pane = page.pane
            await until(lambda: page.right.currentWidget() is pane and pane.group_id == gid,
                        what="the new group managed")
            assert pane.title.text() == "Night Runners"
            assert pane.leave_button.text() == "Dismiss group"  # the owner of a Public group
            await until(lambda: _members(app) == {"alice", "bob"}, what="both members listed")
            owner = pane.members.model.member("alice")
            assert owner is not None and owner.role == GroupRole.OWNER
            await until(lambda: bob.client.group_manager.cached_group(gid) is not None,
                        what="bob has the group")

            # the profile, edited in the pane, is what the other members see
            assert not pane.save_button.isEnabled()
            pane.name.selectAll()
            QTest.keyClicks(pane.name, "Night Runners Club")
            QTest.keyClicks(pane.introduction, "Thursdays, 9 pm, by the river")
            assert pane.save_button.isEnabled()
            pane.save_button.click()
            await until(lambda: (g := bob.client.group_manager.cached_group(gid)) is not None
                        and g.name == "Night Runners Club"
                        and g.introduction == "Thursdays, 9 pm, by the river",
                        what="bob sees the new profile")
            assert page.model.group(gid).name == "Night Runners Club"  # type: ignore[union-attr]
            assert not pane.save_button.isEnabled()
            # a field over the service's byte limit cannot be saved, and says which
            pane.name.selectAll()
            _type_with_input_method(pane.name, "长" * 11)  # 33 bytes > 30
            assert not pane.save_button.isEnabled() and pane.notice.isVisible()
            assert "Name" in pane.notice.text()
            pane.revert_button.click()
            assert pane.name.text() == "Night Runners Club" and not pane.save_button.isEnabled()
            assert not pane.notice.isVisible()

            # carol asks to join; alice sees it on the rail, decides in the inbox
            assert await carol.client.group_manager.join_group(gid, "I run 10k") == "pending"
            await until(lambda: window.rail.buttons[Page.GROUPS].badge == 1,
                        what="the request on the rail")
            assert "1" in page.requests_button.text()
            await until(lambda: pane.tabs.tabText(2) == "Requests (1)",
                        what="the pane's Requests tab counts it")
            page.requests_button.click()
            assert page.right.currentWidget() is page.inbox
            await until(lambda: len(page.inbox.rows) == 1, what="the request shown")
            row = page.inbox.rows[0]
            assert row.who.text() == "carol" and "I run 10k" in row.message.text()
            assert "Night Runners Club" in row.details.text()  # the inbox names the group
            save_screenshot(window, "groups-requests-light", "groups")
            row.accept_button.click()
            await until(lambda: carol.client.group_manager.cached_group(gid) is not None,
                        what="carol is in")
            await until(lambda: window.rail.buttons[Page.GROUPS].badge == 0 and
                        not page.inbox.rows, what="the request gone")

            # back to the group: carol is among the members without a reload
            page.show_group(gid)
            await until(lambda: _members(app) == {"alice", "bob", "carol"},
                        what="carol listed")
            save_screenshot(window, "groups-pane-light", "groups")
            apply_theme(qapp, "dark")
            deliver_posted_events()
            save_screenshot(window, "groups-pane-dark", "groups")
            install_language(qapp, "zh_CN")
            deliver_posted_events()
            assert page.new_button.text() != "New group"
            save_screenshot(window, "groups-pane-dark-zh", "groups")
        finally:
            install_language(qapp, "en")
            apply_theme(qapp, "light")
            await app.close()

    arun(scenario(), timeout=120)


def test_the_pane_beside_a_group_chat_and_leaving(
    qtbot: QtBot, qapp: QApplication, service: Service, gui_peers: Callable[..., Peer],
    tmp_path: Path, arun: Arun,
) -> None:
    bob = gui_peers("bob")

    async def scenario() -> None:
        app = await open_app(service, "alice", tmp_path / "alice")
        gid = await bob.client.group_manager.create_group(
            GroupType.WORK, "Design team", member_list=["alice"])
        window = app.window
        try:
            await until(lambda: window.groups_page.model.row_of(gid) >= 0,
                        what="the group on the Groups page")
            window.open_conversation("group_" + gid)
            assert window.chat.conversation_id == "group_" + gid
            assert not window.group_pane.isVisible()
            window.chat.header.info_button.click()
            pane = window.group_pane
            await until(lambda: pane.isVisible() and pane.group_id == gid
                        and pane.members.model.member("bob") is not None,
                        what="the pane beside the chat")
            assert window.chat.width() >= 360
            # a Work group's member may rename it but not dismiss it; Leave is offered
            assert not pane.name.isReadOnly()
            assert pane.leave_button.text() == "Leave group"
            assert not pane.tabs.isTabVisible(2)  # nobody decides requests in a Work group
            save_screenshot(window, "groups-beside-chat-light", "groups")
            # bob renames the group: the pane and the chat header follow
            await bob.client.group_manager.set_group_info(gid, name="Design crew")
            await until(lambda: pane.title.text() == "Design crew", what="the pane follows")
            await until(lambda: window.groups_page.model.group(gid) is not None
                        and window.groups_page.model.group(gid).name == "Design crew",  # type: ignore[union-attr]
                        what="the list follows")
            # the header's button closes it again
            window.chat.header.info_button.click()
            assert not pane.isVisible()
            window.chat.header.info_button.click()
            await until(lambda: pane.isVisible(), what="opened again")
            # leaving, after a confirmation
            pane.leave_button.click()
            box = pane.confirmation
            assert box is not None and box.isVisible()
            leave = next(b for b in box.buttons() if b.text() == "Leave")
            leave.click()
            await until(lambda: bob.client.group_manager.cached_group(gid) is not None and
                        bob.client.group_manager.cached_group(gid).member_count == 1,  # type: ignore[union-attr]
                        what="bob sees alice leave")
            await until(lambda: window.groups_page.model.row_of(gid) < 0,
                        what="the group left the list")
            assert not pane.invite_button.isVisible() and not pane.message_button.isVisible()
            assert "no longer a member" in pane.notice.text()
        finally:
            await app.close()

    arun(scenario(), timeout=120)


def test_join_by_id_from_the_page(
    qtbot: QtBot, qapp: QApplication, service: Service, gui_peers: Callable[..., Peer],
    tmp_path: Path, arun: Arun,
) -> None:
    bob = gui_peers("bob")

    async def scenario() -> None:
        app = await open_app(service, "alice", tmp_path / "alice")
        gid = await bob.client.group_manager.create_group(GroupType.MEETING, "Standup")
        window, page = app.window, app.window.groups_page
        try:
            window.rail.buttons[Page.GROUPS].click()
            page.join_button.click()
            dialog = page.join_dialog
            assert dialog is not None and dialog.isVisible()
            QTest.keyClicks(dialog.group_id, gid)
            QTest.keyClick(dialog.group_id, Qt.Key.Key_Return)
            await until(lambda: dialog.card.isVisible(), what="the group found")
            assert dialog.name.text() == "Standup"
            save_screenshot(dialog, "groups-join-light", "groups")
            dialog.join_button.click()
            await until(lambda: page.pane.group_id == gid and page.model.row_of(gid) >= 0,
                        what="joined and shown")
            await until(lambda: bob.client.group_manager.cached_group(gid) is not None
                        and bob.client.group_manager.cached_group(gid).member_count == 2,  # type: ignore[union-attr]
                        what="bob sees alice join")
        finally:
            await app.close()

    arun(scenario(), timeout=120)


def test_the_owner_recalls_a_members_message(
    qtbot: QtBot, qapp: QApplication, service: Service, gui_peers: Callable[..., Peer],
    tmp_path: Path, arun: Arun,
) -> None:
    bob = gui_peers("bob")

    async def scenario() -> None:
        app = await open_app(service, "alice", tmp_path / "alice")
        window = app.window
        try:
            _gid, spam = await _club_with_a_line_from(app, qtbot, bob, "buy cheap watches")
            chat = window.chat
            entries = menu_texts(chat, spam.msg_id)
            assert "Recall" in entries and "Re-edit" not in entries
            trigger_action(chat, spam.msg_id, "Recall")
            delegate = chat.timeline.delegate

            def shown() -> str:
                msg = chat.model.index(chat.model.row_of(spam.msg_id)).data(Role.MESSAGE)
                return delegate.media.service_text(msg, kind_of(msg), delegate.name_of(msg))
            await until(lambda: shown() == "You recalled a message from bob",
                        what="the recall in alice's chat")
            assert "buy cheap watches" not in app.timeline_texts()
            await until(lambda: spam.msg_id in bob.recorder.revoked, what="bob told")
            assert "Recall" not in menu_texts(chat, spam.msg_id)
            save_screenshot(window, "groups-recall-light", "groups")
        finally:
            await app.close()

    arun(scenario(), timeout=120)



def test_notices_wait_in_the_system_conversation(
    qtbot: QtBot, qapp: QApplication, service: Service, gui_peers: Callable[..., Peer],
    tmp_path: Path, arun: Arun,
) -> None:
    bob = gui_peers("bob")

    async def scenario() -> None:
        app = await open_app(service, "alice", tmp_path / "alice")
        window = app.window
        await app.close()  # away while it happens
        gm = bob.client.group_manager
        club = await gm.create_group(GroupType.WORK, "Club")
        await gm.invite_user_to_group(club, ["alice"])
        await gm.kick_group_member(club, ["alice"])
        install_language(qapp, "zh_CN")
        app = await open_app(service, "alice", tmp_path / "alice")
        window = app.window
        try:
            system = "c2c_@TIM#SYSTEM"
            await until(lambda: window.conversations.row_of(system) >= 0,
                        what="the system conversation listed")
            await until(lambda: window.conversations.conversation(system).unread_count == 2,
                        what="both notices unread")
            assert window.conversations.conversation(system).show_name == "群通知"
            window.open_conversation(system)
            chat = window.chat
            await until(lambda: chat.model.rowCount() >= 2, what="the notices shown")
            delegate = chat.timeline.delegate
            lines = []
            for row in range(chat.model.rowCount()):
                msg = chat.model.index(row).data(Role.MESSAGE)
                lines.append(delegate.media.service_text(msg, kind_of(msg), ""))
            assert lines[-2:] == ["bob 邀请你加入“Club”", "bob 将你移出了“Club”"], lines
            assert not chat.composer.isVisible()
            await until(lambda: window.conversations.conversation(system).unread_count == 0,
                        what="read once open")
            save_screenshot(window, "groups-notices-zh", "groups")
        finally:
            install_language(qapp, "en")
            await app.close()

    arun(scenario(), timeout=120)


def test_a_members_card_opens_from_their_avatar_and_the_member_list(
    qtbot: QtBot, qapp: QApplication, service: Service, gui_peers: Callable[..., Peer],
    tmp_path: Path, arun: Arun,
) -> None:
    bob = gui_peers("bob")

    async def scenario() -> None:
        app = await open_app(service, "alice", tmp_path / "alice")
        window = app.window
        try:
            gid, hello = await _club_with_a_line_from(app, qtbot, bob, "hello club")
            chat = window.chat
            index = chat.model.index(chat.model.row_of(hello.msg_id))
            chat.timeline.scrollTo(index)
            geo = chat.timeline.delegate.geometry(
                QRectF(chat.timeline.visualRect(index)), index, chat.timeline.font())
            assert geo.avatar is not None
            spot = (geo.avatar + QPointF(10, 10)).toPoint()
            QTest.mouseClick(chat.timeline.viewport(), Qt.MouseButton.LeftButton, pos=spot)
            contacts = window.contacts_page
            await until(lambda: window.pages.currentWidget() is contacts
                        and contacts.card.user_id == "bob", what="bob's card from his avatar")

            window.rail.buttons[Page.GROUPS].click()
            page = window.groups_page
            page.show_group(gid)
            members = page.pane.members
            await until(lambda: "bob" in _members(app), what="the member list")
            member = next(m for m in members.model.members() if m.user_id == "bob")
            contacts.card.show_user("alice")  # someone else first, so the menu must change it
            menu = members.member_menu(member)
            next(a for a in menu.actions() if a.objectName() == "profile").trigger()
            await until(lambda: window.pages.currentWidget() is contacts
                        and contacts.card.user_id == "bob", what="bob's card from the list")
        finally:
            await app.close()

    arun(scenario(), timeout=120)
