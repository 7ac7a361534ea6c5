"""The Groups page of the rail: my groups on the left, the selected one managed on the right.

The list starts from the SDK's joined list (the cache: there offline and at once), then the
service's, and from then on follows the SDK's group events as row diffs, so the selection and
the scroll position survive someone renaming a group. Above the list: New group, Join group,
and the join requests waiting for me — the one inbox of every group I own or administer, with
its count on the rail so a request is not missed while the user is in a chat.

A group drawn from its members (no picture) needs its first members; they are read once per
group, a few at a time, after the list is shown, and only repaint their row.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.protocol.groups import GroupInfo
from app.protocol.ids import group_conversation_id
from app.sdk import IMClient
from app.ui.faces import faces_of
from app.ui.group_bridge import GroupBridge
from app.ui.i18n import Retranslatable
from app.ui.models.group_applications import GroupApplicationsModel
from app.ui.models.group_members import display_name
from app.ui.models.groups import FaceMember, GroupFilterModel, GroupListModel
from app.ui.models.groups import Role as GroupItem
from app.ui.tasks import TaskGroup
from app.ui.theme import current_palette, theme_controller
from app.ui.views.create_group import CreateGroupDialog
from app.ui.views.group_applications import ApplicationsView
from app.ui.views.group_pane import GroupPane
from app.ui.views.join_group import JoinGroupDialog
from app.ui.widgets.face_rows import repaint_rows
from app.ui.widgets.group_avatar import member_face_urls
from app.ui.widgets.group_delegate import GroupRowDelegate
from app.ui.widgets.menu_key import open_row_by_enter

LIST_WIDTH = 300
FACE_MEMBERS = 4


class GroupsPage(Retranslatable, QWidget):
    open_chat_requested = Signal(str)
    profile_requested = Signal(str)
    """A member's card, from the group pane."""
    """A conversation to open in the Chats page."""
    requests_changed = Signal(int)
    """How many join requests wait for me, in all groups (the rail's badge)."""

    def __init__(self, client: IMClient, applications: GroupApplicationsModel,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("groupsPage")
        self._client = client
        self._tasks = TaskGroup("groups page")
        self._faces_read: set[str] = set()
        self.create_dialog: CreateGroupDialog | None = None
        self.join_dialog: JoinGroupDialog | None = None
        self.model = GroupListModel(self)
        self.proxy = GroupFilterModel(self.model, self)
        self.applications = applications
        self.bridge = GroupBridge(client, self)

        self.heading = QLabel(self)
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setWeight(QFont.Weight.DemiBold)
        self.heading.setFont(font)
        self.new_button = QPushButton(self)
        self.join_button = QPushButton(self)
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.requests_button = QPushButton(self)
        self.requests_button.setObjectName("requestsEntry")
        self.requests_button.setCheckable(True)
        self.requests_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.list = QListView(self)
        self.list.setObjectName("groupList")
        self.list.setModel(self.proxy)
        delegate = GroupRowDelegate(self.list)
        delegate.faces = faces_of(client)
        delegate.faces.arrived.connect(self._face_arrived)
        self.list.setItemDelegate(delegate)
        self.list.setUniformItemSizes(True)
        self.list.setMouseTracking(True)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setFrameShape(QListView.Shape.NoFrame)
        self.empty_list = QLabel(self)
        self.empty_list.setWordWrap(True)
        self.empty_list.setAlignment(Qt.AlignmentFlag.AlignCenter)

        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addWidget(self.new_button, 1)
        buttons.addWidget(self.join_button, 1)
        top = QVBoxLayout()
        top.setContentsMargins(14, 14, 14, 8)
        top.setSpacing(10)
        top.addWidget(self.heading)
        top.addLayout(buttons)
        top.addWidget(self.search)
        left = QWidget(self)
        left.setObjectName("groupsColumn")
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addLayout(top)
        column.addWidget(self.requests_button)
        column.addWidget(self.list, 1)
        column.addWidget(self.empty_list, 1)
        left.setMinimumWidth(240)

        self.empty_pane = QLabel(self)
        self.empty_pane.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_pane.setWordWrap(True)
        self.pane = GroupPane(client, applications, self)
        self.inbox = ApplicationsView(client, applications, "", self)
        self.right = QStackedWidget(self)
        for widget in (self.empty_pane, self.pane, self.inbox):
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

        self.new_button.clicked.connect(self.open_create)
        self.join_button.clicked.connect(self.open_join)
        self.search.textChanged.connect(self._on_search)
        self.requests_button.clicked.connect(self.show_requests)
        self.list.selectionModel().currentChanged.connect(self._on_current)
        open_row_by_enter(self.list, self._open_row)
        self.pane.open_chat_requested.connect(self.open_chat_requested)
        self.pane.profile_requested.connect(self.profile_requested)
        self.applications.count_changed.connect(self._on_requests)
        self.bridge.groups_changed.connect(self._on_groups_changed)
        self.bridge.groups_removed.connect(self._on_groups_removed)
        self.bridge.members_changed.connect(lambda gid, _m: self._refresh_faces(gid))
        self.bridge.members_removed.connect(lambda gid, _m: self._refresh_faces(gid))
        self.bridge.applications_changed.connect(lambda _gid: self.applications.refresh())
        self.bridge.application_processed.connect(
            lambda *_a: self.applications.refresh())
        for change in (self.proxy.rowsInserted, self.proxy.rowsRemoved,
                       self.proxy.modelReset):
            change.connect(self._update_empty)
        theme_controller().changed.connect(self._apply_theme)
        self._apply_theme()
        self.retranslate()

    # --- loading -------------------------------------------------------------------------

    async def start(self) -> None:
        """The cached list at once, then the service's; and the requests waiting for me."""
        manager = self._client.group_manager
        self._show_groups(manager.cached_groups())
        self.applications.refresh()
        self._tasks.run(manager.get_joined_group_list(), on_done=self._show_groups)

    def _face_arrived(self, url: str) -> None:
        def shows(index: QModelIndex) -> bool:
            group = index.data(GroupItem.GROUP)
            return isinstance(group, GroupInfo) and (
                group.face_url == url
                or url in member_face_urls(index.data(GroupItem.FACE_MEMBERS) or []))
        repaint_rows(self.list, shows)

    def stop(self) -> None:
        self._tasks.cancel_all()
        self.pane.stop()

    def _show_groups(self, groups: list[GroupInfo]) -> None:
        self.model.replace_all(groups)
        for group in groups:
            self._read_faces(group)
        self._update_empty()

    def _read_faces(self, group: GroupInfo) -> None:
        if group.face_url or group.group_id in self._faces_read:
            return
        self._faces_read.add(group.group_id)
        self._tasks.run(self._client.group_manager.get_group_member_list(
            group.group_id, count=FACE_MEMBERS),
            on_done=lambda resp, gid=group.group_id: self.model.set_face_members(
                gid, [FaceMember(m.user_id, display_name(m), m.face_url)
                      for m in resp.members[:FACE_MEMBERS]]),
            on_error=lambda _exc, gid=group.group_id: self._faces_read.discard(gid))

    def read_missing_faces(self) -> None:
        """After a sync: the members of groups that could not be read before (the list comes
        from the cache before the app is signed in, the members only from the service)."""
        for group in self.model.groups():
            self._read_faces(group)

    def _refresh_faces(self, group_id: str) -> None:
        self._faces_read.discard(group_id)
        group = self.model.group(group_id)
        if group is not None:
            self._read_faces(group)

    def _on_groups_changed(self, groups: list[GroupInfo]) -> None:
        self.model.upsert(groups)
        for group in groups:
            self._read_faces(group)

    def _on_groups_removed(self, group_ids: list[str]) -> None:
        self.model.remove(group_ids)
        if self.pane.group_id in group_ids and self.right.currentWidget() is self.pane:
            self.list.clearSelection()

    # --- selection -----------------------------------------------------------------------

    def show_group(self, group_id: str) -> None:
        """Select a group and manage it (a group made or joined just now, a chat's button)."""
        row = self.model.row_of(group_id)
        if row >= 0:
            index = self.proxy.mapFromSource(self.model.index(row))
            if not index.isValid():  # hidden by the search
                self.search.clear()
                index = self.proxy.mapFromSource(self.model.index(row))
            self.list.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.list.scrollTo(index)
        self.requests_button.setChecked(False)
        self.pane.show_group(group_id)
        self.right.setCurrentWidget(self.pane)

    def _open_row(self, index: QModelIndex) -> None:
        """Enter on a group: its chat (the arrows already showed its pane)."""
        group_id = index.data(GroupItem.ID)
        if isinstance(group_id, str) and group_id:
            self.open_chat_requested.emit(group_conversation_id(group_id))

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        group_id = current.data(GroupItem.ID) if current.isValid() else None
        if isinstance(group_id, str) and group_id:
            self.show_group(group_id)

    def show_requests(self) -> None:
        self.list.selectionModel().clearSelection()
        self.list.selectionModel().setCurrentIndex(QModelIndex(),
                                                   QItemSelectionModel.SelectionFlag.Clear)
        self.requests_button.setChecked(True)
        self.right.setCurrentWidget(self.inbox)
        self.applications.refresh()

    def _on_search(self, text: str) -> None:
        self.proxy.set_query(text)
        self._update_empty()

    def _on_requests(self, count: int) -> None:
        self._retranslate_requests(count)
        self.requests_changed.emit(count)

    def _update_empty(self, *_args: object) -> None:
        empty = self.proxy.rowCount() == 0
        self.list.setVisible(not empty)
        self.empty_list.setVisible(empty)
        query = self.search.text().strip()
        self.empty_list.setText(
            self.tr("No group matches “%1”.").replace("%1", query) if query else
            self.tr("You are not in any group yet.\nCreate one, or join one by its ID."))

    # --- dialogs -------------------------------------------------------------------------

    def open_create(self) -> None:
        dialog = CreateGroupDialog(self._client, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.created.connect(self._on_joined)
        dialog.open()
        self.create_dialog = dialog

    def open_join(self) -> None:
        dialog = JoinGroupDialog(self._client, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.joined.connect(self._on_joined)
        dialog.open()
        self.join_dialog = dialog

    def _on_joined(self, group_id: str) -> None:
        group = self._client.group_manager.cached_group(group_id)
        if group is not None:
            self.model.upsert([group])
            self._read_faces(group)
        self.show_group(group_id)

    # --- look and language ---------------------------------------------------------------

    def _retranslate_requests(self, count: int) -> None:
        self.requests_button.setText(
            self.tr("Join requests  ·  %1").replace("%1", str(count)) if count
            else self.tr("Join requests"))

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Groups"))
        self.new_button.setText(self.tr("New group"))
        self.join_button.setText(self.tr("Join group"))
        self.search.setPlaceholderText(self.tr("Search groups"))
        self.empty_pane.setText(self.tr("Choose a group to see its members and settings."))
        self._retranslate_requests(self.applications.rowCount())
        self._update_empty()

    def _apply_theme(self) -> None:
        palette = current_palette()
        secondary = palette.secondary_text.name()
        self.empty_list.setStyleSheet(f"color: {secondary}; padding: 24px;")
        self.empty_pane.setStyleSheet(f"color: {secondary}; padding: 24px;")
        self.setStyleSheet(
            f"QWidget#groupsColumn {{ background: {palette.list_bg.name()}; }}"
            f"QListView#groupList {{ background: {palette.list_bg.name()}; }}"
            f"QPushButton#requestsEntry {{ text-align: left; padding: 10px 16px;"
            f" border: none; border-top: 1px solid {palette.separator.name()};"
            f" border-bottom: 1px solid {palette.separator.name()};"
            f" background: {palette.list_bg.name()}; color: {palette.text.name()}; }}"
            f"QPushButton#requestsEntry:hover {{ background: {palette.list_hover.name()}; }}"
            f"QPushButton#requestsEntry:checked {{ background:"
            f" {palette.list_selected.name()}; }}")
