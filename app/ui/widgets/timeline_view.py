"""The timeline's list view: sticks to the bottom, and keeps still when history loads above.

Two behaviours every messenger has and QListView lacks:

- While the user is at the bottom, new rows (and late layouts, e.g. after a resize or after the
  model was filled) keep the view at the bottom.
- When rows are inserted or removed above the message the user is looking at (older history,
  the gap row coming or going), that message stays exactly where it was on screen: the scroll
  offset is re-based on it across the change (measured to its bubble, since its day chip may
  disappear when the day's earlier messages arrive above it).

It also makes the painted bubbles behave like text: links open on click (with a hand pointer),
a mouse drag selects part of one message's text, and Ctrl+C copies it. Hit tests go through the
delegate's cached text layouts. The message menu opens only over a message (or, from the
keyboard, for the current one), never for empty space. The gap row's pill is a button: a
click, or Enter on the row, asks for the missing history (``gap_clicked``).

Media bubbles are buttons too (a click, or Enter on the row): a photo or video opens the viewer,
a file downloads (a second click cancels) and then opens, a location opens the map in the
browser, a voice message and a forwarded chat are handed on (``play_voice``, ``open_merger``) to
whoever plays or shows them. Once the chat gives the view its media services (``set_media``),
the view also tells the loader which rows it shows — a moment after scrolling stops, queued work
for rows that left is dropped and the pictures a screen above and below are asked for — and
repaints the rows whose media arrived.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRectF,
    QSizeF,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QContextMenuEvent,
    QDesktopServices,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
)
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from app.protocol import media_uuids
from app.sdk import Message
from app.ui.media.bubbles import PICTURES, BubbleKind, kind_of
from app.ui.media.kit import MediaKit
from app.ui.media.links import map_url
from app.ui.models.timeline import GapState, Role
from app.ui.views.media_viewer import MediaViewer
from app.ui.widgets.menu_key import is_menu_key
from app.ui.widgets.message_delegate import AVATAR, BubbleLayout, MessageDelegate, body_text

BOTTOM_SLACK = 4
"""Pixels from the end that still count as "at the bottom"."""
DRAG_START = 3
"""Pixels the mouse moves before a press on a link becomes a selection."""
SWEEP_MS = 80
"""After scrolling (or any change of the rows) stops this long, the loader hears what is shown."""
ACTIONS = frozenset({BubbleKind.IMAGE, BubbleKind.VIDEO, BubbleKind.FILE, BubbleKind.VOICE,
                     BubbleKind.LOCATION, BubbleKind.MERGER})
"""Bubbles that do something when clicked."""


@dataclass(slots=True)
class TextSelection:
    """Part of one message's text: positions in its laid-out text (anchor where the drag
    began, cursor where it is now)."""

    msg_id: str
    anchor: int
    cursor: int

    @property
    def span(self) -> tuple[int, int]:
        return min(self.anchor, self.cursor), max(self.anchor, self.cursor)


@dataclass(slots=True)
class _Press:
    """The left button went down on a message's text: its row, where (viewport and text
    position), and the link there, if any (cleared once the press turns into a drag)."""

    index: QPersistentModelIndex
    at: QPointF
    position: int
    link: str


class TimelineView(QListView):
    near_top = Signal()
    """The user is within a screen of the oldest loaded row: time to load older history."""
    near_bottom = Signal()
    """The user is within a screen of the newest loaded row (the window may stop short of
    the newest message: time to load newer history)."""
    at_bottom_changed = Signal(bool)
    message_menu_requested = Signal(QModelIndex, QPoint)
    """The context menu of the message at `index`, at `pos` in viewport coordinates."""
    gap_clicked = Signal()
    """The user asked for the messages behind the gap row."""
    play_voice = Signal(object)
    """The user clicked a voice message (a Message): play it, or pause it if it plays."""
    open_merger = Signal(object)
    """The user clicked a forwarded chat history (a Message)."""
    play_video = Signal(object)
    """The user asked the viewer to play a video message (a Message)."""
    avatar_clicked = Signal(str)
    """The user clicked someone's avatar at the start of their run: their user ID."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setUniformItemSizes(False)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFrameShape(QListView.Shape.NoFrame)
        self.verticalScrollBar().setSingleStep(24)
        # Air between the newest bubble and the composer, and under the header.
        self.setViewportMargins(0, 4, 0, 12)
        self.delegate = MessageDelegate(self)
        self.setItemDelegate(self.delegate)
        self._at_bottom = True
        self.follows_bottom: Callable[[], bool] = lambda: True
        """Whether being at the bottom means following new rows: not while the window stops
        short of the newest message (rows appended below are older than that)."""
        self._anchor: tuple[QPersistentModelIndex, int] | None = None
        self.selection: TextSelection | None = None
        self._press: _Press | None = None
        self._gap_pressed = False
        self._media_press: tuple[QPersistentModelIndex, QPointF] | None = None
        self._avatar_press = ""
        self.media: MediaKit | None = None
        self.viewer: MediaViewer | None = None
        self._sweep_timer = QTimer(self)
        self._sweep_timer.setSingleShot(True)
        self._sweep_timer.setInterval(SWEEP_MS)
        self._sweep_timer.timeout.connect(self._sweep)
        self.viewport().setMouseTracking(True)
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._on_scrolled)
        bar.rangeChanged.connect(self._on_range)

    def setModel(self, model: QAbstractItemModel | None) -> None:
        old = self.model()
        if old is not None:
            old.rowsAboutToBeInserted.disconnect(self._before_insert)
            old.rowsInserted.disconnect(self._after_change)
            old.rowsAboutToBeRemoved.disconnect(self._before_remove)
            old.rowsRemoved.disconnect(self._after_change)
            old.modelReset.disconnect(self._on_reset)
        super().setModel(model)
        if model is not None:
            model.rowsAboutToBeInserted.connect(self._before_insert)
            model.rowsInserted.connect(self._after_change)
            model.rowsAboutToBeRemoved.connect(self._before_remove)
            model.rowsRemoved.connect(self._after_change)
            model.modelReset.connect(self._on_reset)

    # --- media ---------------------------------------------------------------------------

    def set_media(self, kit: MediaKit) -> None:
        """Show pictures and transfers through `kit` (once per session)."""
        self.media = kit
        self.delegate.media.kit = kit
        kit.loader.ready.connect(self._media_arrived)
        kit.loader.progress.connect(self._media_arrived)
        kit.animator.frame_ready.connect(self._media_arrived)
        kit.files.changed.connect(self._message_changed)
        kit.voices.changed.connect(self._message_changed)
        self.viewport().update()

    def _visible_rows(self, margin: int = 0) -> range:
        """The rows within `margin` pixels above and below the viewport."""
        model = self.model()
        if model is None or model.rowCount() == 0:
            return range(0)
        x = self.viewport().width() // 2
        first = self.indexAt(QPoint(x, -margin))
        last = self.indexAt(QPoint(x, self.viewport().height() + margin))
        return range(first.row() if first.isValid() else 0,
                     (last.row() if last.isValid() else model.rowCount() - 1) + 1)

    def _media_arrived(self, uuid: str) -> None:
        """Repaint the rows on screen that show `uuid`."""
        model = self.model()
        for row in self._visible_rows():
            index = model.index(row, 0)
            msg = index.data(Role.MESSAGE)
            if isinstance(msg, Message) and msg.elems and uuid in media_uuids(msg.elems[0]):
                self.viewport().update(self.visualRect(index))

    def _message_changed(self, msg_id: str) -> None:
        model = self.model()
        row = model.row_of(msg_id) if model is not None else -1
        if row >= 0:
            self.viewport().update(self.visualRect(model.index(row, 0)))

    def _sweep(self) -> None:
        """Tell the loader which rows are shown (work for others is dropped) and ask for the
        pictures a screen above and below."""
        kit = self.media
        if kit is None or self.model() is None:
            return
        model = self.model()
        screen = self.viewport().height()
        near = self._visible_rows(screen)
        tags = {model.index(row, 0).data(Role.KEY) for row in near}
        kit.loader.retain(self, tags)
        shown = self._visible_rows()
        dpr = self.devicePixelRatioF()
        for row in near:
            if row not in shown:
                self.delegate.prefetch(model.index(row, 0), self.font(), dpr)

    def _media_at(self, pos: QPointF) -> tuple[QModelIndex, BubbleKind] | None:
        """The row and kind of the media bubble under `pos`, if any."""
        index, local = self._message_at(pos)
        if local is None:
            return None
        kind = kind_of(index.data(Role.MESSAGE))
        return None if kind == BubbleKind.TEXT else (index, kind)

    def activate(self, msg: Message) -> None:
        """Do what a click on `msg`'s bubble does."""
        kind = kind_of(msg)
        kit = self.media
        if kind in PICTURES and kit is not None:
            self.open_viewer(msg)
        elif kind == BubbleKind.FILE and kit is not None:
            kit.files.click(msg)
        elif kind == BubbleKind.VOICE:
            if kit is not None and not msg.is_self:
                kit.voices.mark_played(msg.msg_id)
            self.play_voice.emit(msg)
        elif kind == BubbleKind.LOCATION and msg.location_elem is not None:
            QDesktopServices.openUrl(map_url(msg.location_elem))
        elif kind == BubbleKind.MERGER:
            self.open_merger.emit(msg)

    def open_viewer(self, msg: Message) -> MediaViewer | None:
        """The viewer over the window, on `msg`, stepping through the loaded window's photos
        and videos."""
        if self.media is None:
            return None
        if self.viewer is not None:
            self.viewer.close()
        items = [m for m in self.model().messages() if kind_of(m) in PICTURES]
        viewer = MediaViewer(self.media, items, msg, self.delegate.name_of, self.window())
        viewer.play_video.connect(self.play_video)
        viewer.closed.connect(self._viewer_closed)
        self.viewer = viewer
        viewer.show_over()
        return viewer

    def _viewer_closed(self) -> None:
        self.viewer = None
        self.setFocus()

    # --- state ---------------------------------------------------------------------------

    @property
    def at_bottom(self) -> bool:
        return self._at_bottom

    def scroll_to_bottom(self) -> None:
        self.doItemsLayout()
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())
        self._set_at_bottom(True)

    def scroll_to_row(self, row: int, margin: int) -> None:
        """Put the top of `row` `margin` pixels below the viewport's top (or as far down as
        the content allows: the bottom then stays followed)."""
        self.doItemsLayout()
        bar = self.verticalScrollBar()
        top = self.visualRect(self.model().index(row, 0)).top()
        bar.setValue(bar.value() + top - margin)
        self._set_at_bottom(bar.value() >= bar.maximum() - BOTTOM_SLACK)

    def is_below_viewport(self, row: int) -> bool:
        return self.visualRect(self.model().index(row, 0)).top() >= self.viewport().height()

    def first_visible_index(self) -> QModelIndex:
        return self.indexAt(QPoint(self.viewport().width() // 2, 1))

    def _set_at_bottom(self, value: bool) -> None:
        if value != self._at_bottom:
            self._at_bottom = value
            self.at_bottom_changed.emit(value)

    def is_near_top(self) -> bool:
        """Within a screen of the oldest loaded row."""
        return self.verticalScrollBar().value() <= self.viewport().height()

    def _on_scrolled(self, value: int) -> None:
        if self.media is not None:
            self._sweep_timer.start()
        bar = self.verticalScrollBar()
        self._set_at_bottom(value >= bar.maximum() - BOTTOM_SLACK)
        if self.is_near_top():
            self.near_top.emit()
        if self.is_near_bottom():
            self.near_bottom.emit()

    def is_near_bottom(self) -> bool:
        """Within a screen of the newest loaded row."""
        bar = self.verticalScrollBar()
        return bar.maximum() - bar.value() <= self.viewport().height()

    def _on_range(self, _minimum: int, maximum: int) -> None:
        bar = self.verticalScrollBar()
        if self._at_bottom and self.follows_bottom():
            bar.setValue(maximum)
        if self.is_near_top():
            self.near_top.emit()
        if self.is_near_bottom():
            self.near_bottom.emit()

    # --- keeping the view still across changes above -------------------------------------

    def _before_insert(self, parent: QModelIndex, first: int, _last: int) -> None:
        self._keep_still(parent, first, None)

    def _before_remove(self, parent: QModelIndex, first: int, last: int) -> None:
        self._keep_still(parent, first, last)

    def _keep_still(self, parent: QModelIndex, first: int, removed_last: int | None) -> None:
        """Rows from `first` are about to be inserted (or removed up to `removed_last`):
        remember where the first message on screen that stays is, if the change is above it."""
        self._anchor = None
        model = self.model()
        if parent.isValid() or (self._at_bottom and self.follows_bottom()) or (
                model.rowCount() == 0):
            return
        index = self.first_visible_index()
        if not index.isValid():
            return
        row = index.row()
        if removed_last is not None and first <= row <= removed_last:
            row = removed_last + 1
        while row < model.rowCount() and model.index(row, 0).data(Role.MESSAGE) is None:
            row += 1  # the gap row comes and goes: the message below it is what is read
        if row < first or row >= model.rowCount():
            return
        index = model.index(row, 0)
        top = self.visualRect(index).top() + self.delegate.content_top(index)
        self._anchor = (QPersistentModelIndex(index), top)

    def _after_change(self, parent: QModelIndex, _first: int, _last: int) -> None:
        anchor, self._anchor = self._anchor, None
        if anchor is None or not anchor[0].isValid():
            return
        index, old_top = self.model().index(anchor[0].row(), 0), anchor[1]
        self.doItemsLayout()
        new_top = self.visualRect(index).top() + self.delegate.content_top(index)
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + new_top - old_top)

    def _on_reset(self) -> None:
        self._anchor = None
        self._press = None
        self._gap_pressed = False
        self._set_selection(None)
        self._set_at_bottom(True)

    # --- text under the mouse ------------------------------------------------------------

    def _message_at(self, pos: QPointF) -> tuple[QModelIndex, QPointF | None]:
        """The row at `pos`, and `pos` relative to its text when it is inside the bubble."""
        index = self.indexAt(pos.toPoint())
        if not index.isValid() or index.data(Role.MESSAGE) is None:
            return QModelIndex(), None
        geo, _layout = self.delegate.hit(QRectF(self.visualRect(index)), index, self.font())
        if not geo.bubble.contains(pos):
            return index, None
        return index, pos - self.delegate.text_origin(geo)

    def _layout(self, index: QModelIndex) -> BubbleLayout:
        return self.delegate.layout_for(index.data(Role.MESSAGE), self.font())

    def link_at(self, pos: QPoint) -> str:
        """The URL of the link under `pos` (viewport coordinates), or ""."""
        index, local = self._message_at(QPointF(pos))
        if local is None:
            return ""
        layout = self._layout(index)
        position = layout.position_at(local, on_character=True)
        return layout.link_at(position) if position >= 0 else ""

    def _set_selection(self, selection: TextSelection | None) -> None:
        if selection is not None and selection.anchor == selection.cursor:
            selection = None
        if selection == self.selection:
            return
        self.selection = selection
        self.delegate.set_selection(
            None if selection is None else (selection.msg_id, *selection.span))
        self.viewport().update()

    def selected_text(self, msg_id: str | None = None) -> str:
        """The selected part of a message's text ("" when nothing, or another message, is
        selected)."""
        selection = self.selection
        if selection is None or (msg_id is not None and selection.msg_id != msg_id):
            return ""
        row = self.model().row_of(selection.msg_id)
        if row < 0:
            return ""
        return self._layout(self.model().index(row)).selected_text(*selection.span)

    def _on_gap_pill(self, pos: QPointF) -> bool:
        """`pos` is on the gap row's pill while it can load."""
        index = self.indexAt(pos.toPoint())
        if not index.isValid() or index.data(Role.GAP) != GapState.LOADABLE:
            return False
        pill = self.delegate.gap_pill(QRectF(self.visualRect(index)), index, self.font())
        return pill is not None and pill.contains(pos)

    def _avatar_at(self, pos: QPointF) -> str:
        """Whose avatar is at `pos` (someone else's: mine is not drawn), or ""."""
        index = self.indexAt(pos.toPoint())
        msg = index.data(Role.MESSAGE) if index.isValid() else None
        if not isinstance(msg, Message) or msg.is_self:
            return ""
        geo = self.delegate.geometry(QRectF(self.visualRect(index)), index, self.font(), msg)
        if geo.avatar is None or not QRectF(geo.avatar, QSizeF(AVATAR, AVATAR)).contains(pos):
            return ""
        return msg.sender

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = None
        self._gap_pressed = False
        self._media_press = None
        self._avatar_press = ""
        if event.button() == Qt.MouseButton.LeftButton and (who := self._avatar_at(
                event.position())):
            self._avatar_press = who
            event.accept()
            return
        if event.button() == Qt.MouseButton.LeftButton and self._on_gap_pill(event.position()):
            self._gap_pressed = True
            self._set_selection(None)
            event.accept()
            return
        media = self._media_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and media is not None:
            self._media_press = (QPersistentModelIndex(media[0]), event.position())
            self._set_selection(None)
            self.setCurrentIndex(media[0])
            event.accept()
            return
        if event.button() == Qt.MouseButton.LeftButton:
            index, local = self._message_at(event.position())
            if local is not None:
                layout = self._layout(index)
                character = layout.position_at(local, on_character=True)
                self._press = _Press(QPersistentModelIndex(index), event.position(),
                                     layout.position_at(local),
                                     layout.link_at(character) if character >= 0 else "")
                self._set_selection(None)
                self.setCurrentIndex(index)
                event.accept()
                return
            self._set_selection(None)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        press = self._press
        if press is None:
            self._update_cursor(event.position())
            super().mouseMoveEvent(event)
            return
        if press.link and (event.position() - press.at).manhattanLength() < DRAG_START:
            return
        press.link = ""  # a drag that began on a link selects instead of opening it
        if not press.index.isValid():
            return
        index = QModelIndex(press.index)
        geo, layout = self.delegate.hit(QRectF(self.visualRect(index)), index, self.font())
        cursor = layout.position_at(event.position() - self.delegate.text_origin(geo))
        self._set_selection(TextSelection(index.data(Role.KEY), press.position, cursor))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        avatar_press, self._avatar_press = self._avatar_press, ""
        if avatar_press and event.button() == Qt.MouseButton.LeftButton:
            if self._avatar_at(event.position()) == avatar_press:
                self.avatar_clicked.emit(avatar_press)
            event.accept()
            return
        gap_pressed, self._gap_pressed = self._gap_pressed, False
        if gap_pressed and event.button() == Qt.MouseButton.LeftButton:
            if self._on_gap_pill(event.position()):
                self.gap_clicked.emit()
            event.accept()
            return
        media_press, self._media_press = self._media_press, None
        if media_press is not None and event.button() == Qt.MouseButton.LeftButton:
            media = self._media_at(event.position())
            if (media is not None and media[0] == QModelIndex(media_press[0])
                    and (event.position() - media_press[1]).manhattanLength() < DRAG_START * 2):
                self.activate(media[0].data(Role.MESSAGE))
            event.accept()
            return
        press, self._press = self._press, None
        if press is None or event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        if press.link:
            QDesktopServices.openUrl(QUrl(press.link))
        event.accept()

    def _update_cursor(self, pos: QPointF) -> None:
        media = self._media_at(pos)
        if (self._on_gap_pill(pos) or (media is not None and media[1] in ACTIONS)
                or self._avatar_at(pos)):
            self.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        elif media is not None or self._message_at(pos)[1] is None:
            self.viewport().unsetCursor()
        elif self.link_at(pos.toPoint()):
            self.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            self.viewport().setCursor(Qt.CursorShape.IBeamCursor)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)
                and self.currentIndex().data(Role.GAP) == GapState.LOADABLE):
            self.gap_clicked.emit()
            event.accept()
            return
        msg = self.currentIndex().data(Role.MESSAGE)
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and isinstance(msg, Message)
                and kind_of(msg) in ACTIONS):
            self.activate(msg)
            event.accept()
            return
        if is_menu_key(event):  # Shift+F10 too: the current message's menu
            index = self.currentIndex()
            if index.isValid():
                self.message_menu_requested.emit(index, self.visualRect(index).center())
            event.accept()
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            text = self.selected_text()
            msg = self.currentIndex().data(Role.MESSAGE)
            if not text and msg is not None:
                text = body_text(msg)
            if text:
                QGuiApplication.clipboard().setText(text)
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """Over a bubble: that message's menu. From the keyboard: the current message's.
        Anywhere else (empty space, beside a bubble): none."""
        event.accept()
        if event.reason() == QContextMenuEvent.Reason.Mouse:
            index, local = self._message_at(QPointF(event.pos()))
            if local is None:
                return
            self.message_menu_requested.emit(index, event.pos())
            return
        index = self.currentIndex()
        if index.isValid():
            self.message_menu_requested.emit(index, self.visualRect(index).center())
