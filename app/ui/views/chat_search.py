"""The chat's part of search: a message shown in context, and the find bar (Ctrl+F).

Showing a message (a search result, a notification, a find-bar hit): when it is in the
timeline's window the view scrolls to it; otherwise the window is loaded around it (a page up
to it, a page after it, ``TimelineModel.load_around``). Either way it ends centred on screen
and flashes: a band in the accent colour behind its row that fades out. From there, scrolling
down loads newer pages until the newest (``load_newer``); the jump button goes back at once.
Offline a newer page stops where the cache cannot prove what follows and nothing is asked;
once the link is back, a user sitting at that bottom gets the next page without scrolling
(one page per reconnect, so a flapping link cannot loop).

The find bar sits under the chat's header: what is typed is searched in this conversation
(the SDK's FTS5 index, off the GUI thread, debounced; a stale query's answer is dropped), the
hits newest first, "3 of 17"; Enter or ↑ steps to the next older hit, Shift+Enter or ↓ to the
newer one, each shown as above; while the bar is open the matched words are marked in the
bubbles. Esc closes it and the chat goes back to its newest messages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtCore import (
    QEasingCurve,
    QEvent,
    QObject,
    QSize,
    Qt,
    QTimer,
    QVariantAnimation,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPainter, QPaintEvent, QTransform
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from app.protocol import IMError
from app.sdk import Message, MessageSearchParam
from app.ui.i18n import Retranslatable
from app.ui.search_text import match_spans
from app.ui.tasks import TaskGroup
from app.ui.theme import current_palette, theme_controller
from app.ui.widgets.icons import tinted_icon

if TYPE_CHECKING:
    from app.ui.views.chat import ChatView

FIND_PAGE = 100
DEBOUNCE_MS = 200
FLASH_MS = 1800
HIT_MARGIN = 0.4
"""Where a shown message's top lands: this far down the viewport."""


def _up_icon(color: QColor, dpr: float) -> QIcon:
    pixmap = tinted_icon("chevron-down", color, 18).pixmap(QSize(18, 18), dpr)
    up = pixmap.transformed(QTransform().rotate(180))
    up.setDevicePixelRatio(pixmap.devicePixelRatio())
    return QIcon(up)


