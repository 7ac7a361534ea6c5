"""Search messages in every chat (Ctrl+Shift+F, or "Search messages" under the chat filter).

A card over the window, as the quick switcher is: the field, filters (chat, sender, type,
time), then the messages that match, newest first, each labelled with its chat's avatar and
name, its sender and time, and a one-line snippet with the matched words bold in the accent
colour. ↑/↓ move, Enter or a click opens the message in its chat (the timeline loads around
it, ``open_requested``), Esc or a click beside the card closes it.

The search runs in the SDK (its SQLite worker thread: FTS5 over the cache); the GUI thread only
awaits. Typing is debounced, and a query still running when the next one starts is cancelled
and its answer dropped. Results come in pages of ``PAGE`` as the list is scrolled, so a word
in 10,000 messages never puts 10,000 rows into the view at once.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass
from typing import cast

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
    QStaticText,
    QTextCharFormat,
    QTextLayout,
    QTransform,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.protocol import IMError
from app.protocol.elements import ElemType
from app.sdk import Conversation, IMClient, Message, MessageSearchParam
from app.ui.faces import FaceStore, face_of
from app.ui.formatting import list_time, message_preview
from app.ui.i18n import Retranslatable
from app.ui.search_text import Span, snippet
from app.ui.system_conversation import is_system
from app.ui.tasks import TaskGroup
from app.ui.theme import current_palette, theme_controller
from app.ui.widgets.avatar import render_avatar, render_icon_avatar
from app.ui.widgets.group_avatar import GroupFaces, render_group_avatar
from app.ui.widgets.icons import tinted_icon
from app.ui.widgets.menu_key import step_current
from app.ui.widgets.popup_card import PopupCard

PAGE = 40
DEBOUNCE_MS = 150
CARD_WIDTH = 640
ROW_HEIGHT = 62
AVATAR = 40
MARGIN = 40
SHADOW = 18
CHAT_CHOICES = 300
"""The chat filter offers the most recent chats (a combo of thousands costs the GUI thread)."""
MORE_WHEN = 10
"""Rows from the end of the list at which the next page is asked for."""

Index = QModelIndex | QPersistentModelIndex
ResultRole = Qt.ItemDataRole.UserRole + 1

DAY_S = 86_400
PERIODS = (0, DAY_S, 7 * DAY_S, 30 * DAY_S, 365 * DAY_S)
TYPES: tuple[tuple[ElemType, ...], ...] = (
    (), (ElemType.TEXT,), (ElemType.FILE,), (ElemType.LOCATION,), (ElemType.MERGER,),
    (ElemType.CUSTOM,))


@dataclass(frozen=True, slots=True)
class Query:
    """What the panel asks the SDK: the field's text and the filters."""

    text: str
    conversation_id: str = ""
    sender: str = ""
    types: tuple[ElemType, ...] = ()
    period_s: int = 0

    def param(self, page: int) -> MessageSearchParam:
        return MessageSearchParam(
            [self.text], conversation_id=self.conversation_id,
            sender_user_id_list=[self.sender] if self.sender else [],
            message_type_list=list(self.types), search_time_period=self.period_s,
            page_size=PAGE, page_index=page, group_by_conversation=False)


@dataclass(slots=True)
class Result:
    message: Message
    text: str
    spans: list[Span]


def result_text(msg: Message) -> str:
    """What of a message the snippet shows: its words (text, file name, place, title)."""
    if msg.text_elem is not None:
        return msg.text_elem.text
    if msg.file_elem is not None:
        return msg.file_elem.name
    if msg.location_elem is not None:
        return msg.location_elem.desc
    if msg.merger_elem is not None:
        return msg.merger_elem.title
    return message_preview(msg)


