"""The quick switcher (Ctrl+K): a search field and results over the main window, as Telegram,
Slack and VS Code have it.

It covers the window with a dimming scrim and shows a card near the top centre: the field, then
conversations, contacts and groups matching what is typed (`switcher_match`), each with its
avatar, the matched characters in the accent colour, and what it is (chat, contact, group) on
the right. ↑/↓ (and Page Up/Down, Tab) move, Enter opens, Esc or a click on the scrim closes.

The candidates are a snapshot taken when it opens; building their index spells names in pinyin,
so it runs on a worker thread while the most recent chats are already listed (and the last
opening's index is taken again when nothing changed). A query typed
meanwhile is answered as soon as the index is there. A query itself costs well under a
millisecond for 5,000 candidates (the index stops at the shown results).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
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
    QTextCharFormat,
    QTextLayout,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGraphicsDropShadowEffect,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.faces import FaceStore, face_of
from app.ui.i18n import Retranslatable
from app.ui.switcher_match import Candidate, Kind, Match, SwitcherIndex, short_turns
from app.ui.system_conversation import is_system
from app.ui.tasks import TaskGroup
from app.ui.theme import current_palette, theme_controller
from app.ui.widgets.avatar import render_avatar, render_icon_avatar
from app.ui.widgets.group_avatar import GroupFaces, render_group_avatar
from app.ui.widgets.icons import tinted_icon
from app.ui.widgets.menu_key import step_current
from app.ui.widgets.popup_card import PopupCard

CARD_WIDTH = 520
ROW_HEIGHT = 54
AVATAR = 38
VISIBLE_ROWS = 8
TOP_MARGIN = 72

Index = QModelIndex | QPersistentModelIndex
MatchRole = Qt.ItemDataRole.UserRole + 1

CandidateSource = Callable[[], list[Candidate]]
"""Gives the candidates when the switcher opens; called on a worker thread, so it must only
read snapshots (plain lists) taken on the GUI thread."""


class SwitcherModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.matches: list[Match] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.matches)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.matches):
            return None
        match = self.matches[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return match.candidate.name
        if role == MatchRole:
            return match
        return None

    def set_matches(self, matches: list[Match]) -> None:
        self.beginResetModel()
        self.matches = matches
        self.endResetModel()


def _kind_text(kind: Kind) -> str:
    """What a row is, on its right: a group (with a chat or not), a chat, a contact."""
    return {
        Kind.CHAT: QCoreApplication.translate("QuickSwitcher", "Chat"),
        Kind.CONTACT: QCoreApplication.translate("QuickSwitcher", "Contact"),
        Kind.GROUP: QCoreApplication.translate("QuickSwitcher", "Group"),
    }[kind]


class SwitcherDelegate(QStyledItemDelegate):
    """A row: avatar, the name with its matched characters in the accent colour, the ID (or
    the remark or nickname that matched) under it, the kind on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.faces: FaceStore | None = None
        self.group_faces: GroupFaces | None = None

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(0, ROW_HEIGHT)

    def _avatar(self, candidate: Candidate, dpr: float):
        if is_system(candidate.target):
            return render_icon_avatar("bell", AVATAR, dpr)
        if candidate.group_id and self.group_faces is not None:
            face_url, members = self.group_faces.group_face(candidate.group_id)
            return render_group_avatar(candidate.group_id, candidate.name, face_url or
                                       candidate.face_url, members, AVATAR, dpr,
                                       face_of(self.faces, face_url or candidate.face_url),
                                       lambda url: face_of(self.faces, url))
        return render_avatar(candidate.avatar_key or candidate.target, candidate.name, AVATAR,
                             dpr, face_of(self.faces, candidate.face_url))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        match = index.data(MatchRole)
        if not isinstance(match, Match):
            return
        candidate = match.candidate
        palette = current_palette()
        rect = QRectF(option.rect)
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
        top = rect.top() + (rect.height() - AVATAR) / 2
        painter.drawPixmap(QPointF(rect.left() + 16, top), self._avatar(candidate, dpr))

        base = QFont(option.font)  # type: ignore[attr-defined]
        name_font = QFont(base)
        name_font.setWeight(QFont.Weight.DemiBold)
        small = QFont(base)
        small.setPixelSize(max(11, base.pixelSize() - 2) if base.pixelSize() > 0 else 12)
        if base.pixelSize() <= 0:
            small.setPointSizeF(max(8.0, base.pointSizeF() - 1.5))
        kind = _kind_text(Kind.GROUP if candidate.group_id else candidate.kind)
        kind_width = QFontMetricsF(small).horizontalAdvance(kind)
        left = rect.left() + 16 + AVATAR + 12
        right = rect.right() - 16
        text_width = right - left - kind_width - 12
        name_line = QFontMetricsF(name_font).height()
        small_line = QFontMetricsF(small).height()
        block = name_line + 3 + small_line
        y = rect.top() + (rect.height() - block) / 2
        positions = match.name_positions
        _draw_highlighted(painter, candidate.name, positions, name_font, palette.text,
                          palette.accent, QPointF(left, y), text_width)
        if match.other:
            detail, detail_positions = match.other, match.other_positions
        else:
            detail, detail_positions = candidate.detail, ()
        if detail and detail != candidate.name:
            _draw_highlighted(painter, detail, detail_positions, small, palette.secondary_text,
                              palette.accent, QPointF(left, y + name_line + 3), text_width)
        painter.setFont(small)
        painter.setPen(palette.secondary_text)
        painter.drawText(QRectF(right - kind_width, y, kind_width, name_line),
                         int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), kind)
        painter.restore()


