"""Choosing where to forward messages: the user's chats, searchable, one or several at once.

The chats come from the SDK's conversation list (the cache, so it works offline), most recent
first as on the left. Clicking a row ticks it; Enter forwards. With several messages the user
also chooses how they travel — one by one, or as one merged "chat history" message — as WeChat
and TUIKit offer. Non-modal and opened with `open()`, never `exec()` inside the qasync loop.
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
from PySide6.QtGui import QFont, QPainter, QPen, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QButtonGroup,
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

from app.sdk import Conversation, IMClient
from app.ui.faces import FaceStore, face_of, faces_of
from app.ui.i18n import Retranslatable
from app.ui.system_conversation import is_system
from app.ui.tasks import TaskGroup
from app.ui.theme import current_palette, set_primary, theme_controller
from app.ui.views.send_preview import choice_button, choice_style
from app.ui.widgets.avatar import render_avatar
from app.ui.widgets.conversation_delegate import conversation_avatar_key
from app.ui.widgets.face_rows import repaint_rows

PAGE = 100
ROW_H = 56
AVATAR = 38
CHECK = 20
CONVERSATION = Qt.ItemDataRole.UserRole + 1
SEARCH = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


class _ChatRow(QStyledItemDelegate):
    """Avatar, name, and a round tick on the right when chosen."""

    faces: FaceStore | None = None
    """The session's pictures behind face URLs, set by the dialog."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(0, ROW_H)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        conv: Conversation = index.data(CONVERSATION)
        palette = current_palette()
        rect = QRectF(option.rect)
        chosen = Qt.CheckState(index.data(Qt.ItemDataRole.CheckStateRole)) == Qt.CheckState.Checked
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if option.state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, palette.list_hover)
        key = conversation_avatar_key(conv)
        avatar = render_avatar(key, conv.show_name, AVATAR, painter.device().devicePixelRatioF(),
                               face_of(self.faces, conv.face_url))
        painter.drawPixmap(int(rect.left() + 12), int(rect.center().y() - AVATAR / 2), avatar)
        check = QRectF(rect.right() - 14 - CHECK, rect.center().y() - CHECK / 2, CHECK, CHECK)
        name_rect = QRectF(rect.left() + 12 + AVATAR + 12, rect.top(),
                           check.left() - 12 - (rect.left() + 24 + AVATAR), rect.height())
        font = QFont(option.font)
        font.setWeight(QFont.Weight.DemiBold if chosen else QFont.Weight.Normal)
        painter.setFont(font)
        painter.setPen(palette.text)
        name = painter.fontMetrics().elidedText(conv.show_name or key,
                                                Qt.TextElideMode.ElideRight,
                                                int(name_rect.width()))
        painter.drawText(name_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                         name)
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