class FindBar(Retranslatable, QWidget):
    """Field, "3 of 17", older/newer, close."""

    step_requested = Signal(int)
    """+1: the next older hit; -1: the next newer one."""
    close_requested = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("chatFindBar")
        self.field = QLineEdit(self)
        self.field.setObjectName("chatFindField")
        self.field.setClearButtonEnabled(True)
        self._icon = self.field.addAction(QIcon(), QLineEdit.ActionPosition.LeadingPosition)
        self.field.installEventFilter(self)
        self.count = QLabel(self)
        self.count.setObjectName("chatFindCount")
        self.count.setMinimumWidth(72)
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.older = QToolButton(self)
        self.newer = QToolButton(self)
        self.close_button = QToolButton(self)
        for button in (self.older, self.newer, self.close_button):
            button.setAutoRaise(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.older.clicked.connect(lambda: self.step_requested.emit(1))
        self.newer.clicked.connect(lambda: self.step_requested.emit(-1))
        self.close_button.clicked.connect(self.close_requested)
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 6, 10, 6)
        row.setSpacing(6)
        row.addWidget(self.field, 1)
        row.addWidget(self.count)
        row.addWidget(self.older)
        row.addWidget(self.newer)
        row.addWidget(self.close_button)
        theme_controller().changed.connect(self._apply_theme)
        self._apply_theme()
        self.retranslate()

    def set_count(self, current: int, total: int, searching: bool, query: str) -> None:
        if not query:
            self.count.setText("")
        elif searching and not total:
            self.count.setText(self.tr("Searching…"))
        elif not total:
            self.count.setText(self.tr("No results"))
        else:
            self.count.setText(self.tr("%1 of %2").replace("%1", str(current + 1))
                               .replace("%2", str(total)))
        self.older.setEnabled(total > 0 and current < total - 1)
        self.newer.setEnabled(total > 0 and current > 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            key_event = cast(QKeyEvent, event)
            key = key_event.key()
            shift = bool(key_event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.step_requested.emit(-1 if shift else 1)
                return True
            if key == Qt.Key.Key_Up:
                self.step_requested.emit(1)
                return True
            if key == Qt.Key.Key_Down:
                self.step_requested.emit(-1)
                return True
            if key == Qt.Key.Key_Escape:
                self.close_requested.emit()
                return True
        return super().eventFilter(watched, event)

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = current_palette()
        painter = QPainter(self)
        painter.fillRect(self.rect(), palette.window)
        painter.fillRect(0, self.height() - 1, self.width(), 1, palette.separator)

    def _apply_theme(self) -> None:
        palette = current_palette()
        quiet = palette.secondary_text
        self._icon.setIcon(tinted_icon("search", quiet, 16))
        self.older.setIcon(_up_icon(palette.text, self.devicePixelRatioF()))
        self.newer.setIcon(tinted_icon("chevron-down", palette.text, 18))
        self.close_button.setIcon(tinted_icon("dismiss", palette.text, 16))
        self.count.setStyleSheet(f"color: {quiet.name()};")
        self.update()

    def retranslate(self) -> None:
        self.field.setPlaceholderText(self.tr("Find in this chat"))
        self.older.setToolTip(self.tr("Older result (Enter)"))
        self.newer.setToolTip(self.tr("Newer result (Shift+Enter)"))
        self.close_button.setToolTip(self.tr("Close (Esc)"))


class ChatSearch(QObject):
    """Owned by the chat view: shows messages in context and runs its find bar."""

    def __init__(self, chat: ChatView) -> None:
        super().__init__(chat)
        self.chat = chat
        self.tasks = TaskGroup("chat search")
        self.bar = FindBar(chat)
        self.bar.hide()
        self.hits: list[Message] = []
        self.total = 0
        self.current = -1
        self._query = ""
        self._searching = False
        self._loading_newer = False
        self._flash_id = ""
        self._flash = QVariantAnimation(self)
        self._flash.setDuration(FLASH_MS)
        self._flash.setStartValue(1.0)
        self._flash.setKeyValueAt(0.45, 1.0)
        self._flash.setEndValue(0.0)
        self._flash.setEasingCurve(QEasingCurve.Type.InOutQuad)
        self._flash.valueChanged.connect(self._flash_step)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._search)
        self.bar.field.textChanged.connect(lambda _t: self._debounce.start())
        self.bar.step_requested.connect(self.step)
        self.bar.close_requested.connect(self.close_find)
        timeline = chat.timeline
        timeline.follows_bottom = lambda: chat.model.at_latest
        timeline.near_bottom.connect(self.load_newer)
        chat.model.link_toggled.connect(self._link_toggled)

    # --- a message in context ------------------------------------------------------------

    def show_message(self, msg: Message) -> None:
        """Scroll to `msg` in the open chat and flash it, loading the window around it when
        it is not in it."""
        chat = self.chat
        if chat.model.row_of(msg.msg_id) >= 0 and not chat.model.loading:
            self.reveal(msg.msg_id)
            return
        if not msg.seq:
            return  # an unsent message is among the newest: the window has it
        chat.load_around(msg)

    def reveal(self, msg_id: str) -> None:
        """`msg_id` (in the window) centred a little above the middle and flashed."""
        chat = self.chat
        row = chat.model.row_of(msg_id)
        if row < 0:
            return
        view = chat.timeline
        view.scroll_to_row(row, int(view.viewport().height() * HIT_MARGIN))
        view.setCurrentIndex(chat.model.index(row))
        self._flash.stop()
        self._flash_id = msg_id
        self._flash_step(1.0)  # at once, not on the animation's first tick
        self._flash.start()

    @property
    def flashing(self) -> str:
        """The message flashing now ("" when none)."""
        return self._flash_id if self._flash.state() == QVariantAnimation.State.Running else ""

    def _flash_step(self, value: object) -> None:
        strength = float(cast(float, value))
        self.chat.timeline.delegate.set_flash(self._flash_id, strength)
        row = self.chat.model.row_of(self._flash_id)
        if row >= 0:
            view = self.chat.timeline
            view.viewport().update(view.visualRect(self.chat.model.index(row)))
        if strength <= 0:
            self._flash_id = ""

    def load_newer(self) -> None:
        """Near the bottom of a window that stops short of the newest: the next page."""
        model = self.chat.model
        if (not model.has_newer or self._loading_newer or self.chat.is_opening
                or model.loading):
            return
        self._loading_newer = True

        def done(_count: object) -> None:
            self._loading_newer = False
            self.chat.window_moved()

        def failed(_error: IMError) -> None:
            self._loading_newer = False

        self.chat.tasks.run(model.load_newer(), on_done=done, on_error=failed)

    def _link_toggled(self) -> None:
        """Back online at the bottom of a window whose newer page stopped at a gap: the rest
        loads without another scroll."""
        model = self.chat.model
        if model.gap_below and self.chat.client.ready and self.chat.timeline.is_near_bottom():
            self.load_newer()

    def leave(self) -> None:
        """The chat is switched or closed: the bar closes, the flash stops."""
        self._loading_newer = False
        self._flash.stop()
        self._flash_id = ""
        self.chat.timeline.delegate.set_flash("", 0)
        if self.bar.isVisible():
            self._close_bar()

    # --- the find bar --------------------------------------------------------------------

    def open_find(self) -> None:
        """Ctrl+F: the bar under the header, its field focused (text kept and selected)."""
        if self.chat.conversation is None:
            return
        self.bar.show()
        self.bar.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.bar.field.selectAll()
        self._mark()
        if self.bar.field.text().strip() and self._query != self.bar.field.text().strip():
            self._search()

    def close_find(self) -> bool:
        """Esc: the bar goes and the chat is back at its newest messages; False when it was
        not open."""
        if not self.bar.isVisible():
            return False
        self._close_bar()
        self.chat.jump_to_latest()
        self.chat.composer.focus()
        return True

    def _close_bar(self) -> None:
        self._debounce.stop()
        self.tasks.cancel_all()
        self.bar.hide()
        self.bar.field.blockSignals(True)
        self.bar.field.clear()
        self.bar.field.blockSignals(False)
        self.hits, self.total, self.current, self._query = [], 0, -1, ""
        self._searching = False
        self.chat.timeline.delegate.found = None
        self.chat.timeline.viewport().update()

    @property
    def is_open(self) -> bool:
        return self.bar.isVisible()

    def _mark(self) -> None:
        query = self._query
        delegate = self.chat.timeline.delegate
        delegate.found = (lambda text: match_spans(text, query)) if query else None
        self.chat.timeline.viewport().update()

    def _search(self) -> None:
        self._debounce.stop()
        self.tasks.cancel_all()
        query = self.bar.field.text().strip()
        self._query = query
        self.hits, self.total, self.current = [], 0, -1
        self._mark()
        conv = self.chat.conversation
        if not query or conv is None:
            self._searching = False
            self._update_count()
            return
        self._searching = True
        self._update_count()
        self.tasks.run(self._first_page(conv.conversation_id, query))

    async def _page(self, conv_id: str, query: str, index: int) -> tuple[int, list[Message]]:
        try:
            result = await self.chat.client.message_manager.search_local_messages(
                MessageSearchParam([query], conversation_id=conv_id, page_size=FIND_PAGE,
                                   page_index=index))
        except IMError:
            return 0, []
        items = result.message_search_result_items
        return result.total_count, items[0].message_list if items else []

    async def _first_page(self, conv_id: str, query: str) -> None:
        total, hits = await self._page(conv_id, query, 0)
        if query != self._query:
            return
        self.hits, self.total, self._searching = hits, total, False
        if hits:
            self.current = 0
            self.show_message(hits[0])
        self._update_count()

    def step(self, delta: int) -> None:
        """+1 the next older hit, -1 the next newer one (the next page read when needed)."""
        if self._debounce.isActive():
            self._search()
            return
        target = self.current + delta
        if not 0 <= target < self.total:
            return
        if target < len(self.hits):
            self.current = target
            self.show_message(self.hits[target])
            self._update_count()
            return
        conv = self.chat.conversation
        if conv is not None:
            self.tasks.run(self._more(conv.conversation_id, self._query, target))

    async def _more(self, conv_id: str, query: str, target: int) -> None:
        _total, hits = await self._page(conv_id, query, len(self.hits) // FIND_PAGE)
        if query != self._query:
            return
        known = {m.msg_id for m in self.hits}
        self.hits += [m for m in hits if m.msg_id not in known]
        if target < len(self.hits):
            self.current = target
            self.show_message(self.hits[target])
        self._update_count()

    def _update_count(self) -> None:
        self.bar.set_count(self.current, self.total, self._searching, self._query)