def _draw_highlighted(painter: QPainter, text: str, positions: tuple[int, ...], font: QFont,
                      color: QColor, accent: QColor, at: QPointF, width: float) -> None:
    """`text` on one line at `at`, elided to `width`, the characters at `positions` in the
    accent colour and bold."""
    metrics = QFontMetricsF(font)
    shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
    layout = QTextLayout(shown, font)
    formats = []
    bold = QFont(font)
    bold.setWeight(QFont.Weight.Bold)
    limit = len(shown) - (1 if shown != text else 0)
    for position in positions:
        if position >= limit:
            continue
        if formats and formats[-1].start + formats[-1].length == position:
            formats[-1].length += 1
            continue
        highlight = QTextLayout.FormatRange()
        highlight.start = position
        highlight.length = 1
        char_format = QTextCharFormat()
        char_format.setForeground(accent)
        char_format.setFont(bold)
        highlight.format = char_format
        formats.append(highlight)
    layout.setFormats(formats)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(width + 40)  # bold highlights widen a little; the elision stays
    layout.endLayout()
    painter.setPen(color)
    layout.draw(painter, at)


class QuickSwitcher(Retranslatable, QWidget):
    """Over `parent` (the main window); `open()` shows it, `chosen` says where to go."""

    chosen = Signal(str, str)
    """(conversation ID, name) of the row opened."""
    closed = Signal()

    def __init__(self, parent: QWidget, source: CandidateSource) -> None:
        super().__init__(parent)
        self.setObjectName("quickSwitcher")
        self._source = source
        self._index: SwitcherIndex | None = None
        self._candidates: list[Candidate] = []
        self._tasks = TaskGroup("quick switcher")
        self._build: asyncio.Task[object] | None = None
        self._enter_pending = False
        self._last: SwitcherIndex | None = None
        """The index of the last opening: reused while the candidates are the same."""
        self.hide()

        self.card = PopupCard(self)
        shadow = QGraphicsDropShadowEffect(self.card)
        shadow.setBlurRadius(32)
        shadow.setOffset(0, 8)
        shadow.setColor(QColor(0, 0, 0, 90))
        self.card.setGraphicsEffect(shadow)
        self.field = QLineEdit(self.card)
        self.field.setObjectName("quickSwitcherField")
        self._search_action = self.field.addAction(tinted_icon("search", QColor("gray"), 16),
                                                   QLineEdit.ActionPosition.LeadingPosition)
        self.field.installEventFilter(self)
        self.model = SwitcherModel(self)
        self.list = QListView(self.card)
        self.list.setObjectName("quickSwitcherList")
        self.delegate = SwitcherDelegate(self.list)
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
        self.empty = QLabel(self.card)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.hide()
        self.hint = QLabel(self.card)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self.card)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.setSpacing(8)
        layout.addWidget(self.field)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.hint)

        self.field.textChanged.connect(self._query)
        parent.installEventFilter(self)
        theme_controller().changed.connect(self._apply_theme)
        self._apply_theme()
        self.retranslate()

    # --- open and close ------------------------------------------------------------------

    def open(self, recent: list[Candidate] | None = None) -> None:
        """Show it over the window with an empty field and `recent` (the newest chats, shown
        until the index built meanwhile answers)."""
        self._index = None
        self._candidates = []
        self._enter_pending = False
        self.field.blockSignals(True)
        self.field.clear()
        self.field.blockSignals(False)
        self.model.set_matches([Match(c, -1) for c in (recent or [])])
        if recent:
            self.list.setCurrentIndex(self.model.index(0))
        self._place()
        self.show()
        self.raise_()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if self._build is not None:
            self._build.cancel()
        self._build = self._tasks.run(self._load())

    async def _load(self) -> None:
        source, last = self._source, self._last
        candidates, index = await asyncio.to_thread(lambda: _built(source, last))
        self._last = index
        if not self.isVisible():
            return
        self._candidates = candidates
        self._index = index
        chosen = self.list.currentIndex().data(MatchRole)
        self._query(self.field.text())
        if isinstance(chosen, Match) and not self.field.text().strip():
            # the recent chats again: a row moved to meanwhile stays chosen
            for row, match in enumerate(self.model.matches):
                if match.candidate.target == chosen.candidate.target:
                    self.list.setCurrentIndex(self.model.index(row))
                    break
        if self._enter_pending:
            self._enter_pending = False
            self._open_index(self.list.currentIndex())

    def close_switcher(self) -> None:
        if not self.isVisible():
            return
        if self._build is not None:
            self._build.cancel()
            self._build = None
        self.hide()
        self.closed.emit()

    @property
    def ready(self) -> bool:
        """The index is built: what is shown answers the field's text."""
        return self._index is not None

    def stop(self) -> None:
        self._tasks.cancel_all()

    # --- the query -----------------------------------------------------------------------

    def _query(self, text: str) -> None:
        index = self._index
        if index is None:
            return  # answered once the index is there
        self.model.set_matches(index.search(text))
        has_rows = self.model.rowCount() > 0
        self.list.setVisible(has_rows)
        self.empty.setVisible(not has_rows)
        if not has_rows:
            query = text.strip()
            self.empty.setText(self.tr("Nothing matches “%1”.").replace("%1", query) if query
                               else self.tr("No chats, contacts or groups yet."))
        else:
            self.list.setCurrentIndex(self.model.index(0))
            self.list.scrollToTop()
        if self.isVisible():
            self._place()

    def results(self) -> list[Match]:
        return list(self.model.matches)

    def _open_index(self, index: QModelIndex) -> None:
        match = index.data(MatchRole)
        if not isinstance(match, Match):
            return
        self.close_switcher()
        self.chosen.emit(match.candidate.target, match.candidate.name)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            key = cast(QKeyEvent, event).key()
            mods = cast(QKeyEvent, event).modifiers()
            page = max(1, VISIBLE_ROWS - 1)
            steps = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: page,
                     Qt.Key.Key_PageUp: -page, Qt.Key.Key_Tab: 1, Qt.Key.Key_Backtab: -1}
            if key in steps:
                step_current(self.list, steps[key])
                return True
            if key == Qt.Key.Key_N and mods == Qt.KeyboardModifier.ControlModifier:
                step_current(self.list, 1)  # Ctrl+N / Ctrl+P, as in Slack and VS Code
                return True
            if key == Qt.Key.Key_P and mods == Qt.KeyboardModifier.ControlModifier:
                step_current(self.list, -1)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._index is None and self.field.text().strip():
                    self._enter_pending = True  # opened as soon as the index answers
                else:
                    self._open_index(self.list.currentIndex())
                return True
            if key == Qt.Key.Key_Escape:
                self.close_switcher()
                return True
        return super().eventFilter(watched, event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """A click on the scrim, outside the card, closes it."""
        if not self.card.geometry().contains(event.position().toPoint()):
            self.close_switcher()
            return
        super().mousePressEvent(event)

    # --- look ----------------------------------------------------------------------------

    def _place(self) -> None:
        parent = cast(QWidget, self.parent())
        self.setGeometry(parent.rect())
        width = min(CARD_WIDTH, max(320, self.width() - 48))
        rows = min(VISIBLE_ROWS, self.model.rowCount())
        body = rows * ROW_HEIGHT + 4 if rows else 72  # as tall as the results, no taller
        chrome = 12 + self.field.sizeHint().height() + 8 + 8 + self.hint.sizeHint().height() + 8
        height = min(chrome + body, max(200, self.height() - TOP_MARGIN - 24))
        top = min(TOP_MARGIN, max(12, (self.height() - height) // 4))
        self.card.setGeometry(QRect((self.width() - width) // 2, top, width, height))

    def paintEvent(self, event: QPaintEvent) -> None:
        scrim = QColor(0, 0, 0, 110 if current_palette().is_dark else 70)
        QPainter(self).fillRect(self.rect(), scrim)

    def _apply_theme(self) -> None:
        palette = current_palette()
        self._search_action.setIcon(tinted_icon("search", palette.secondary_text, 16))
        self.field.setStyleSheet(
            f"QLineEdit#quickSwitcherField {{ font-size: 15px; padding: 9px 10px 9px 2px;"
            f" border-radius: 10px; background: {palette.input_bg.name()}; }}")
        self.list.setStyleSheet(
            "QListView#quickSwitcherList { background: transparent; border: none; }")
        secondary = f"color: {palette.secondary_text.name()};"
        self.empty.setStyleSheet(secondary)
        self.hint.setStyleSheet(secondary + " font-size: 11px;")
        self.update()

    def retranslate(self) -> None:
        self.field.setPlaceholderText(self.tr("Go to a chat, contact or group"))
        self.field.setAccessibleName(self.tr("Quick switcher"))
        self.hint.setText(self.tr("↑↓ to move · Enter to open · Esc to close"))
        self._query(self.field.text())


def _built(source: CandidateSource, last: SwitcherIndex | None
           ) -> tuple[list[Candidate], SwitcherIndex]:
    """The candidates and their index; the last index again when nothing changed since."""
    with short_turns():
        candidates = source()
        if last is not None and last.candidates == candidates:
            return candidates, last
        return candidates, SwitcherIndex(candidates)
