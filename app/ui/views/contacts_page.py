"""The Contacts page of the rail: my friends on the left, a person's card or the "New friends"
inbox on the right.

The list starts from the SDK's friend list (the cache: there offline and at once) and follows
the friendship listener as row diffs, so the selection and the scroll position survive a
remark being edited or a friend being added. Sorting a Chinese name needs pypinyin, whose
dictionary loads in about 0.3 s: the first list's keys are computed on a worker thread.
Above the list: Add friend, the search box (remark, nickname, ID), and "New friends" with the
count of unread requests — also on the rail, so a request is not missed from a chat.
"""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.protocol.friends import BlackEntry, Friend
from app.protocol.ids import c2c_conversation_id
from app.sdk import IMClient
from app.ui.faces import faces_of
from app.ui.friend_bridge import FriendBridge
from app.ui.friend_names import show_name, warm
from app.ui.i18n import Retranslatable
from app.ui.models.friends import FriendListModel, Kind, Role
from app.ui.tasks import TaskGroup
from app.ui.theme import current_palette, theme_controller
from app.ui.views.add_friend import AddFriendDialog
from app.ui.views.blocked_users import BlockedUsersView
from app.ui.views.friend_groups import FriendGroupActions
from app.ui.views.friend_requests import FriendRequestsView
from app.ui.views.profile_card import ProfileCard
from app.ui.widgets.avatar import AvatarLabel
from app.ui.widgets.face_rows import repaint_rows
from app.ui.widgets.friend_delegate import FriendRowDelegate, face_url_of
from app.ui.widgets.menu_key import open_menu_by_key, open_row_by_enter

LIST_WIDTH = 300