class SearchResults(QAbstractListModel):
    """The pages of results shown so far (appended, never reset for a page)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.results: list[Result] = []
        self.total = 0

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.results)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.results):
            return None
        result = self.results[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return result.text
        if role == ResultRole:
            return result
        return None

    def clear(self) -> None:
        self.beginResetModel()
        self.results = []
        self.total = 0
        self.endResetModel()

    def replace(self, results: list[Result], total: int) -> None:
        """A new query's first page instead of the old query's rows (one reset, no empty
        list in between)."""
        self.beginResetModel()
        self.results = list(results)
        self.total = total
        self.endResetModel()

    def append(self, results: list[Result], total: int) -> None:
        self.total = total
        if not results:
            return
        first = len(self.results)
        self.beginInsertRows(QModelIndex(), first, first + len(results) - 1)
        self.results.extend(results)
        self.endInsertRows()

    @property
    def complete(self) -> bool:
        return len(self.results) >= self.total


@dataclass(slots=True)
class _Laid:
    """A row's texts measured and laid out once for its width, font and theme."""

    name: QStaticText
    when: QStaticText
    when_width: float
    sender: QStaticText | None
    sender_width: float
    snippet: QTextLayout
    line1: float
    line2: float


LAID_CACHE = 256


class ResultDelegate(QStyledItemDelegate):
    """A result: the chat's avatar, its name and the time on the first line, the sender and
    the snippet (matched words bold, in the accent colour) on the second. What a row shows is
    laid out once (elided names, the snippet's text layout) and kept, so scrolling only
    draws."""

    def __init__(self, panel: SearchPanel) -> None:
        super().__init__(panel)
        self._panel = panel
        self._laid: OrderedDict[tuple[object, ...], _Laid] = OrderedDict()

    def clear_cache(self) -> None:
        self._laid.clear()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(0, ROW_HEIGHT)

    def _avatar(self, conv_id: str, name: str, dpr: float) -> QPixmap:
        panel = self._panel
        conv = panel.conversation_of(conv_id)
        face_url = conv.face_url if conv is not None else ""
        if is_system(conv_id):
            return render_icon_avatar("bell", AVATAR, dpr)
        if conv is not None and conv.group_id:
            members: tuple = ()
            if panel.group_faces is not None:
                face_url, members = panel.group_faces.group_face(conv.group_id)
                face_url = face_url or conv.face_url
            return render_group_avatar(conv.group_id, name, face_url, members, AVATAR, dpr,
                                       face_of(panel.faces, face_url),
                                       lambda url: face_of(panel.faces, url))
        key = conv.user_id if conv is not None and conv.user_id else conv_id
        return render_avatar(key, name, AVATAR, dpr, face_of(panel.faces, face_url))

    def _lay_out(self, result: Result, name: str, width: float, base: QFont,
                 palette_name: str) -> _Laid:
        key = (result.message.msg_id, result.text, tuple(result.spans), name, round(width),
               base.key(), palette_name)
        laid = self._laid.get(key)
        if laid is not None:
            self._laid.move_to_end(key)
            return laid
        palette = current_palette()
        msg = result.message
        bold, small = _fonts(base)
        bold_metrics, base_metrics = QFontMetricsF(bold), QFontMetricsF(base)
        when = list_time(msg.time_ms)
        when_width = QFontMetricsF(small).horizontalAdvance(when)
        name_width = width - when_width - 12
        sender = self._panel.sender_name(msg)
        sender_width = 0.0
        label = ""
        if sender:
            sender_width = min(base_metrics.horizontalAdvance(sender + ": "), width / 2)
            label = base_metrics.elidedText(sender + ": ", Qt.TextElideMode.ElideRight,
                                            sender_width)
        laid = _Laid(_static(bold_metrics.elidedText(name, Qt.TextElideMode.ElideRight,
                                                     name_width), bold),
                     _static(when, small), when_width,
                     _static(label, base) if label else None, sender_width,
                     highlighted_layout(result.text, result.spans, base, palette.accent,
                                        width - sender_width),
                     bold_metrics.height(), base_metrics.height())
        self._laid[key] = laid
        while len(self._laid) > LAID_CACHE:
            self._laid.popitem(last=False)
        return laid

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        result = index.data(ResultRole)
        if not isinstance(result, Result):
            return
        msg = result.message
        palette = current_palette()
        rect = QRectF(option.rect)  # type: ignore[attr-defined]
        state = option.state  # type: ignore[attr-defined]
        painter.save()
        painter.setRenderHints(QPainter.RenderHint.Antialiasing
                               | QPainter.RenderHint.TextAntialiasing
                               | QPainter.RenderHint.SmoothPixmapTransform)
        selected = bool(state & QStyle.StateFlag.State_Selected)
        if selected or state & QStyle.StateFlag.State_MouseOver:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.list_selected if selected else palette.list_hover)
            painter.drawRoundedRect(rect.adjusted(6, 1, -6, -1), 8, 8)
        widget = option.widget  # type: ignore[attr-defined]
        dpr = widget.devicePixelRatioF() if widget is not None else 1.0
        conv_id = msg.conversation_id
        name = self._panel.conversation_name(conv_id)
        painter.drawPixmap(QPointF(rect.left() + 16, rect.top() + (rect.height() - AVATAR) / 2),
                           self._avatar(conv_id, name, dpr))
        base = QFont(option.font)  # type: ignore[attr-defined]
        left = rect.left() + 16 + AVATAR + 12
        right = rect.right() - 16
        laid = self._lay_out(result, name, right - left, base, palette.name)
        y = rect.top() + (rect.height() - laid.line1 - 3 - laid.line2) / 2
        bold, small = _fonts(base)
        painter.setFont(bold)  # drawStaticText uses the painter's font: the prepared one
        painter.setPen(palette.text)
        painter.drawStaticText(QPointF(left, y), laid.name)
        painter.setFont(small)
        painter.setPen(palette.secondary_text)
        when_top = y + (laid.line1 - laid.when.size().height()) / 2
        painter.drawStaticText(QPointF(right - laid.when_width, when_top), laid.when)
        y2 = y + laid.line1 + 3
        if laid.sender is not None:
            painter.setFont(base)
            painter.drawStaticText(QPointF(left, y2), laid.sender)
        painter.setPen(palette.text)
        laid.snippet.draw(painter, QPointF(left + laid.sender_width, y2))
        painter.restore()


