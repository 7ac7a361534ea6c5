"""The conversation list pane: filter box, "new chat" button, and the list itself.

The list is a QListView over `ConversationFilterModel`; rows move, appear and change through the
model's fine-grained signals, so the selection (the open chat) survives every update. Changes of
the current row caused by the model itself (a row removed, filtered out, moved) are not user
choices and never open another chat; the open chat is re-selected when its row comes back.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.protocol import RecvOpt
from app.sdk import Conversation
from app.ui.faces import FaceStore
from app.ui.i18n import Retranslatable
from app.ui.models.conversations import ConversationFilterModel, ConversationListModel, Role
from app.ui.shortcuts import by_name, shortcut_text
from app.ui.theme import current_palette, set_primary, theme_controller
from app.ui.widgets.conversation_delegate import ConversationDelegate
from app.ui.widgets.face_rows import repaint_rows
from app.ui.widgets.icons import tinted_icon
from app.ui.widgets.menu_key import open_menu_by_key

NEW_CHAT_SHORTCUT = by_name("new_chat").keys[0]
"""As the shortcut registry installs it, for the button's tip and the empty list's hint."""


class EmptyHint(QWidget):
    """What an empty list says: what to do next (with the button that does it), or that the
    filter matches nothing."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.title = QLabel(self)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.title.font()
        font.setWeight(font.Weight.DemiBold)
        self.title.setFont(font)
        self.text = QLabel(self)
        self.note = QLabel(self)
        for label in (self.text, self.note):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.note.setTextFormat(Qt.TextFormat.RichText)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note.hide()
        self.button = QPushButton(self)
        set_primary(self.button)
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addStretch(2)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addSpacing(6)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(10)
        layout.addWidget(self.note)
        layout.addStretch(3)


