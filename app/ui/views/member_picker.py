"""Choosing people for a group: the partners of my recent one-to-one chats, or any user ID.

Used for a new group's first members and for inviting more. The list comes from the SDK's
conversation list (the cache, so it is there offline and in an instant); most people one adds
to a group are people one has just talked to. Anyone else is added by typing their user ID
and pressing Enter — the service checks the account when the group is created or the invite
is sent, and says which IDs it did not know.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPen, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.protocol import ConvType, IMError
from app.protocol.groups import GroupUsersResp
from app.protocol.ids import is_valid_user_id
from app.sdk import IMClient
from app.ui.faces import face_of, faces_of
from app.ui.group_texts import error_text
from app.ui.i18n import Retranslatable
from app.ui.system_conversation import is_system_user
from app.ui.tasks import TaskGroup
from app.ui.theme import current_palette, set_primary, theme_controller
from app.ui.widgets.avatar import render_avatar
from app.ui.widgets.face_rows import repaint_rows

PAGE = 100
ROW_H = 50
AVATAR = 34
CHECK = 20
USER_ID = Qt.ItemDataRole.UserRole + 1
SEARCH = Qt.ItemDataRole.UserRole + 2
NOTE = Qt.ItemDataRole.UserRole + 3
"""A row's grey remark ("already a member"); such a row cannot be ticked."""

Index = QModelIndex | QPersistentModelIndex