def _fonts(base: QFont) -> tuple[QFont, QFont]:
    """The chat name's font and the time's."""
    bold = QFont(base)
    bold.setWeight(QFont.Weight.DemiBold)
    small = QFont(base)
    small.setPointSizeF(max(7.5, base.pointSizeF() * 0.88))
    return bold, small


def _static(text: str, font: QFont) -> QStaticText:
    static = QStaticText(text)
    static.setTextFormat(Qt.TextFormat.PlainText)
    static.prepare(QTransform(), font)
    return static


def highlighted_layout(text: str, spans: list[Span], font: QFont, accent: QColor,
                       width: float) -> QTextLayout:
    """`text` on one line, elided to `width`, the `spans` bold in the accent colour, laid
    out (draw it with the pen in the text colour)."""
    metrics = QFontMetricsF(font)
    shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
    limit = len(shown) - (1 if shown != text else 0)
    strong = QFont(font)
    strong.setWeight(QFont.Weight.Bold)
    char_format = QTextCharFormat()
    char_format.setForeground(accent)
    char_format.setFont(strong)
    formats = []
    for start, end in spans:
        end = min(end, limit)
        if start >= end:
            continue
        mark = QTextLayout.FormatRange()
        mark.start, mark.length, mark.format = start, end - start, char_format
        formats.append(mark)
    layout = QTextLayout(shown, font)
    layout.setFormats(formats)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(width + 40)  # bold widens a little; the elision stays
    layout.endLayout()
    return layout