class ConversationListPane(Retranslatable, QWidget):
    conversation_selected = Signal(str)
    new_chat_requested = Signal()
    pin_requested = Signal(str, bool)
    delete_requested = Signal(str)
    chat_focus_requested = Signal()
    """Enter on a row: the keys go to the open chat's message box."""
    mark_read_requested = Signal(str)
    mark_all_read_requested = Signal()
    receive_option_requested = Signal(str, int)
    """Conversation ID and a `RecvOpt`."""

    def __init__(self, model: ConversationListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = ConversationFilterModel(model, self)
        self._current_id = ""
        self._model_busy = 0
        self._note = ""

        self.filter = QLineEdit(self)
        self.filter.setClearButtonEnabled(True)
        self._search_action = QAction(self.filter)
        self.filter.addAction(self._search_action, QLineEdit.ActionPosition.LeadingPosition)
        self.filter.installEventFilter(self)
        self.new_chat = QToolButton(self)
        self.new_chat.setIconSize(QSize(20, 20))
        self.new_chat.setCursor(Qt.CursorShape.PointingHandCursor)

        self.list = QListView(self)
        self.delegate = ConversationDelegate(self.list)
        self.list.setItemDelegate(self.delegate)
        self.list.setUniformItemSizes(True)
        self.list.setMouseTracking(True)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        # Before setModel: these must run ahead of the selection model's own handlers, which
        # move the current row when the current one goes away.
        for about_to in (self.proxy.rowsAboutToBeRemoved, self.proxy.rowsAboutToBeInserted,
                         self.proxy.rowsAboutToBeMoved):
            about_to.connect(self._model_changing)
        self.proxy.layoutAboutToBeChanged.connect(self._model_changing)
        self.proxy.modelAboutToBeReset.connect(self._model_changing)
        self.list.setModel(self.proxy)
        for done in (self.proxy.rowsRemoved, self.proxy.rowsInserted, self.proxy.rowsMoved):
            done.connect(self._model_changed)
        self.proxy.layoutChanged.connect(self._model_changed)
        self.proxy.modelReset.connect(self._model_changed)
        self.list.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.list.clicked.connect(self._on_clicked)
        self.list.customContextMenuRequested.connect(self._context_menu)
        open_menu_by_key(self.list, self._context_menu)
        self.list.installEventFilter(self)

        self.empty_hint = EmptyHint(self.list.viewport())
        self.empty_hint.button.clicked.connect(self.new_chat_requested)
        self.list.viewport().installEventFilter(self)

        top = QHBoxLayout()
        top.setContentsMargins(12, 12, 8, 10)
        top.setSpacing(6)
        top.addWidget(self.filter, 1)
        top.addWidget(self.new_chat)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)

        self.filter.textChanged.connect(self._on_filter)
        self.new_chat.clicked.connect(self.new_chat_requested)
        theme_controller().changed.connect(self._apply_theme)
        self._apply_theme()
        self.retranslate()
        self._update_placeholder()

    # --- selection -----------------------------------------------------------------------

    @property
    def current_id(self) -> str:
        return self._current_id

    def select(self, conversation_id: str) -> None:
        """Mark the open chat in the list (no `conversation_selected`)."""
        self._current_id = conversation_id
        self._sync_selection()

    def _sync_selection(self) -> None:
        selection = self.list.selectionModel()
        row = self.model.row_of(self._current_id) if self._current_id else -1
        index = self.proxy.mapFromSource(self.model.index(row)) if row >= 0 else QModelIndex()
        if index == self.list.currentIndex() and (not index.isValid() or
                                                  selection.isSelected(index)):
            return
        self._model_busy += 1
        try:
            if index.isValid():
                self.list.setCurrentIndex(index)
            else:
                selection.clear()
        finally:
            self._model_busy -= 1

    def _model_changing(self, *_args: object) -> None:
        self._model_busy += 1

    def _model_changed(self, *_args: object) -> None:
        self._model_busy = max(0, self._model_busy - 1)
        if not self._model_busy:
            self._sync_selection()
            self._update_placeholder()

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._model_busy or not current.isValid():
            return
        keys_here = self.list.hasFocus()
        self._choose(current)
        if keys_here:  # ↑/↓ through the list open each chat and stay in the list
            self.list.setFocus(Qt.FocusReason.OtherFocusReason)

    def neighbour(self, delta: int, unread: bool = False) -> str:
        """The chat `delta` rows from the open one in the list as shown (from the first or
        the last when none is open); with `unread`, the nearest one that way with unread
        messages; "" past either end."""
        rows = self.proxy.rowCount()
        row = -1
        source = self.model.row_of(self._current_id) if self._current_id else -1
        if source >= 0:
            row = self.proxy.mapFromSource(self.model.index(source)).row()
        target = (0 if delta > 0 else rows - 1) if row < 0 else row + delta
        while 0 <= target < rows:
            index = self.proxy.index(target, 0)
            if not unread or (index.data(Role.UNREAD) or 0) > 0:
                conversation_id = index.data(Role.ID)
                return conversation_id if isinstance(conversation_id, str) else ""
            target += 1 if delta > 0 else -1
        return ""

    def _on_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self._choose(index)

    def _choose(self, index: QModelIndex) -> None:
        conversation_id = index.data(Role.ID)
        if conversation_id and conversation_id != self._current_id:
            self._current_id = conversation_id
            self.conversation_selected.emit(conversation_id)

    # --- filter --------------------------------------------------------------------------

    def _on_filter(self, text: str) -> None:
        self.proxy.set_query(text)
        self._update_placeholder()

    def set_faces(self, faces: FaceStore) -> None:
        """Rows paint people's and groups' pictures from `faces`; an arrival repaints only
        the rows showing it."""
        self.delegate.faces = faces
        faces.arrived.connect(self._face_arrived)

    def _face_arrived(self, url: str) -> None:
        def shows(index: QModelIndex) -> bool:
            conv = index.data(Role.CONVERSATION)
            return isinstance(conv, Conversation) and self.delegate.shows_face(conv, url)
        repaint_rows(self.list, shows)

    def focus_filter(self) -> None:
        self.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list.viewport() and event.type() == QEvent.Type.Resize:
            self._update_placeholder()
        if (
            watched is self.list
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.list.currentIndex().isValid()
        ):
            self._choose(self.list.currentIndex())
            self.chat_focus_requested.emit()
            return True
        if (
            watched is self.filter
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
        ):
            if event.key() == Qt.Key.Key_Escape and self.filter.text():
                self.filter.clear()
                return True
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                first = self.proxy.index(0, 0)
                if first.isValid():
                    self.list.setFocus(Qt.FocusReason.OtherFocusReason)
                    if event.key() != Qt.Key.Key_Down:
                        self._choose(first)
                        self.list.setCurrentIndex(first)
                    return True
        return super().eventFilter(watched, event)

    def set_note(self, html: str) -> None:
        """A line under the empty list's hint (rich text, selectable): e.g. the user's ID."""
        self._note = html
        self._update_placeholder()

    def _update_placeholder(self) -> None:
        empty = self.proxy.rowCount() == 0
        hint = self.empty_hint
        if empty:
            query = self.filter.text().strip()
            if query:
                hint.title.setText(self.tr("No chats match “%1”.").replace("%1", query))
                hint.text.setText(self.tr("Search looks at names and user IDs."))
            else:
                hint.title.setText(self.tr("No chats yet"))
                hint.text.setText(self.tr("Start one with New chat (%1).").replace(
                    "%1", shortcut_text(NEW_CHAT_SHORTCUT)))
            hint.button.setText(self.tr("New chat"))
            hint.button.setVisible(not query)
            hint.note.setText(self._note)
            hint.note.setVisible(bool(self._note) and not query)
            hint.setGeometry(self.list.viewport().rect().adjusted(20, 0, -20, -40))
        hint.setVisible(empty)

    # --- context menu --------------------------------------------------------------------

    def _context_menu(self, pos: QPoint) -> None:
        index = self.list.indexAt(pos)
        conv = index.data(Role.CONVERSATION) if index.isValid() else None
        if not isinstance(conv, Conversation):
            return
        menu = QMenu(self)
        conv_id = conv.conversation_id
        if conv.unread_count > 0:
            read = QAction(self.tr("Mark as read"), menu)
            read.triggered.connect(lambda: self.mark_read_requested.emit(conv_id))
            menu.addAction(read)
        read_all = QAction(self.tr("Mark all chats as read"), menu)
        read_all.triggered.connect(self.mark_all_read_requested)
        read_all.setEnabled(any(c.unread_count for c in self.model.conversations()))
        menu.addAction(read_all)
        menu.addSeparator()
        pin = QAction(self.tr("Unpin") if conv.is_pinned else self.tr("Pin to top"), menu)
        pin.triggered.connect(lambda: self.pin_requested.emit(conv_id, not conv.is_pinned))
        menu.addAction(pin)
        menu.addMenu(self._receive_menu(menu, conv))
        menu.addSeparator()
        delete = QAction(self.tr("Delete chat"), menu)
        delete.triggered.connect(lambda: self.delete_requested.emit(conv.conversation_id))
        menu.addAction(delete)
        menu.popup(self.list.viewport().mapToGlobal(pos))

    def _receive_menu(self, parent: QMenu, conv: Conversation) -> QMenu:
        """The three receive options (C6) as one exclusive choice, the current one checked."""
        menu = QMenu(self.tr("Notifications"), parent)
        group = QActionGroup(menu)
        choices = (
            (RecvOpt.RECEIVE, self.tr("Notify me")),
            (RecvOpt.RECEIVE_NOT_NOTIFY, self.tr("Don't notify, show a dot")),
            (RecvOpt.NOT_RECEIVE, self.tr("Don't receive")),
        )
        for opt, label in choices:
            action = QAction(label, group)
            action.setCheckable(True)
            action.setChecked(conv.recv_opt == opt)
            action.triggered.connect(
                lambda _=False, o=opt: self.receive_option_requested.emit(conv.conversation_id,
                                                                          int(o))
            )
            menu.addAction(action)
        return menu

    # --- look and language ---------------------------------------------------------------

    def retranslate(self) -> None:
        self.filter.setPlaceholderText(self.tr("Search chats"))
        shortcut = shortcut_text(NEW_CHAT_SHORTCUT)
        self.new_chat.setToolTip(f"{self.tr('New chat')} ({shortcut})")
        self.new_chat.setAccessibleName(self.tr("New chat"))
        self._update_placeholder()
        self.list.viewport().update()  # the rows paint "[Draft]" and dates in the language

    def paintEvent(self, event: QPaintEvent) -> None:
        """The search row sits on the list's colour: one surface, not a band above it."""
        QPainter(self).fillRect(self.rect(), current_palette().list_bg)

    def _apply_theme(self) -> None:
        palette = current_palette()
        self.update()
        self._search_action.setIcon(tinted_icon("search", palette.secondary_text, 16))
        self.new_chat.setIcon(tinted_icon("compose", palette.secondary_text, 20))
        secondary = f"color: {palette.secondary_text.name()}"
        self.empty_hint.text.setStyleSheet(secondary)
        self.empty_hint.note.setStyleSheet(secondary)
        self.list.viewport().update()