class InboxEntry(QPushButton):
    """"New friends" or "Blocked users" above the list, with a count on the right: unread
    requests as a pill, people blocked (`quiet`) as plain grey text."""

    def __init__(self, icon: str = "nav-contacts", parent: QWidget | None = None, *,
                 quiet: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("contactsEntry")
        self.setCheckable(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.icon = AvatarLabel(40, self)
        self.icon.set_icon(icon)
        self.label = QLabel(self)
        self.badge = QLabel(self)
        self.badge.setObjectName("entryCount" if quiet else "newFriendsBadge")
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.badge.hide()
        for child in (self.icon, self.label, self.badge):
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 0, 14, 0)  # the icon where the friends' avatars are
        row.setSpacing(12)
        row.addWidget(self.icon)
        row.addWidget(self.label, 1)
        row.addWidget(self.badge)
        self.setFixedHeight(60)

    def set_count(self, count: int) -> None:
        self.badge.setText(str(count) if count < 100 else "99+")
        self.badge.setVisible(count > 0)


class ContactsPage(Retranslatable, QWidget):
    open_chat_requested = Signal(str, str)
    """A conversation to open in the Chats page, and the name to show until it is listed."""
    requests_changed = Signal(int)
    """Unread friend requests (the rail's badge)."""

    def __init__(self, client: IMClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contactsPage")
        self._client = client
        self._tasks = TaskGroup("contacts page")
        self._blocked: set[str] = set()
        self._updating = False
        """The model is applying a change: the current row moves without the user."""
        self.add_dialog: AddFriendDialog | None = None
        self.model = FriendListModel(self)
        self.bridge = FriendBridge(client, self)

        self.heading = QLabel(self)
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setWeight(QFont.Weight.DemiBold)
        self.heading.setFont(font)
        self.add_button = QPushButton(self)
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.inbox_entry = InboxEntry("nav-contacts", self)
        self.inbox_entry.setProperty("first", True)  # a rule above it, under the search box
        self.blocked_entry = InboxEntry("blocked", self, quiet=True)
        self.list = QListView(self)
        self.list.setObjectName("friendList")
        self.list.setModel(self.model)
        self.delegate = FriendRowDelegate(self.list)
        self.delegate.faces = faces_of(client)
        self.delegate.faces.arrived.connect(self._face_arrived)
        self.list.setItemDelegate(self.delegate)
        self.list.setMouseTracking(True)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setFrameShape(QListView.Shape.NoFrame)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.menu: QMenu | None = None
        """The open context menu (tests pick from it)."""
        self.group_actions = FriendGroupActions(client, self)
        self.list_notice = QLabel(self)
        self.list_notice.setWordWrap(True)
        self.list_notice.hide()
        self.empty_list = QLabel(self)
        self.empty_list.setWordWrap(True)
        self.empty_list.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)

        title_row = QHBoxLayout()
        title_row.addWidget(self.heading, 1)
        title_row.addWidget(self.add_button)
        top = QVBoxLayout()
        top.setContentsMargins(14, 14, 14, 8)
        top.setSpacing(10)
        top.addLayout(title_row)
        top.addWidget(self.search)
        left = QWidget(self)
        left.setObjectName("contactsColumn")
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addLayout(top)
        column.addWidget(self.inbox_entry)
        column.addWidget(self.blocked_entry)
        column.addWidget(self.list, 1)
        column.addWidget(self.empty_list, 1)
        column.addWidget(self.list_notice)
        left.setMinimumWidth(240)

        self.empty_pane = QLabel(self)
        self.empty_pane.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_pane.setWordWrap(True)
        self.card = ProfileCard(client, self, self.group_actions)
        self.inbox = FriendRequestsView(client, self)
        self.blocked = BlockedUsersView(client, self)
        self.right = QStackedWidget(self)
        for widget in (self.empty_pane, self.card, self.inbox, self.blocked):
            self.right.addWidget(widget)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([LIST_WIDTH, 700])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self.add_button.clicked.connect(lambda: self.open_add())
        self.search.textChanged.connect(self._on_search)
        self.inbox_entry.clicked.connect(self.show_requests)
        self.blocked_entry.clicked.connect(self.show_blocked)
        self.blocked.open_user_requested.connect(self.show_user)
        self.list.selectionModel().currentChanged.connect(self._on_current)
        self.list.customContextMenuRequested.connect(self._context_menu)
        open_menu_by_key(self.list, self._context_menu)
        open_row_by_enter(self.list, self._open_row)
        self.group_actions.told.connect(self._told)
        self.group_actions.names_changed.connect(self.model.set_groups)
        self.bridge.friend_groups_changed.connect(self.group_actions.refresh)
        self.card.open_chat_requested.connect(self.open_chat_requested)
        self.card.add_friend_requested.connect(self.open_add)
        self.bridge.friends_changed.connect(self._on_friends_changed)
        self.bridge.friends_removed.connect(self._on_friends_removed)
        self.bridge.applications_changed.connect(self._on_applications)
        self.bridge.unread_changed.connect(self._on_unread)
        self.bridge.black_list_changed.connect(self._read_black_list)
        for change in (self.model.rowsInserted, self.model.rowsRemoved,
                       self.model.modelReset):
            change.connect(self._update_empty)
        theme_controller().changed.connect(self._apply_theme)
        self._apply_theme()
        self.retranslate()

    # --- loading -------------------------------------------------------------------------

    async def start(self) -> None:
        """The cached friends (their sort keys worked out off the GUI thread), the requests,
        the badge and whom I block."""
        manager = self._client.friendship_manager
        friends = await manager.get_friend_list()
        await asyncio.to_thread(warm, [show_name(f) for f in friends])
        self.model.replace_all(friends)
        self._update_empty()
        self.inbox.refresh()
        self._on_unread(manager.unread_application_count())
        self._read_black_list()
        self.group_actions.refresh()

    def stop(self) -> None:
        self._tasks.cancel_all()
        self.card.stop()
        self.inbox.stop()
        self.blocked.stop()
        self.group_actions.stop()

    def _on_friends_changed(self, friends: list[Friend]) -> None:
        self._updating = True
        try:
            self.model.upsert(friends)
        finally:
            self._updating = False
        self._after_change({f.user_id for f in friends})

    def _on_friends_removed(self, user_ids: list[str]) -> None:
        self._updating = True
        try:
            self.model.remove(user_ids)
        finally:
            self._updating = False
        self._after_change(set(user_ids))

    def _after_change(self, user_ids: set[str]) -> None:
        """The card follows its person, and their row stays selected: a row moved (a new
        name, a friend group renamed or left) takes the current index to a neighbour, which
        must not open the neighbour's card."""
        if self.card.user_id in user_ids:
            self.card.refresh()
        if self.card.user_id and self.right.currentWidget() is self.card:
            self._select(self.card.user_id)

    def _face_arrived(self, url: str) -> None:
        def shows(index: QModelIndex) -> bool:
            friend = index.data(Role.FRIEND)
            return isinstance(friend, Friend) and face_url_of(friend) == url
        repaint_rows(self.list, shows)

    def _on_applications(self) -> None:
        self.inbox.refresh()
        if self.inbox.isVisible():
            self._mark_read()

    def _on_unread(self, count: int) -> None:
        self.inbox_entry.set_count(count)
        self.requests_changed.emit(count)

    def _read_black_list(self) -> None:
        self._tasks.run(self._client.friendship_manager.get_black_list(),
                        on_done=self._on_black_list)

    def _on_black_list(self, entries: list[BlackEntry]) -> None:
        self._blocked = {e.user_id for e in entries}
        self.blocked.show_entries(entries)
        self.blocked_entry.set_count(len(entries))
        if self.card.user_id:
            self.card.set_blocked(self.card.user_id in self._blocked)

    def _mark_read(self) -> None:
        if self._client.friendship_manager.unread_application_count():
            self._tasks.run(self._client.friendship_manager.set_friend_application_read())

    # --- selection -----------------------------------------------------------------------

    def show_user(self, user_id: str) -> None:
        """Show a person's card (a friend selected, a chat header's button, added just now)."""
        self.inbox_entry.setChecked(False)
        self.blocked_entry.setChecked(False)
        self.card.show_user(user_id, user_id in self._blocked)
        self.right.setCurrentWidget(self.card)
        self._select(user_id, reveal=True)

    def _open_row(self, index: QModelIndex) -> None:
        """Enter on a friend: their chat (the arrows already showed their card)."""
        user_id = index.data(Role.USER_ID)
        if index.data(Role.KIND) == Kind.FRIEND and isinstance(user_id, str) and user_id:
            self.open_chat_requested.emit(c2c_conversation_id(user_id), str(index.data()))

    def close_card(self) -> bool:
        """Esc: the card (or the requests or blocked list) away, the friends list focused;
        False when nothing was open."""
        if self.right.currentWidget() is self.empty_pane:
            return False
        selection = self.list.selectionModel()
        selection.clearSelection()
        selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.Clear)
        for entry in (self.inbox_entry, self.blocked_entry):
            entry.setChecked(False)
        self.right.setCurrentWidget(self.empty_pane)
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def _select(self, user_id: str, *, reveal: bool = False) -> None:
        """Select their row; `reveal` clears a search that hides it."""
        row = self.model.row_of(user_id)
        if row < 0 and reveal and self.search.text():
            self.search.clear()
            row = self.model.row_of(user_id)
        selection = self.list.selectionModel()
        if row < 0:
            selection.clearSelection()
            return
        index = self.model.index(row)
        if selection.currentIndex() != index:
            selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.list.scrollTo(index)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._updating:
            return  # moved by the model, not by the user (see _after_change)
        user_id = current.data(Role.USER_ID) if current.isValid() else ""
        if isinstance(user_id, str) and user_id and (
                user_id != self.card.user_id or self.right.currentWidget() is not self.card):
            self.show_user(user_id)

    def _show_entry(self, entry: InboxEntry, pane: QWidget) -> None:
        """One of the entries above the list: its pane on the right, no friend selected."""
        selection = self.list.selectionModel()
        selection.clearSelection()
        selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.Clear)
        for other in (self.inbox_entry, self.blocked_entry):
            other.setChecked(other is entry)
        self.right.setCurrentWidget(pane)

    def show_requests(self) -> None:
        self._show_entry(self.inbox_entry, self.inbox)
        self.inbox.refresh()
        self._mark_read()

    def show_blocked(self) -> None:
        """The people I block, with Unblock (read again: another device may have changed
        it while the page was hidden)."""
        self._show_entry(self.blocked_entry, self.blocked)
        self._read_black_list()

    def _context_menu(self, pos: QPoint) -> None:
        """A friend: their groups (tick to move them in or out) and a new group; a group's
        heading: Rename, Delete and a new group (the default heading only the last)."""
        index = self.list.indexAt(pos)
        if not index.isValid():
            return
        menu = QMenu(self.list)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        kind = index.data(Role.KIND)
        if kind == Kind.FRIEND:
            self.group_actions.fill_friend_menu(menu, index.data(Role.USER_ID), index.data())
        elif kind == Kind.GROUP:
            self.group_actions.fill_group_menu(menu, index.data(Role.GROUP_NAME))
        if menu.isEmpty():
            menu.deleteLater()
            return
        self.menu = menu
        menu.popup(self.list.viewport().mapToGlobal(pos))

    def _told(self, text: str, error: bool) -> None:
        """A friend-group change's outcome, on the card when it shows, else under the list."""
        if self.right.currentWidget() is self.card:
            self.card.tell(text, error=error)
            return
        palette = current_palette()
        color = palette.danger if error else palette.secondary_text
        self.list_notice.setStyleSheet(f"color: {color.name()}; padding: 8px 14px;")
        self.list_notice.setText(text)
        self.list_notice.setVisible(bool(text))

    def _on_search(self, text: str) -> None:
        self.model.set_query(text)
        self._update_empty()

    def _update_empty(self, *_args: object) -> None:
        empty = self.model.rowCount() == 0
        self.list.setVisible(not empty)
        self.empty_list.setVisible(empty)
        query = self.search.text().strip()
        self.empty_list.setText(
            self.tr("No friend matches “%1”.").replace("%1", query) if query else
            self.tr("No friends yet.\nAdd one by their user ID."))

    # --- dialogs -------------------------------------------------------------------------

    def open_add(self, user_id: str = "") -> None:
        dialog = AddFriendDialog(self._client, self, user_id)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.added.connect(self.show_user)
        dialog.open()
        self.add_dialog = dialog

    # --- look and language ---------------------------------------------------------------

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Contacts"))
        self.add_button.setText(self.tr("Add friend"))
        self.search.setPlaceholderText(self.tr("Search friends"))
        self.inbox_entry.label.setText(self.tr("New friends"))
        self.blocked_entry.label.setText(self.tr("Blocked users"))
        self.empty_pane.setText(self.tr("Choose a friend to see their profile."))
        self._update_empty()

    def _apply_theme(self) -> None:
        palette = current_palette()
        secondary = palette.secondary_text.name()
        self.empty_list.setStyleSheet(f"color: {secondary}; padding: 32px 24px;")
        self.empty_pane.setStyleSheet(f"color: {secondary}; padding: 24px;")
        self.setStyleSheet(
            f"QWidget#contactsColumn {{ background: {palette.list_bg.name()}; }}"
            f"QListView#friendList {{ background: {palette.list_bg.name()}; }}"
            f"QPushButton#contactsEntry {{ text-align: left; border: none; border-radius: 0;"
            f" border-bottom: 1px solid {palette.separator.name()};"
            f" background: {palette.list_bg.name()}; }}"
            f"QPushButton#contactsEntry[first=\"true\"] {{"
            f" border-top: 1px solid {palette.separator.name()}; }}"
            f"QPushButton#contactsEntry:hover {{ background: {palette.list_hover.name()}; }}"
            f"QPushButton#contactsEntry:checked {{ background:"
            f" {palette.list_selected.name()}; }}"
            f"QPushButton#contactsEntry QLabel {{ color: {palette.text.name()};"
            " background: transparent; font-weight: 600; }"
            f"QPushButton#contactsEntry QLabel#entryCount {{"
            f" color: {palette.secondary_text.name()}; font-weight: 400; }}"
            f"QLabel#newFriendsBadge {{ background: {palette.badge.name()};"
            f" color: {palette.accent_text.name()}; border-radius: 10px; min-width: 20px;"
            " max-height: 20px; min-height: 20px; padding: 0 6px; font-weight: 600; }")