class _PersonRow(QStyledItemDelegate):
    """Avatar, name over user ID, and a round tick on the right when chosen."""

    def __init__(self, client: IMClient, parent: QWidget) -> None:
        super().__init__(parent)
        self._client = client
        self.faces = faces_of(client)

    def face_url_of(self, user_id: str) -> str:
        """Their face as my profile book knows it (the picker lists people I chat with)."""
        profile = self._client.profiles.get(user_id)
        return profile.face_url if profile is not None else ""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(0, ROW_H)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        palette = current_palette()
        rect = QRectF(option.rect)
        user_id: str = index.data(USER_ID)
        name: str = index.data(Qt.ItemDataRole.DisplayRole) or user_id
        note: str = index.data(NOTE) or ""
        chosen = (Qt.CheckState(index.data(Qt.ItemDataRole.CheckStateRole))
                  == Qt.CheckState.Checked)
        painter.save()
        painter.setRenderHints(QPainter.RenderHint.Antialiasing
                               | QPainter.RenderHint.TextAntialiasing)
        if option.state & QStyle.StateFlag.State_MouseOver and not note:
            painter.fillRect(rect, palette.list_hover)
        if note:
            painter.setOpacity(0.55)
        avatar = render_avatar(user_id, name, AVATAR, painter.device().devicePixelRatioF(),
                               face_of(self.faces, self.face_url_of(user_id)))
        painter.drawPixmap(int(rect.left() + 10), int(rect.center().y() - AVATAR / 2), avatar)
        check = QRectF(rect.right() - 12 - CHECK, rect.center().y() - CHECK / 2, CHECK, CHECK)
        left = rect.left() + 10 + AVATAR + 12
        width = check.left() - 12 - left
        font = QFont(option.font)
        font.setWeight(QFont.Weight.DemiBold if chosen else QFont.Weight.Normal)
        painter.setFont(font)
        painter.setPen(palette.text)
        painter.drawText(QRectF(left, rect.top() + 6, width, 20),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         QFontMetricsF(font).elidedText(name, Qt.TextElideMode.ElideRight, width))
        small = QFont(option.font)
        small.setPointSizeF(option.font.pointSizeF() * 0.9)
        painter.setFont(small)
        painter.setPen(palette.secondary_text)
        second = f"{user_id} · {note}" if note else user_id
        painter.drawText(QRectF(left, rect.top() + 26, width, 18),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         QFontMetricsF(small).elidedText(second, Qt.TextElideMode.ElideRight,
                                                         width))
        if note:
            painter.restore()
            return
        if chosen:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.accent)
            painter.drawEllipse(check)
            pen = QPen(palette.accent_text, 2)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            corner = check.topLeft()
            painter.drawPolyline([corner + QPointF(5.5, 10.5), corner + QPointF(8.7, 13.6),
                                  corner + QPointF(14.6, 7.2)])
        else:
            painter.setPen(QPen(palette.secondary_text, 1.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(check.adjusted(1, 1, -1, -1))
        painter.restore()


class MemberPicker(Retranslatable, QWidget):
    """A search-or-ID box over a ticking list of people."""

    chosen_changed = Signal()

    def __init__(self, client: IMClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._tasks = TaskGroup("member picker")
        self._notes: dict[str, str] = {}
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.setMaxLength(64)
        self.add_button = QPushButton(self)
        self.add_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.model = QStandardItemModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterRole(SEARCH)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.list = QListView(self)
        self.list.setModel(self.proxy)
        self._rows = _PersonRow(client, self.list)
        self.list.setItemDelegate(self._rows)
        self._rows.faces.arrived.connect(self._face_arrived)
        self.list.setMouseTracking(True)
        self.list.setUniformItemSizes(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.empty = QLabel(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.hide()
        row = QHBoxLayout()
        row.setSpacing(6)
        row.addWidget(self.search, 1)
        row.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(row)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        self.search.textChanged.connect(self._on_search)
        self.search.returnPressed.connect(self._add_typed)
        self.add_button.clicked.connect(self._add_typed)
        self.list.clicked.connect(self._toggle)
        self.model.itemChanged.connect(lambda _item: self.chosen_changed.emit())
        theme_controller().changed.connect(self._apply_theme)
        self._apply_theme()
        self.retranslate()
        self._on_search("")
        self._tasks.run(self._load())

    async def _load(self) -> None:
        """The partners of my one-to-one chats, most recent first."""
        manager = self._client.conversation_manager
        next_seq = 0
        while True:
            page = await manager.get_conversation_list(next_seq, PAGE)
            for conv in page.conversation_list:
                if (conv.type == ConvType.C2C and conv.user_id != self._client.me
                        and not is_system_user(conv.user_id)):
                    self._add_row(conv.user_id, conv.show_name or conv.user_id, checked=False)
            next_seq = page.next_seq
            if page.is_finished or not page.conversation_list:
                break
        self._update_empty()

    # --- choosing ------------------------------------------------------------------------

    def chosen_ids(self) -> list[str]:
        return [self.model.item(r).data(USER_ID) for r in range(self.model.rowCount())
                if self.model.item(r).checkState() == Qt.CheckState.Checked]

    def set_notes(self, notes: dict[str, str]) -> None:
        """Grey out these people with a remark ("already a member"); they cannot be ticked."""
        self._notes = dict(notes)
        for r in range(self.model.rowCount()):
            item = self.model.item(r)
            note = self._notes.get(item.data(USER_ID), "")
            item.setData(note, NOTE)
            if note:
                item.setCheckState(Qt.CheckState.Unchecked)

    def add_user(self, user_id: str, name: str = "") -> None:
        """Tick `user_id`, listing them first if they are not listed yet."""
        self._add_row(user_id, name or user_id, checked=True, first=True)

    def untick(self, user_ids: list[str]) -> None:
        for user_id in user_ids:
            row = self._row_of(user_id)
            if row >= 0:
                self.model.item(row).setCheckState(Qt.CheckState.Unchecked)

    def _row_of(self, user_id: str) -> int:
        for r in range(self.model.rowCount()):
            if self.model.item(r).data(USER_ID) == user_id:
                return r
        return -1

    def _add_row(self, user_id: str, name: str, *, checked: bool, first: bool = False) -> None:
        row = self._row_of(user_id)
        if row >= 0:
            if checked and not self._notes.get(user_id):
                self.model.item(row).setCheckState(Qt.CheckState.Checked)
            return
        item = QStandardItem(name)
        item.setData(user_id, USER_ID)
        item.setData(f"{name} {user_id}", SEARCH)
        item.setData(self._notes.get(user_id, ""), NOTE)
        item.setEditable(False)
        item.setCheckable(True)
        state = checked and not self._notes.get(user_id)
        item.setCheckState(Qt.CheckState.Checked if state else Qt.CheckState.Unchecked)
        if first:
            self.model.insertRow(0, item)
        else:
            self.model.appendRow(item)
        self._update_empty()

    def _face_arrived(self, url: str) -> None:
        repaint_rows(self.list, lambda index: self._rows.face_url_of(index.data(USER_ID)) == url)

    def _toggle(self, index: QModelIndex) -> None:
        item = self.model.itemFromIndex(self.proxy.mapToSource(index))
        if item is None or item.data(NOTE):
            return
        checked = item.checkState() == Qt.CheckState.Checked
        item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)

    def _typed(self) -> str:
        return self.search.text().strip()

    def _add_typed(self) -> None:
        """Enter: the one listed match is ticked; otherwise the text is taken as a user ID."""
        text = self._typed()
        if not text:
            return
        if self.proxy.rowCount() == 1 and self._row_of(text) < 0:
            self._toggle(self.proxy.index(0, 0))
            self.search.clear()
            return
        if not is_valid_user_id(text):
            return
        self.add_user(text)
        self.search.clear()

    def _on_search(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        typed = self._typed()
        self.add_button.setEnabled(is_valid_user_id(typed) and self._row_of(typed) < 0)
        self._update_empty()

    def _update_empty(self) -> None:
        nothing = self.proxy.rowCount() == 0
        typed = self._typed()
        if typed and not is_valid_user_id(typed):
            text = self.tr("No one matches. A user ID has letters, digits, _ and - only.")
        elif typed:
            text = self.tr("Press Enter to add the user ID “%1”.").replace("%1", typed)
        else:
            text = self.tr("No recent chats. Type a user ID above to add someone.")
        self.empty.setText(text)
        self.empty.setVisible(nothing)
        self.list.setVisible(not nothing)

    # --- look and language ---------------------------------------------------------------

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Search recent chats or type a user ID"))
        self.add_button.setText(self.tr("Add"))
        self._update_empty()

    def _apply_theme(self) -> None:
        self.empty.setStyleSheet(f"color: {current_palette().secondary_text.name()}")
        self.list.viewport().update()


class InviteDialog(Retranslatable, QDialog):
    """Add people to a Work group; reports per person what the service did."""

    invited = Signal(list)
    """The user IDs now in the group."""

    def __init__(self, client: IMClient, group_id: str, members: list[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._group_id = group_id
        self._tasks = TaskGroup("invite")
        self.setMinimumSize(400, 500)
        self.title = QLabel(self)
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        self.picker = MemberPicker(client, self)
        self._members = members
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.hide()
        self.cancel_button = QPushButton(self)
        self.invite_button = QPushButton(self)
        set_primary(self.invite_button)
        self.invite_button.setDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.invite_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.picker, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.picker.chosen_changed.connect(self._update)
        self.cancel_button.clicked.connect(self.reject)
        self.invite_button.clicked.connect(self._invite)
        self.finished.connect(lambda _r: self._tasks.cancel_all())
        theme_controller().changed.connect(self._apply_theme)
        self._apply_theme()
        self.retranslate()

    def _invite(self) -> None:
        ids = self.picker.chosen_ids()
        if not ids or self._tasks.busy:
            return
        self.invite_button.setEnabled(False)
        self.error.hide()
        self._tasks.run(self._client.group_manager.invite_user_to_group(self._group_id, ids),
                        on_done=self._on_done, on_error=self._on_error)

    def _on_done(self, resp: GroupUsersResp | None) -> None:
        if resp is None:  # queued while offline: the members pane shows them once added
            self.accept()
            return
        if resp.succeeded:
            self.invited.emit(list(resp.succeeded))
        if not resp.failed:
            self.accept()
            return
        self.picker.untick(resp.succeeded + resp.existed)
        failed = ", ".join(sorted(resp.failed))
        self._show_error(self.tr("Not added (no such user, or the group is full): %1")
                         .replace("%1", failed))

    def _on_error(self, error: IMError) -> None:
        self._show_error(error_text(error))

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self._update()

    def _update(self) -> None:
        count = len(self.picker.chosen_ids())
        self.invite_button.setEnabled(count > 0 and not self._tasks.busy)
        self.invite_button.setText(self.tr("Add") if count <= 1 else
                                   self.tr("Add %1 people").replace("%1", str(count)))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Add members"))
        self.title.setText(self.tr("Add members"))
        self.picker.set_notes({m: self.tr("already a member") for m in self._members})
        self.cancel_button.setText(self.tr("Cancel"))
        self._update()

    def _apply_theme(self) -> None:
        self.error.setStyleSheet(f"color: {current_palette().danger.name()}")