class ForwardDialog(Retranslatable, QDialog):
    """`chosen(conversations, merged)`: where to forward, and (several messages) whether as
    one merged chat history."""

    chosen = Signal(list, bool)

    def __init__(self, client: IMClient, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("forwardDialog")
        self._client = client
        self._count = count
        self._tasks = TaskGroup("forward dialog")
        self._loaded = False
        self.setMinimumSize(400, 520)
        self.title = QLabel(self)
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.model = QStandardItemModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterRole(SEARCH)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.list = QListView(self)
        self.list.setModel(self.proxy)
        delegate = _ChatRow(self.list)
        delegate.faces = faces_of(client)
        delegate.faces.arrived.connect(self._face_arrived)
        self.list.setItemDelegate(delegate)
        self.list.setMouseTracking(True)
        self.list.setUniformItemSizes(True)
        self.one_by_one = choice_button(self)
        self.merged = choice_button(self)
        modes = QButtonGroup(self)
        modes.addButton(self.one_by_one)
        modes.addButton(self.merged)
        self.one_by_one.setChecked(True)
        self.empty = QLabel(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        self.cancel_button = QPushButton(self)
        self.forward_button = QPushButton(self)
        set_primary(self.forward_button)
        self.forward_button.setDefault(True)

        mode_row = QHBoxLayout()
        mode_row.setSpacing(6)
        mode_row.addWidget(self.one_by_one)
        mode_row.addWidget(self.merged)
        mode_row.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.forward_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addLayout(mode_row)
        layout.addLayout(buttons)
        for mode in (self.one_by_one, self.merged):
            mode.setVisible(count > 1)

        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._on_return)
        self.list.clicked.connect(self._toggle)
        self.model.itemChanged.connect(self._update)
        self.cancel_button.clicked.connect(self.reject)
        self.forward_button.clicked.connect(self._forward)
        self.finished.connect(lambda _result: self._tasks.cancel_all())
        theme_controller().changed.connect(self._apply_theme)
        self._apply_theme()
        self.retranslate()
        self._update()
        self._tasks.run(self._load())

    async def _load(self) -> None:
        manager = self._client.conversation_manager
        next_seq = 0
        while True:
            page = await manager.get_conversation_list(next_seq, PAGE)
            for conv in page.conversation_list:
                if is_system(conv.conversation_id):
                    continue  # no one can write to it
                item = QStandardItem(conv.show_name)
                item.setData(conv, CONVERSATION)
                item.setData(f"{conv.show_name} {conv.user_id or conv.group_id}", SEARCH)
                item.setCheckable(True)
                item.setEditable(False)
                self.model.appendRow(item)
            next_seq = page.next_seq
            if page.is_finished or not page.conversation_list:
                break
        self._loaded = True
        self._update()

    # --- choosing ------------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        """The whole conversation list has been read."""
        return self._loaded

    def chosen_conversations(self) -> list[Conversation]:
        return [self.model.item(row).data(CONVERSATION) for row in range(self.model.rowCount())
                if self.model.item(row).checkState() == Qt.CheckState.Checked]

    def set_chosen(self, conversation_id: str, chosen: bool = True) -> None:
        for row in range(self.model.rowCount()):
            item = self.model.item(row)
            if item.data(CONVERSATION).conversation_id == conversation_id:
                item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)

    def _face_arrived(self, url: str) -> None:
        def shows(index: QModelIndex) -> bool:
            conv = index.data(CONVERSATION)
            return isinstance(conv, Conversation) and conv.face_url == url
        repaint_rows(self.list, shows)

    def _toggle(self, index: QModelIndex) -> None:
        item = self.model.itemFromIndex(self.proxy.mapToSource(index))
        checked = item.checkState() == Qt.CheckState.Checked
        item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._update()

    def _on_return(self) -> None:
        """Enter in the search box: the only match is ticked; with chats ticked, forward."""
        if not self.chosen_conversations() and self.proxy.rowCount() == 1:
            self._toggle(self.proxy.index(0, 0))
            return
        self._forward()

    def _update(self, *_args: object) -> None:
        count = len(self.chosen_conversations())
        self.forward_button.setEnabled(count > 0)
        self.forward_button.setText(self.tr("Forward") if count <= 1
                                    else self.tr("Forward to %1 chats").replace("%1", str(count)))
        nothing = self.proxy.rowCount() == 0 and self._loaded
        self.empty.setText(self.tr("No chats match your search") if self.search.text().strip()
                           else self.tr("No chats yet"))
        self.empty.setVisible(nothing)

    def _forward(self) -> None:
        chosen = self.chosen_conversations()
        if not chosen:
            return
        self.chosen.emit(chosen, self._count > 1 and self.merged.isChecked())
        self.accept()

    # --- look and language ---------------------------------------------------------------

    def _apply_theme(self) -> None:
        palette = current_palette()
        self.empty.setStyleSheet(f"color: {palette.secondary_text.name()}")
        self.setStyleSheet(choice_style(palette))
        self.list.viewport().update()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Forward"))
        self.title.setText(self.tr("Forward a message") if self._count == 1
                           else self.tr("Forward %1 messages").replace("%1", str(self._count)))
        self.search.setPlaceholderText(self.tr("Search chats"))
        self.one_by_one.setText(self.tr("One by one"))
        self.merged.setText(self.tr("As a merged chat history"))
        self.cancel_button.setText(self.tr("Cancel"))
        self._update()
