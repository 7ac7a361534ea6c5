"""A group's members in the group pane: search, role filter, and what my role lets me do to each.

Right-click (or click) a member for a menu holding exactly the actions the group's type and my
role allow on that member — an admin sees Mute for ordinary members but not for the owner, a
Work group has no Mute at all — so nothing offered is refused for being out of rank. The
service still decides; when it refuses, its reason is shown (`notice`). What changed shows as
soon as the service answers (the answer's member replaces the row), and the group event that
follows changes nothing more.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.protocol import IMError
from app.protocol.groups import GroupMember, GroupUsersResp, MemberFilter
from app.protocol.groups import GroupRole as MemberRole
from app.protocol.ids import C2C_PREFIX
from app.sdk import IMClient
from app.ui.faces import faces_of
from app.ui.group_rights import GroupRights
from app.ui.group_texts import error_text, queued_text
from app.ui.i18n import Retranslatable
from app.ui.models.group_members import GroupMemberFilterModel, GroupMemberModel, display_name
from app.ui.models.group_members import Role as MemberItem
from app.ui.tasks import TaskGroup
from app.ui.theme import current_palette, theme_controller
from app.ui.views.group_confirm import confirm
from app.ui.views.send_preview import choice_button, choice_style
from app.ui.widgets.face_rows import repaint_rows
from app.ui.widgets.group_delegate import MemberRowDelegate
from app.ui.widgets.icons import tinted_icon
from app.ui.widgets.menu_key import open_menu_by_key

MUTE_CHOICES = (10 * 60, 60 * 60, 12 * 3600, 24 * 3600)
"""Mute durations offered, in seconds (the choices Telegram and QQ offer, roughly)."""

FILTERS = (MemberFilter.ALL, MemberFilter.OWNER | MemberFilter.ADMIN, MemberFilter.COMMON)


class GroupMembersPane(Retranslatable, QWidget):
    notice = Signal(str, bool)
    """A line for the pane's notice bar: text, is an error."""
    open_chat_requested = Signal(str)
    """A one-to-one chat with a member ("c2c_<id>")."""
    profile_requested = Signal(str)
    """A member's card (their user ID)."""

    def __init__(self, client: IMClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._tasks = TaskGroup("group members pane")
        self._rights = GroupRights("", MemberRole.NONE)
        self.confirmation: QMessageBox | None = None
        """The question on screen (kick, hand over), for tests and to close with the pane."""
        self.model = GroupMemberModel(client, self)
        self.proxy = GroupMemberFilterModel(self.model, self)
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self._search_action = QAction(self.search)
        self.search.addAction(self._search_action, QLineEdit.ActionPosition.LeadingPosition)
        self.filter_buttons = [choice_button(self) for _ in FILTERS]
        group = QButtonGroup(self)
        filter_row = QHBoxLayout()
        filter_row.setSpacing(6)
        for button, bits in zip(self.filter_buttons, FILTERS, strict=True):
            group.addButton(button)
            filter_row.addWidget(button)
            button.clicked.connect(lambda _c=False, b=bits: self.model.set_filter(b))
        filter_row.addStretch(1)
        self.filter_buttons[0].setChecked(True)
        self.list = QListView(self)
        faces = faces_of(client)
        self.list.setItemDelegate(MemberRowDelegate(client.me, self.list, faces))
        self.list.setModel(self.proxy)
        faces.arrived.connect(self._face_arrived)
        self.list.setUniformItemSizes(True)
        self.list.setMouseTracking(True)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        open_menu_by_key(self.list, self._context_menu)
        self.list.clicked.connect(self._clicked)
        self.status = QLabel(self)
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.setWordWrap(True)
        self.status.hide()
        top = QVBoxLayout()
        top.setContentsMargins(12, 10, 12, 8)
        top.setSpacing(8)
        top.addWidget(self.search)
        top.addLayout(filter_row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.status)
        self.search.textChanged.connect(self._on_search)
        for change in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset,
                       self.proxy.layoutChanged):
            change.connect(self._update_status)
        self.model.loading_changed.connect(self._update_status)
        self.model.load_failed.connect(lambda e: self.notice.emit(error_text(e), True))
        theme_controller().changed.connect(self._apply_theme)
        self._apply_theme()
        self.retranslate()

    # --- what is shown -------------------------------------------------------------------

    def show_group(self, group_id: str, rights: GroupRights) -> None:
        self._tasks.cancel_all()
        self._rights = rights
        self.search.clear()
        for button in self.filter_buttons[1:]:
            button.setVisible(rights.has_admins)
        self.filter_buttons[0].setChecked(True)
        self.model.show_group(group_id)

    def stop(self) -> None:
        self._tasks.cancel_all()
        self.model.stop()

    def set_rights(self, rights: GroupRights) -> None:
        """My role changed (made admin, handed the group): the menus follow; the rows stay."""
        self._rights = rights
        for button in self.filter_buttons[1:]:
            button.setVisible(rights.has_admins)

    def _on_search(self, text: str) -> None:
        self.proxy.set_query(text)
        self._update_status()

    def _update_status(self, *_args: object) -> None:
        if self.proxy.rowCount() == 0 and not self.model.loading:
            query = self.search.text().strip()
            self.status.setText(self.tr("No member matches “%1”.").replace("%1", query) if query
                                else self.tr("Nobody here with this role yet."))
            self.status.show()
        else:
            self.status.hide()

    # --- the menu ------------------------------------------------------------------------

    def _clicked(self, index: QModelIndex) -> None:
        self._context_menu(self.list.visualRect(index).center())

    def _face_arrived(self, url: str) -> None:
        def shows(index: QModelIndex) -> bool:
            member = index.data(MemberItem.MEMBER)
            return isinstance(member, GroupMember) and member.face_url == url
        repaint_rows(self.list, shows)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.list.indexAt(pos)
        member = index.data(MemberItem.MEMBER) if index.isValid() else None
        if isinstance(member, GroupMember):
            self.member_menu(member).popup(self.list.viewport().mapToGlobal(pos))

    def member_menu(self, member: GroupMember) -> QMenu:
        """The actions my role allows on `member` (built fresh: roles change)."""
        menu = QMenu(self)
        rights, me = self._rights, self._client.me
        mine = member.user_id == me

        def add(text: str, slot: Callable[[], None], name: str,
                into: QMenu = menu) -> QAction:
            action = QAction(text, into)
            action.setObjectName(name)
            action.triggered.connect(slot)
            into.addAction(action)
            return action

        if not mine:
            add(self.tr("View profile"), lambda: self.profile_requested.emit(member.user_id),
                "profile")
            add(self.tr("Send message"), lambda: self.open_chat_requested.emit(
                C2C_PREFIX + member.user_id), "message")
        add(self.tr("Copy user ID"), lambda: QGuiApplication.clipboard().setText(
            member.user_id), "copy-id")
        if mine:
            return menu
        menu.addSeparator()
        if rights.can_mute(member.role):
            mute = menu.addMenu(self.tr("Mute"))
            mute.setObjectName("mute")
            for seconds in MUTE_CHOICES:
                add(self._duration(seconds), lambda s=seconds: self.mute(member.user_id, s),
                    f"mute-{seconds}", mute)
            if MemberRowDelegate.muted_text(member):
                add(self.tr("Unmute"), lambda: self.mute(member.user_id, 0), "unmute")
        if rights.can_set_admin(member.role):
            if member.role == MemberRole.ADMIN:
                add(self.tr("Remove as admin"),
                    lambda: self.set_admin(member.user_id, False), "unset-admin")
            else:
                add(self.tr("Make admin"), lambda: self.set_admin(member.user_id, True),
                    "set-admin")
        if rights.can_transfer_to(member.role):
            add(self.tr("Make owner…"), lambda: self.ask_transfer(member), "transfer")
        if rights.can_kick(member.role):
            menu.addSeparator()
            add(self.tr("Remove from group…"), lambda: self.ask_kick(member), "kick")
        return menu

    def _duration(self, seconds: int) -> str:
        if seconds < 3600:
            return self.tr("For %n minutes", "", seconds // 60)
        if seconds < 86400:
            return self.tr("For %n hours", "", seconds // 3600)
        return self.tr("For %n days", "", seconds // 86400)

    # --- actions -------------------------------------------------------------------------

    def _run(self, coro: Any, on_done: Callable[[Any], None]) -> None:
        self._tasks.run(coro, on_done=on_done,
                        on_error=lambda error: self.notice.emit(error_text(error), True))

    def _changed(self, member: GroupMember | None) -> None:
        if member is None:
            self.notice.emit(queued_text(), False)
        else:
            self.model.upsert(self.model.group_id, [member])

    def mute(self, user_id: str, seconds: int) -> None:
        group_id = self.model.group_id
        self._run(self._client.group_manager.mute_group_member(group_id, user_id, seconds),
                  self._changed)

    def set_admin(self, user_id: str, admin: bool) -> None:
        role = MemberRole.ADMIN if admin else MemberRole.MEMBER
        self._run(self._client.group_manager.set_group_member_role(
            self.model.group_id, user_id, role), self._changed)

    def ask_kick(self, member: GroupMember) -> None:
        name = display_name(member)
        self.confirmation = confirm(
            self, self.tr("Remove member"),
            self.tr("Remove %1 from the group?").replace("%1", name),
            self.tr("They stop receiving its messages. They can come back only if invited or "
                    "accepted again."),
            self.tr("Remove"), lambda: self.kick(member.user_id), self.tr("Cancel"))

    def kick(self, user_id: str) -> None:
        group_id = self.model.group_id

        def done(resp: GroupUsersResp | None) -> None:
            if resp is None:
                self.notice.emit(queued_text(), False)
                return
            self.model.remove(group_id, resp.succeeded)
            if resp.failed:
                code = resp.failed.get(user_id, 0)
                self.notice.emit(error_text(IMError(code)), True)

        self._run(self._client.group_manager.kick_group_member(group_id, [user_id]), done)

    def ask_transfer(self, member: GroupMember) -> None:
        name = display_name(member)
        self.confirmation = confirm(
            self, self.tr("Hand over the group"),
            self.tr("Make %1 the owner of this group?").replace("%1", name),
            self.tr("You become an ordinary member and cannot undo this yourself."),
            self.tr("Make owner"), lambda: self.transfer(member.user_id), self.tr("Cancel"))

    def transfer(self, user_id: str) -> None:
        group_id = self.model.group_id
        self._run(self._client.group_manager.transfer_group_owner(group_id, user_id),
                  lambda info: self.model.reload() if info is not None
                  else self.notice.emit(queued_text(), False))

    # --- look and language ---------------------------------------------------------------

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Search members"))
        for button, text in zip(self.filter_buttons, (self.tr("All"), self.tr("Admins"),
                                                      self.tr("Members")), strict=True):
            button.setText(text)
        self._update_status()
        self.list.viewport().update()

    def _apply_theme(self) -> None:
        palette = current_palette()
        self._search_action.setIcon(tinted_icon("search", palette.secondary_text, 16))
        self.status.setStyleSheet(f"color: {palette.secondary_text.name()}; padding: 24px;")
        self.setStyleSheet(choice_style(palette))
        self.list.viewport().update()