class SearchPanel(Retranslatable, QWidget):
    """Over `parent` (the main window). `open(text)` shows it; `open_requested` says which
    message to show in its chat."""

    open_requested = Signal(str, object)
    """(conversation ID, Message) of the result opened."""
    closed = Signal()

    def __init__(self, client: IMClient, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("searchPanel")
        self.client = client
        self.faces: FaceStore | None = None
        self.group_faces: GroupFaces | None = None
        self.conversations: list[Conversation] = []
        """The chats the filter offers and the rows are named by (set by the window)."""
        self._by_id: dict[str, Conversation] = {}
        self._members: dict[str, list[tuple[str, str]]] = {}
        self._shadow: tuple[tuple[int, int, float], QPixmap] | None = None
        self._tasks = TaskGroup("search panel")
        self._query: Query | None = None
        self._running: asyncio.Task[None] | None = None
        self._next_page = 0
        self._enter_pending = False
        self.hide()

        self.card = PopupCard(self)  # its shadow is painted by the scrim (``paintEvent``): a
        # QGraphicsDropShadowEffect would blur the whole card again on every repaint of a row
        self.field = QLineEdit(self.card)
        self.field.setObjectName("searchPanelField")
        self.field.setClearButtonEnabled(True)
        self._search_icon = self.field.addAction(tinted_icon("search", QColor("gray"), 16),
                                                 QLineEdit.ActionPosition.LeadingPosition)
        self.field.installEventFilter(self)
        self.chat_filter = QComboBox(self.card)
        self.sender_filter = QComboBox(self.card)
        self.type_filter = QComboBox(self.card)
        self.time_filter = QComboBox(self.card)
        self.chat_filter.currentIndexChanged.connect(self._fill_senders)  # before searching
        for combo in (self.chat_filter, self.sender_filter, self.type_filter, self.time_filter):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setMaximumWidth(190)
            combo.currentIndexChanged.connect(self._filters_changed)
        self.count = QLabel(self.card)
        self.count.setObjectName("searchPanelCount")
        self.model = SearchResults(self)
        self.list = QListView(self.card)
        self.list.setObjectName("searchPanelList")
        self.delegate = ResultDelegate(self)
        self.list.setItemDelegate(self.delegate)
        self.list.setModel(self.model)
        self.list.setUniformItemSizes(True)
        self.list.setMouseTracking(True)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the field keeps the keys
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.clicked.connect(self._open_index)
        self.list.verticalScrollBar().valueChanged.connect(self._maybe_more)
        self.empty = QLabel(self.card)
        self.empty.setObjectName("searchPanelEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        filters = QHBoxLayout()
        filters.setSpacing(6)
        for combo in (self.chat_filter, self.sender_filter, self.type_filter, self.time_filter):
            filters.addWidget(combo)
        filters.addStretch(1)
        layout = QVBoxLayout(self.card)
        layout.setContentsMargins(12, 12, 12, 10)
        layout.setSpacing(8)
        layout.addWidget(self.field)
        layout.addLayout(filters)
        layout.addWidget(self.count)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._search)
        self.field.textChanged.connect(lambda _t: self._debounce.start())
        parent.installEventFilter(self)
        theme_controller().changed.connect(self._apply_theme)
        self._apply_theme()
        self.retranslate()
        self._show_state()

    # --- what rows are named by ----------------------------------------------------------

    def conversation_of(self, conv_id: str) -> Conversation | None:
        return self._by_id.get(conv_id)

    def conversation_name(self, conv_id: str) -> str:
        conv = self._by_id.get(conv_id)
        if conv is not None and conv.show_name:
            return conv.show_name
        return conv_id.split("_", 1)[-1]

    def sender_name(self, msg: Message) -> str:
        """"You", the sender in a group; nothing in a one-to-one chat with them (the row is
        already named after them)."""
        if msg.is_self:
            return self.tr("You")
        if not msg.group_id:
            return ""
        profile = self.client.profiles.get(msg.sender)
        return msg.name_card or (profile.nick if profile is not None else "") or \
            msg.sender_show_name or msg.sender

    # --- open and close ------------------------------------------------------------------

    def open(self, text: str = "", conversations: list[Conversation] | None = None) -> None:
        """Show it over the window with `text` in the field (searched at once)."""
        if conversations is not None:
            self.conversations = [c for c in conversations if not is_system(c.conversation_id)]
        self._by_id = {c.conversation_id: c for c in conversations or self.conversations}
        self._fill_chats()
        self._enter_pending = False
        self._place()
        self.show()
        self.raise_()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if text and text != self.field.text():
            self.field.setText(text)
        self.field.selectAll()
        self._debounce.stop()
        self._search()

    def close_panel(self) -> bool:
        if not self.isVisible():
            return False
        self._debounce.stop()
        self._cancel()
        self.hide()
        self.closed.emit()
        return True

    def stop(self) -> None:
        self._debounce.stop()
        self._tasks.cancel_all()

    # --- filters -------------------------------------------------------------------------

    def _fill_chats(self) -> None:
        combo = self.chat_filter
        current = combo.currentData() or ""
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(self.tr("All chats"), "")
        for conv in self.conversations[:CHAT_CHOICES]:
            combo.addItem(conv.show_name or conv.conversation_id, conv.conversation_id)
        at = combo.findData(current)
        combo.setCurrentIndex(max(0, at))
        combo.blockSignals(False)
        self._fill_senders()

    def _fill_senders(self) -> None:
        """Anyone, me, and the people of the chosen chat (the peer, or the group's members
        the SDK has cached), else the people of my one-to-one chats."""
        combo = self.sender_filter
        current = combo.currentData() or ""
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(self.tr("Anyone"), "")
        combo.addItem(self.tr("Me"), self.client.me)
        conv = self._by_id.get(self.chat_filter.currentData() or "")
        people: list[tuple[str, str]] = []
        if conv is not None and conv.user_id:
            people = [(conv.user_id, conv.show_name)]
        elif conv is not None and conv.group_id:
            people = self._members.get(conv.group_id, [])
            if conv.group_id not in self._members and self.client.ready:
                self._tasks.run(self._read_members(conv.group_id))
        else:
            people = [(c.user_id, c.show_name) for c in self.conversations
                      if c.user_id and not is_system(c.conversation_id)]
        for user_id, name in people[:CHAT_CHOICES]:
            combo.addItem(name or user_id, user_id)
        at = combo.findData(current)
        combo.setCurrentIndex(max(0, at))
        combo.blockSignals(False)

    async def _read_members(self, group_id: str) -> None:
        """The group's first members for the sender filter (online; offline: anyone, me)."""
        self._members[group_id] = []
        try:
            page = await self.client.group_manager.get_group_member_list(group_id, count=100)
        except IMError:
            del self._members[group_id]
            return
        self._members[group_id] = [(m.user_id, m.name_card or m.nick or m.user_id)
                                   for m in page.members if m.user_id != self.client.me]
        if self.chat_filter.currentData() == f"group_{group_id}":
            self._fill_senders()

    def _filters_changed(self, _index: int) -> None:
        if self.isVisible():
            self._debounce.stop()
            self._search()

    def current_query(self) -> Query:
        return Query(self.field.text().strip(),
                     conversation_id=self.chat_filter.currentData() or "",
                     sender=self.sender_filter.currentData() or "",
                     types=TYPES[max(0, self.type_filter.currentIndex())],
                     period_s=PERIODS[max(0, self.time_filter.currentIndex())])

    # --- searching -----------------------------------------------------------------------

    def _cancel(self) -> None:
        if self._running is not None:
            self._running.cancel()
            self._running = None

    def _search(self) -> None:
        """A new query: its first page is asked for, and replaces the old query's rows when
        it comes (the list does not blink empty in between); a query still running is
        cancelled (its answer would be for text no longer in the field)."""
        query = self.current_query()
        self._cancel()
        self._query = query
        self._next_page = 0
        if not query.text:
            self.model.clear()
            self._show_state()
            return
        self._running = self._tasks.run(self._page(query, 0))

    @property
    def busy(self) -> bool:
        return self._running is not None and not self._running.done()

    async def _page(self, query: Query, page: int) -> None:
        try:
            result = await self.client.message_manager.search_local_messages(query.param(page))
        except IMError:
            result = None  # punctuation only: nothing searchable
        if query != self._query or page != self._next_page:
            return
        self._next_page = page + 1
        messages = [m for item in (result.message_search_result_items if result else [])
                    for m in item.message_list]
        rows = []
        for msg in messages:
            text, spans = snippet(result_text(msg), query.text)
            rows.append(Result(msg, text, spans))
        first = page == 0
        total = result.total_count if result else 0
        if first:
            self.model.replace(rows, total)
        else:
            self.model.append(rows, total)
        if first and rows:
            self.list.setCurrentIndex(self.model.index(0))
            self.list.scrollToTop()
        self._running = None
        self._show_state()
        if self._enter_pending and rows:
            self._enter_pending = False
            self._open_index(self.list.currentIndex())
        self._maybe_more()

    def _maybe_more(self, *_args: object) -> None:
        """The next page once the list is scrolled near its end (or does not fill itself)."""
        query = self._query
        if query is None or not query.text or self.busy or self.model.complete:
            return
        bar = self.list.verticalScrollBar()
        if bar.maximum() - bar.value() > MORE_WHEN * ROW_HEIGHT:
            return
        self._running = self._tasks.run(self._page(query, self._next_page))

    def _show_state(self) -> None:
        if self.isVisible():
            self._place()
        query = self._query
        rows = self.model.rowCount()
        self.list.setVisible(rows > 0)
        self.empty.setVisible(rows == 0)
        self.count.setVisible(rows > 0)
        if rows:
            total = self.model.total
            self.count.setText(self.tr("1 message found") if total == 1 else
                               self.tr("%1 messages found").replace("%1", str(total)))
        elif query is None or not query.text:
            self.empty.setText(self.tr("Search the messages of every chat on this device."))
        elif self.busy:
            self.empty.setText(self.tr("Searching…"))
        else:
            self.empty.setText(self.tr("No messages match “%1”.").replace("%1", query.text))

    def results(self) -> list[Result]:
        return list(self.model.results)

    # --- keys and opening ----------------------------------------------------------------

    def _open_index(self, index: QModelIndex) -> None:
        result = index.data(ResultRole)
        if not isinstance(result, Result):
            return
        self.close_panel()
        self.open_requested.emit(result.message.conversation_id, result.message)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            key = cast(QKeyEvent, event).key()
            page = max(1, self.list.viewport().height() // ROW_HEIGHT - 1)
            steps = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: page,
                     Qt.Key.Key_PageUp: -page}
            if key in steps:
                step_current(self.list, steps[key])
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._debounce.isActive() or self.busy:
                    self._enter_pending = True  # opened as soon as the answer is here
                    if self._debounce.isActive():
                        self._debounce.stop()
                        self._search()
                else:
                    self._open_index(self.list.currentIndex())
                return True
            if key == Qt.Key.Key_Escape:
                self.close_panel()
                return True
        return super().eventFilter(watched, event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if not self.card.geometry().contains(event.position().toPoint()):
            self.close_panel()  # a click on the scrim
            event.accept()
            return
        super().mousePressEvent(event)

    # --- look ----------------------------------------------------------------------------

    def _place(self) -> None:
        parent = self.parentWidget()
        if parent is None:
            return
        self.setGeometry(parent.rect())
        width = min(CARD_WIDTH, parent.width() - 2 * MARGIN)
        most = max(240, min(720, parent.height() - 2 * MARGIN))
        # as tall as what it shows: the field, the filters, the count, then the rows (or
        # the empty state), up to most of the window
        head = (self.field.sizeHint().height() + self.chat_filter.sizeHint().height()
                + self.count.sizeHint().height() + 3 * 8 + 12 + 10)
        rows = self.model.rowCount()
        body = rows * ROW_HEIGHT + 8 if rows else 160
        height = min(most, head + body)
        card = QRect((parent.width() - width) // 2, MARGIN, width, height)
        if card != self.card.geometry():
            self.card.setGeometry(card)
            self.update()  # the scrim and shadow where the card was (on X11 that area kept
            # the old card's picture)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0, 110 if current_palette().is_dark else 70))
        card = self.card.geometry()
        painter.drawPixmap(card.left() - SHADOW, card.top() - SHADOW + 6,
                           self._shadow_for(card.size()))

    def _shadow_for(self, size: QSize) -> QPixmap:
        """The card's soft shadow (rings, fainter outwards), drawn once per card size and
        pixel ratio and then only copied."""
        dpr = self.devicePixelRatioF()
        key = (size.width(), size.height(), dpr)
        if self._shadow is not None and self._shadow[0] == key:
            return self._shadow[1]
        pixmap = QPixmap(round((size.width() + 2 * SHADOW) * dpr),
                         round((size.height() + 2 * SHADOW) * dpr))
        pixmap.setDevicePixelRatio(dpr)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        card = QRectF(SHADOW, SHADOW, size.width(), size.height())
        for step in range(1, SHADOW // 2 + 1):
            painter.setBrush(QColor(0, 0, 0, 9))
            painter.drawRoundedRect(card.adjusted(-step * 2, -step, step * 2, step * 2),
                                    12 + step * 2, 12 + step * 2)
        painter.end()
        self._shadow = (key, pixmap)
        return pixmap

    def _apply_theme(self) -> None:
        palette = current_palette()
        self._search_icon.setIcon(tinted_icon("search", palette.secondary_text, 16))
        self.list.setStyleSheet(
            f"QListView {{ background: {palette.list_bg.name()}; border: none; }}"
            "QListView::item { border: none; }")
        quiet = palette.secondary_text.name()
        self.count.setStyleSheet(f"color: {quiet}; padding: 2px 6px;")
        self.empty.setStyleSheet(f"color: {quiet}; padding: 24px;")
        self.list.viewport().update()
        self.update()

    def retranslate(self) -> None:
        self.field.setPlaceholderText(self.tr("Search messages"))
        if self.chat_filter.count():
            self.chat_filter.setItemText(0, self.tr("All chats"))
        self._fill_senders()
        for combo, texts in (
            (self.type_filter, (self.tr("Any type"), self.tr("Text"), self.tr("Files"),
                                self.tr("Locations"), self.tr("Chat histories"),
                                self.tr("Custom"))),
            (self.time_filter, (self.tr("Any time"), self.tr("Past day"), self.tr("Past week"),
                                self.tr("Past month"), self.tr("Past year"))),
        ):
            current = max(0, combo.currentIndex())
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(list(texts))
            combo.setCurrentIndex(current)
            combo.blockSignals(False)
        self._show_state()


def search_messages_label(text: str) -> str:
    return QCoreApplication.translate("SearchPanel", "Search messages for “%1”").replace(
        "%1", text)


class SearchMessagesRow(QWidget):
    """Under the chat filter while it has text: "Search messages for “…”", a click (or
    Enter on it) opens the panel with that text. The filter itself looks at names only."""

    clicked = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("searchMessagesRow")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setFixedHeight(44)
        self._text = ""
        self._hover = False
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)
        self.hide()
        theme_controller().changed.connect(self.update)

    def set_text(self, text: str) -> None:
        self._text = text.strip()
        self.setVisible(bool(self._text))
        self.setToolTip(search_messages_label(self._text))
        self.update()

    @property
    def text(self) -> str:
        return self._text

    def event(self, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.HoverEnter, QEvent.Type.HoverLeave):
            self._hover = event.type() == QEvent.Type.HoverEnter
            self.update()
        return super().event(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
                event.position().toPoint()):
            self.clicked.emit(self._text)
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit(self._text)
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = current_palette()
        painter = QPainter(self)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing
                               | QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(self.rect(), palette.list_hover if self._hover else palette.list_bg)
        painter.fillRect(0, self.height() - 1, self.width(), 1, palette.separator)
        icon = tinted_icon("search", palette.accent, 18)
        painter.drawPixmap(16, (self.height() - 18) // 2, icon.pixmap(18, 18))
        font = QFont(self.font())
        painter.setFont(font)
        painter.setPen(palette.accent)
        rect = QRectF(44, 0, self.width() - 56, self.height())
        label = QFontMetricsF(font).elidedText(search_messages_label(self._text),
                                               Qt.TextElideMode.ElideMiddle, rect.width())
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         label)
        if self.hasFocus():
            painter.setPen(palette.accent)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(3.5, 3.5, -3.5, -3.5), 6, 6)
