"""Painting the timeline: day chips, bubbles, avatars at the start of a run, time and status.

    ───────────── Today ─────────────
    (B) ╭──────────────╮
        │ hello   14:02│
        ╰──────────────╯
                     ╭────────────────────╮
                  (!)│ hi there  14:03 ✓✓ │
                     ╰────────────────────╯

A chat view asks every row for its size on each layout, so the wrapped text of a message is laid
out once per (message, width) and kept in an LRU (`sizeHint` then costs a dict lookup). Widths
are rounded down to a step so that dragging the window edge does not re-layout every message on
every pixel. The time sits inside the bubble after the last line when it fits there, otherwise
on a line of its own, as Telegram does.

Where the cache cannot show older messages without the service, the window's top row is the
model's gap row, painted as a centred pill: "Load earlier messages", or offline "Earlier
messages will load when you're online" — never older bubbles joined straight onto newer ones.

On a wide window the rows keep to a centred column of at most `MAX_COLUMN` pixels, so both sides
of a conversation stay within one glance. The cached QTextLayout is also what the view hit-tests
for links and text selection, so there is no widget per row.

Messages that are not text (pictures, voice, files, places, stickers, forwarded chats) take their
size and content from `media` (app/ui/media/bubbles.py) and share the rest: rows, day chips,
runs and their joined corners, the failed badge, the time. A recalled message is a centred
service line; it ends the run above it, so the next message shows its sender's avatar again.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSize,
    QSizeF,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QTextCharFormat,
    QTextLayout,
    QTextLine,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
)

from app.protocol import ConvType, ElemType
from app.sdk import Message, MessageStatus
from app.ui.faces import FaceStore, face_of
from app.ui.formatting import custom_text, day_label, full_time, message_preview
from app.ui.media.bubbles import (
    CARDS,
    SERVICE_LINES,
    BubbleKind,
    MediaPainter,
    kind_of,
    meta_text,
    meta_width,
)
from app.ui.media.glyphs import rounded_path
from app.ui.media.units import size_text
from app.ui.models.timeline import GapState, Role
from app.ui.palette import Palette
from app.ui.theme import current_palette
from app.ui.widgets.avatar import name_color, render_avatar
from app.ui.widgets.message_text import LINE_BREAK, display_text, find_links
from app.ui.widgets.status_marks import MARK_WIDTH, Mark, mark_of, paint_failed_badge, paint_mark

SIDE = 18
AVATAR = 34
AVATAR_GAP = 10
PAD_X = 12
PAD_Y = 7
RADIUS = 16.0
JOINED_RADIUS = 5.0
"""Corner radius on the sender's side where bubbles of one run touch."""
HEADER_H = 46
CHIP_H = 24
RUN_GAP = 12
GAP = 3
META_GAP = 10
FAILED_D = 20
FAILED_GAP = 8
NAME_H = 19
"""A group chat's sender name above the first bubble of someone else's run."""
PICK_D = 16
"""Select mode's circle."""
PICK_SHIFT = 16
"""How far select mode moves incoming messages right where the circle has no margin of its own."""
DIVIDER_H = 34
"""The "Unread messages" bar above the first unread message."""
GAP_ROW_H = 58
PILL_H = 30
PILL_PAD = 18
MAX_FRACTION = 0.65
"""Of the column: the widest a bubble gets."""
MAX_COLUMN = 760
"""The message column's widest (bubbles, avatars and margins), centred in a wider view."""
WIDTH_STEP = 8
CACHE_SIZE = 3000
"""Layouts kept: five windows' worth of rows (the model holds at most 600)."""
MEDIA_SIZES = 3000

Index = QModelIndex | QPersistentModelIndex


@dataclass(slots=True)
class BubbleLayout:
    text: QTextLayout
    content: QSizeF
    """Text plus time/status, without the padding."""
    links: list[tuple[int, int, str]]
    """(start, end, url) in the layout's text."""

    def link_at(self, position: int) -> str:
        return next((url for start, end, url in self.links if start <= position < end), "")

    def position_at(self, point: QPointF, on_character: bool = False) -> int:
        """The text position at `point` (relative to the text's top-left); with
        `on_character`, the character under it, or -1 when no character is there."""
        text = self.text
        count = text.lineCount()
        if count == 0:
            return -1 if on_character else 0
        if on_character and not 0 <= point.y() < text.lineAt(count - 1).rect().bottom():
            return -1
        if point.y() < 0:
            return 0
        for i in range(count):
            line = text.lineAt(i)
            if point.y() < line.y() + line.height() or i == count - 1:
                if on_character:
                    if not 0 <= point.x() < line.naturalTextWidth():
                        return -1
                    return line.xToCursor(point.x(), QTextLine.CursorPosition.CursorOnCharacter)
                return line.xToCursor(point.x())
        return len(text.text())

    def selected_text(self, start: int, end: int) -> str:
        return self.text.text()[start:end].replace(LINE_BREAK, "\n")


@dataclass(slots=True)
class RowGeometry:
    header: QRectF | None
    divider: QRectF | None
    bubble: QRectF
    avatar: QPointF | None
    failed: QRectF | None
    name: QRectF | None = None


def body_text(msg: Message) -> str:
    """What the bubble says: the text, a custom message's description, or a kind label."""
    if msg.elem_type == ElemType.TEXT and msg.text_elem is not None:
        return msg.text_elem.text
    if msg.elem_type == ElemType.CUSTOM:
        return custom_text(msg)
    return message_preview(msg)


_CJK = re.compile("[\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def _is_italic(msg: Message) -> bool:
    """Non-text messages read as annotations, in italics — except where the text is Chinese,
    Japanese or Korean: those fonts have no italic and Qt would only slant the glyphs."""
    return msg.elem_type != ElemType.TEXT and _CJK.search(body_text(msg)) is None


class MessageDelegate(QStyledItemDelegate):
    resend_requested = Signal(object)
    """The user clicked the red "!" of a failed message (a Message)."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view
        self._layouts: OrderedDict[tuple[str, int, int, int], BubbleLayout] = OrderedDict()
        self._media_sizes: OrderedDict[tuple[str, int, int, BubbleKind], QSizeF] = OrderedDict()
        self._font = QFont()
        self._names: dict[str, str] = {}
        self._selection: tuple[str, int, int] | None = None
        self._picked: frozenset[str] | None = None
        self._flash: tuple[str, float] | None = None
        self.found: Callable[[str], list[tuple[int, int]]] | None = None
        """Where a text matches what the chat's find bar looks for: (start, end) spans,
        marked in the bubbles while it is open."""
        self.media = MediaPainter()
        self.lookup: Callable[[str], str] = lambda _user_id: ""
        """Names of people outside the chat's own (a notice's operator), set by the view."""
        self.faces: FaceStore | None = None
        """The session's pictures behind face URLs, set by the view."""
        self.face_urls: dict[str, str] = {}
        """Senders' current face URLs (the peer's, the group's members'), set by the view;
        a message's own face URL stands in for anyone else."""

    # --- inputs from the view ------------------------------------------------------------

    def set_names(self, names: dict[str, str]) -> None:
        """Display names of the people in the chat (avatars show their initials)."""
        self._names = dict(names)
        self._media_sizes.clear()  # "Bob recalled a message" is as wide as Bob's name

    def clear_cache(self) -> None:
        """Fonts or translated labels changed: every layout must be made again."""
        self._layouts.clear()
        self._media_sizes.clear()

    def name_of(self, msg: Message) -> str:
        return self._names.get(msg.sender) or msg.sender_show_name

    def face_url_of(self, msg: Message) -> str:
        return self.face_urls.get(msg.sender) or msg.face_url

    def name_of_user(self, user_id: str) -> str:
        return self._names.get(user_id) or self.lookup(user_id) or user_id

    def set_me(self, user_id: str) -> None:
        """Whose side the chat is read from: a group tip says "you" for this user."""
        self.media.me = user_id
        self.media.names = self.name_of_user

    def set_selection(self, selection: tuple[str, int, int] | None) -> None:
        """The selected part of one message's text: (msg_id, start, end), start < end."""
        self._selection = selection

    def set_flash(self, msg_id: str, strength: float) -> None:
        """A message opened from search or a notification: a band in the accent colour
        behind its row, `strength` 1 → 0 as it fades (0 ends it)."""
        self._flash = (msg_id, strength) if msg_id and strength > 0 else None

    def set_picked(self, picked: frozenset[str]) -> None:
        """Select mode's messages (empty: not selecting). While selecting, every message row
        shows a circle in its margin, ticked on a tinted band for the picked ones."""
        self._picked = picked or None

    # --- metrics -------------------------------------------------------------------------

    def _fonts(self, base: QFont) -> tuple[QFont, QFont, QFont]:
        body = QFont(base)
        italic = QFont(base)
        italic.setItalic(True)
        meta = QFont(base)
        meta.setPointSizeF(base.pointSizeF() * 0.78)
        return body, italic, meta

    @staticmethod
    def column(rect: QRectF) -> QRectF:
        """The part of a row the message column takes: all of it up to MAX_COLUMN, centred."""
        width = min(rect.width(), MAX_COLUMN)
        return QRectF(rect.left() + (rect.width() - width) / 2, rect.top(), width, rect.height())

    def _max_text_width(self) -> int:
        column = min(self._view.viewport().width(), MAX_COLUMN)
        room = column - 2 * SIDE - AVATAR - AVATAR_GAP - 2 * PAD_X
        wanted = int(column * MAX_FRACTION) - 2 * PAD_X
        width = max(60, min(room, wanted))
        return width - width % WIDTH_STEP

    def _use_font(self, font: QFont) -> None:
        if font != self._font:
            self._font = QFont(font)
            self._layouts.clear()
            self._media_sizes.clear()

    def layout_for(self, msg: Message, font: QFont) -> BubbleLayout:
        self._use_font(font)
        max_w = self._max_text_width()
        # The minute is part of the key: an ack replaces my clock's time with the service's;
        # the version too: an edit replaces the text.
        cache_key = (msg.msg_id, max_w, msg.time_ms // 60_000, msg.modify_version)
        cached = self._layouts.get(cache_key)
        if cached is not None:
            self._layouts.move_to_end(cache_key)
            return cached
        body, italic, meta = self._fonts(font)
        text = display_text(body_text(msg))
        layout = QTextLayout(text, italic if _is_italic(msg) else body)
        links = find_links(text) if msg.elem_type == ElemType.TEXT else []
        if links:
            underline = QTextCharFormat()
            underline.setFontUnderline(True)
            layout.setFormats([_range(start, end, underline) for start, end, _url in links])
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        layout.setCacheEnabled(True)
        layout.beginLayout()
        y = 0.0
        widest = 0.0
        last = 0.0
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(max_w)
            line.setPosition(QPointF(0, y))
            y += line.height()
            last = line.naturalTextWidth()
            widest = max(widest, last)
        layout.endLayout()
        meta_w = meta_width(msg, meta)
        meta_h = QFontMetricsF(meta).height()
        if last + META_GAP + meta_w <= max_w:
            content = QSizeF(max(widest, last + META_GAP + meta_w), y)
        else:
            content = QSizeF(max(widest, meta_w), y + meta_h)
        result = BubbleLayout(layout, content, links)
        self._layouts[cache_key] = result
        if len(self._layouts) > CACHE_SIZE:
            self._layouts.popitem(last=False)
        return result

    def _media_size(self, msg: Message, kind: BubbleKind, font: QFont) -> QSizeF:
        self._use_font(font)
        max_w = self._max_text_width() + 2 * PAD_X
        key = (msg.msg_id, max_w, msg.time_ms // 60_000, kind)  # a recall changes the kind
        size = self._media_sizes.get(key)
        if size is None:
            size = self.media.size(msg, kind, max_w, font, self.name_of(msg))
            self._media_sizes[key] = size
            if len(self._media_sizes) > MEDIA_SIZES:
                self._media_sizes.popitem(last=False)
        return size

    def bubble_size(self, msg: Message, font: QFont) -> QSizeF:
        kind = kind_of(msg)
        if kind != BubbleKind.TEXT:
            return self._media_size(msg, kind, font)
        content = self.layout_for(msg, font).content
        return QSizeF(content.width() + 2 * PAD_X, content.height() + 2 * PAD_Y)

    def run_start(self, index: Index) -> bool:
        """The row starts a run (avatar, more air above): where the model says, and on either
        side of a recalled message's service line."""
        if index.data(Role.RUN_START):
            return True
        msg = index.data(Role.MESSAGE)
        above = index.siblingAtRow(index.row() - 1).data(Role.MESSAGE)
        return (isinstance(msg, Message) and isinstance(above, Message)
                and (kind_of(msg) in SERVICE_LINES) != (kind_of(above) in SERVICE_LINES))

    @staticmethod
    def _named(msg: Message, run_start: bool) -> bool:
        """Group chats name the sender over the first bubble of each run of someone else's."""
        return (run_start and not msg.is_self and msg.conv_type == ConvType.GROUP
                and kind_of(msg) not in SERVICE_LINES)

    def geometry(self, rect: QRectF, index: Index, font: QFont,
                 msg: Message | None = None) -> RowGeometry:
        """Where the parts of a row go inside its rect (shared by sizing, painting and hit
        tests); `msg` saves a lookup when the caller already has the row's message."""
        if msg is None:
            msg = index.data(Role.MESSAGE)
        rect = self.column(rect)
        y = rect.top()
        header = None
        if index.data(Role.DAY_HEADER):
            header = QRectF(rect.left(), y, rect.width(), HEADER_H)
            y += HEADER_H
        divider = None
        if index.data(Role.UNREAD_DIVIDER):
            divider = QRectF(rect.left(), y + GAP, rect.width(), DIVIDER_H)
            y += DIVIDER_H + GAP
        run_start = self.run_start(index)
        y += RUN_GAP if run_start and header is None and divider is None else GAP
        size = self.bubble_size(msg, font)
        avatar = None
        failed = None
        name = None
        if self._named(msg, run_start):
            left = rect.left() + SIDE + AVATAR + AVATAR_GAP
            name = QRectF(left + 2, y, rect.right() - SIDE - left, NAME_H)
            y += NAME_H
        if kind_of(msg) in SERVICE_LINES:
            x = rect.center().x() - size.width() / 2
        elif msg.is_self:
            x = rect.right() - SIDE - size.width()
            if msg.status == MessageStatus.SEND_FAIL:
                failed = QRectF(
                    x - FAILED_GAP - FAILED_D, y + (size.height() - FAILED_D) / 2,
                    FAILED_D, FAILED_D,
                )
        else:
            x = rect.left() + SIDE + AVATAR + AVATAR_GAP
            if run_start:
                avatar = QPointF(rect.left() + SIDE, y - (NAME_H if name else 0))
        return RowGeometry(header, divider, QRectF(QPointF(x, y), size), avatar, failed, name)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        width = self._view.viewport().width()
        if index.data(Role.GAP):
            return QSize(width, GAP_ROW_H)
        msg = index.data(Role.MESSAGE)
        if not isinstance(msg, Message):
            return QSize(0, 0)
        geo = self.geometry(QRectF(0, 0, width, 0), index, option.font, msg)
        bottom = geo.bubble.bottom()
        if geo.avatar is not None:
            bottom = max(bottom, geo.avatar.y() + AVATAR)
        return QSize(width, int(bottom + 0.999))

    def content_top(self, index: Index) -> int:
        """How far below the row's top its bubble starts: what must stay put when rows above
        change (the day chip of the old first row disappears when older history arrives)."""
        height = HEADER_H if index.data(Role.DAY_HEADER) else 0
        divider = bool(index.data(Role.UNREAD_DIVIDER))
        if divider:
            height += DIVIDER_H + GAP
        run_start = self.run_start(index)
        msg = index.data(Role.MESSAGE)
        named = isinstance(msg, Message) and self._named(msg, run_start)
        return height + (RUN_GAP if run_start and not height else GAP) + (NAME_H if named else 0)

    def prefetch(self, index: Index, font: QFont, dpr: float) -> None:
        """Ask for the picture of a row about to scroll into view."""
        msg = index.data(Role.MESSAGE)
        if isinstance(msg, Message) and self.media.kit is not None:
            kind = kind_of(msg)
            if kind != BubbleKind.TEXT:
                self.media.prefetch(msg, kind, self._media_size(msg, kind, font), dpr,
                                    self._view)

    # --- the gap row ---------------------------------------------------------------------

    def gap_text(self, state: GapState) -> str:
        if state == GapState.OFFLINE:
            return self.tr("Earlier messages will load when you're online")
        if state == GapState.LOADING:
            return self.tr("Loading earlier messages…")
        return self.tr("Load earlier messages")

    @staticmethod
    def _pill_font(base: QFont) -> QFont:
        font = QFont(base)
        font.setPointSizeF(base.pointSizeF() * 0.82)
        font.setWeight(QFont.Weight.DemiBold)
        return font

    def gap_pill(self, rect: QRectF, index: Index, font: QFont) -> QRectF | None:
        """Where the gap row's pill is drawn (None on a message row): what a click hits."""
        state = index.data(Role.GAP)
        if not state:
            return None
        text = self.gap_text(GapState(state))
        column = self.column(rect)
        width = min(QFontMetricsF(self._pill_font(font)).horizontalAdvance(text) + 2 * PILL_PAD,
                    column.width() - 2 * SIDE)
        return QRectF(column.center().x() - width / 2,
                      column.top() + (GAP_ROW_H - PILL_H) / 2, width, PILL_H)

    def _paint_gap(self, painter: QPainter, option: QStyleOptionViewItem, index: Index,
                   palette: Palette) -> None:
        pill = self.gap_pill(QRectF(option.rect), index, option.font)
        if pill is None:
            return
        state = GapState(index.data(Role.GAP))
        painter.save()
        painter.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
        )
        fill = QColor(palette.secondary_text)
        fill.setAlphaF(0.16 if palette.is_dark else 0.10)
        painter.setBrush(fill)
        edge = QColor(palette.link if state == GapState.LOADABLE else palette.separator)
        painter.setPen(edge)
        painter.drawRoundedRect(pill.adjusted(0.5, 0.5, -0.5, -0.5), PILL_H / 2, PILL_H / 2)
        painter.setFont(self._pill_font(option.font))
        painter.setPen(palette.link if state == GapState.LOADABLE else palette.secondary_text)
        text = self.gap_text(state)
        metrics = QFontMetricsF(painter.font())
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter,
                         metrics.elidedText(text, Qt.TextElideMode.ElideRight,
                                            pill.width() - PILL_PAD))
        painter.restore()

    # --- hit tests (the view's links and text selection) ---------------------------------

    def text_origin(self, geo: RowGeometry) -> QPointF:
        return geo.bubble.topLeft() + QPointF(PAD_X, PAD_Y)

    def hit(self, rect: QRectF, index: Index, font: QFont) -> tuple[RowGeometry, BubbleLayout]:
        msg = index.data(Role.MESSAGE)
        return self.geometry(rect, index, font, msg), self.layout_for(msg, font)

    # --- painting ------------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        palette = current_palette()
        if index.data(Role.GAP):
            self._paint_gap(painter, option, index, palette)
            return
        msg = index.data(Role.MESSAGE)
        if not isinstance(msg, Message):
            return
        painter.save()
        painter.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
        )
        geo = self.geometry(QRectF(option.rect), index, option.font, msg)
        kind = kind_of(msg)
        if geo.header is not None:
            self._paint_day_chip(painter, geo.header, msg.time_ms, option.font, palette)
        if geo.divider is not None:
            self._paint_divider(painter, geo.divider, option.font, palette)
        if self._flash is not None and self._flash[0] == msg.msg_id:
            band = QColor(palette.accent)
            band.setAlphaF((0.24 if palette.is_dark else 0.18) * self._flash[1])
            top = geo.bubble.top() - GAP
            painter.fillRect(QRectF(option.rect.left(), top, option.rect.width(),
                                    option.rect.bottom() + 1 - top), band)
        if self._picked is not None:
            row = QRectF(option.rect)
            self._paint_pick(painter, row, geo, msg.msg_id in self._picked, palette)
            if not msg.is_self and self.column(row).left() - row.left() < PICK_D + 8:
                painter.translate(PICK_SHIFT, 0)  # the circle takes the avatar's margin
        name = self.name_of(msg)
        if geo.avatar is not None:
            dpr = painter.device().devicePixelRatioF()
            painter.drawPixmap(geo.avatar, render_avatar(
                msg.sender, name, AVATAR, dpr, face_of(self.faces, self.face_url_of(msg))))
        if geo.name is not None:
            self._paint_name(painter, geo.name, msg, name, option.font)
        text_color = palette.bubble_out_text if msg.is_self else palette.bubble_in_text
        if kind == BubbleKind.TEXT:
            layout = self.layout_for(msg, option.font)
            self._paint_bubble(painter, geo.bubble, msg, index, palette)
            painter.setPen(text_color)
            layout.text.draw(painter, self.text_origin(geo),
                             self._highlights(msg, layout, palette))
            self._paint_meta(painter, geo.bubble, msg, option.font, palette, text_color)
        else:
            if kind in CARDS:
                self._paint_bubble(painter, geo.bubble, msg, index, palette)
            self.media.paint(painter, geo.bubble, msg, kind, option.font, palette,
                             self._radii(index, msg), self._view, name)
            if kind in CARDS:
                self._paint_meta(painter, geo.bubble, msg, option.font, palette, text_color)
        if geo.failed is not None:
            paint_failed_badge(painter, geo.failed, palette.danger)
        painter.restore()

    def _paint_name(self, painter: QPainter, rect: QRectF, msg: Message, name: str,
                    base: QFont) -> None:
        """In the sender's avatar colour, as Telegram does, so a busy group reads by colour."""
        font = QFont(base)
        font.setPointSizeF(base.pointSizeF() * 0.86)
        font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(font)
        painter.setPen(name_color(msg.sender, current_palette().is_dark))
        metrics = QFontMetricsF(font)
        text = metrics.elidedText(name, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)

    def _paint_pick(self, painter: QPainter, rect: QRectF, geo: RowGeometry, picked: bool,
                    palette: Palette) -> None:
        """Select mode's band and circle: the band spans the message's part of the row (not
        its day chip), the circle sits in the left margin beside the bubble's first line."""
        top = geo.bubble.top() - GAP
        if picked:
            band = QColor(palette.accent)
            band.setAlphaF(0.14 if palette.is_dark else 0.10)
            painter.fillRect(QRectF(rect.left(), top, rect.width(), rect.bottom() - top), band)
        column = self.column(rect)
        room = column.left() - rect.left()
        x = column.left() - PICK_D / 2 - 4 if room >= PICK_D + 8 else rect.left() + SIDE / 2 + 3
        centre = QPointF(x, geo.bubble.top() + min(geo.bubble.height(), 34) / 2)
        circle = QRectF(centre.x() - PICK_D / 2, centre.y() - PICK_D / 2, PICK_D, PICK_D)
        if picked:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.accent)
            painter.drawEllipse(circle)
            pen = QPen(palette.accent_text, 1.8)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            d = PICK_D
            painter.drawPolyline([QPointF(circle.left() + d * 0.27, circle.top() + d * 0.52),
                                  QPointF(circle.left() + d * 0.43, circle.top() + d * 0.68),
                                  QPointF(circle.left() + d * 0.73, circle.top() + d * 0.36)])
        else:
            painter.setPen(QPen(palette.secondary_text, 1.4))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(circle)

    def _paint_day_chip(
        self, painter: QPainter, rect: QRectF, ms: int, base: QFont, palette: Palette
    ) -> None:
        font = QFont(base)
        font.setPointSizeF(base.pointSizeF() * 0.8)
        font.setWeight(QFont.Weight.DemiBold)
        text = day_label(ms)
        width = QFontMetricsF(font).horizontalAdvance(text) + 24
        chip = QRectF(
            rect.center().x() - width / 2, rect.top() + (rect.height() - CHIP_H) / 2,
            width, CHIP_H,
        )
        painter.setPen(Qt.PenStyle.NoPen)
        fill = QColor(palette.secondary_text)
        fill.setAlphaF(0.16 if palette.is_dark else 0.12)
        painter.setBrush(fill)
        painter.drawRoundedRect(chip, CHIP_H / 2, CHIP_H / 2)
        painter.setFont(font)
        painter.setPen(palette.secondary_text)
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_divider(self, painter: QPainter, rect: QRectF, base: QFont,
                       palette: Palette) -> None:
        fill = QColor(palette.secondary_text)
        fill.setAlphaF(0.14 if palette.is_dark else 0.09)
        painter.fillRect(rect, fill)
        font = QFont(base)
        font.setPointSizeF(base.pointSizeF() * 0.8)
        font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(font)
        painter.setPen(palette.secondary_text)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.tr("Unread messages"))

    def _highlights(self, msg: Message, layout: BubbleLayout,
                    palette: Palette) -> list[QTextLayout.FormatRange]:
        """Link colours and the selection, drawn over the cached layout (so a theme switch
        does not invalidate it)."""
        ranges = []
        if layout.links:
            link = QTextCharFormat()
            link.setForeground(palette.bubble_out_text if msg.is_self and palette.is_dark
                               else palette.link)
            ranges.extend(_range(start, end, link) for start, end, _url in layout.links)
        if self._selection is not None and self._selection[0] == msg.msg_id:
            chosen = QTextCharFormat()
            background = QColor(palette.accent)
            background.setAlphaF(0.35)
            chosen.setBackground(background)
            ranges.append(_range(self._selection[1], self._selection[2], chosen))
        if self.found is not None:
            mark = QTextCharFormat()
            background = QColor(palette.accent)
            background.setAlphaF(0.30 if palette.is_dark else 0.22)
            mark.setBackground(background)
            ranges.extend(_range(start, end, mark) for start, end in self.found(layout.text.text()))
        return ranges

    def _joined_below(self, index: Index, msg: Message) -> bool:
        below = index.siblingAtRow(index.row() + 1)
        if not below.isValid() or self.run_start(below):
            return False
        other = below.data(Role.MESSAGE)
        return isinstance(other, Message) and other.is_self == msg.is_self

    def _radii(self, index: Index, msg: Message) -> tuple[float, float, float, float]:
        """The bubble's corners clockwise from top-left: smaller on the sender's side where
        bubbles of one run touch (right for mine, left for theirs)."""
        big, small = RADIUS, JOINED_RADIUS
        top_sender = big if self.run_start(index) else small
        bottom_sender = small if self._joined_below(index, msg) else big
        if msg.is_self:
            return (big, top_sender, bottom_sender, big)
        return (top_sender, big, big, bottom_sender)

    def _paint_bubble(
        self, painter: QPainter, rect: QRectF, msg: Message, index: Index, palette: Palette
    ) -> None:
        radii = self._radii(index, msg)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.bubble_out if msg.is_self else palette.bubble_in)
        if not msg.is_self and not palette.is_dark:
            # White bubbles on a light grey window need an edge to read as shapes.
            edge = QColor(palette.separator)
            painter.setPen(edge)
        painter.drawPath(rounded_path(rect.adjusted(0.5, 0.5, -0.5, -0.5), radii))

    def _paint_meta(
        self,
        painter: QPainter,
        bubble: QRectF,
        msg: Message,
        base: QFont,
        palette: Palette,
        text_color: QColor,
    ) -> None:
        _, _, meta = self._fonts(base)
        metrics = QFontMetricsF(meta)
        color = QColor(text_color)
        color.setAlphaF(0.55)
        right = bubble.right() - PAD_X
        bottom = bubble.bottom() - PAD_Y
        mark = mark_of(msg)
        if mark not in (Mark.NONE, Mark.FAILED):
            line = metrics.height()
            box = QRectF(right - MARK_WIDTH, bottom - line, MARK_WIDTH, line)
            mark_color = palette.link if mark == Mark.READ else color
            paint_mark(painter, box, mark, mark_color, palette.danger)
            right = box.left() - 3
        text = meta_text(msg)
        painter.setFont(meta)
        painter.setPen(palette.danger if mark == Mark.FAILED else color)
        width = metrics.horizontalAdvance(text)
        painter.drawText(
            QRectF(right - width, bottom - metrics.height(), width, metrics.height()),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
            text,
        )

    # --- interaction ---------------------------------------------------------------------

    def editorEvent(
        self,
        event: QEvent,
        model: QAbstractItemModel,
        option: QStyleOptionViewItem,
        index: Index,
    ) -> bool:
        if (
            isinstance(event, QMouseEvent)
            and event.type() == QEvent.Type.MouseButtonRelease
            and event.button() == Qt.MouseButton.LeftButton
            and isinstance(index.data(Role.MESSAGE), Message)
        ):
            geo = self.geometry(QRectF(option.rect), index, option.font)
            if geo.failed is not None and geo.failed.adjusted(-4, -4, 4, 4).contains(
                event.position()
            ):
                self.resend_requested.emit(index.data(Role.MESSAGE))
                return True
        return super().editorEvent(event, model, option, index)

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: Index,
    ) -> bool:
        msg = index.data(Role.MESSAGE)
        if not isinstance(msg, Message):
            return False
        geo = self.geometry(QRectF(option.rect), index, option.font)
        pos = QPointF(event.pos())
        if geo.failed is not None and geo.failed.contains(pos):
            QToolTip.showText(event.globalPos(), self.tr("Not sent. Click to try again."), view)
            return True
        if geo.bubble.contains(pos):
            QToolTip.showText(event.globalPos(), self._tooltip(msg), view)
            return True
        QToolTip.hideText()
        return True

    def _tooltip(self, msg: Message) -> str:
        lines = [full_time(msg.time_ms)]
        file = msg.file_elem
        if file is not None and kind_of(msg) == BubbleKind.FILE:
            lines.insert(0, f"{file.name} ({size_text(file.size)})")
        mark = mark_of(msg)
        if mark == Mark.SENDING:
            lines.append(self.tr("Sending…"))
        elif mark == Mark.SENT:
            lines.append(self.tr("Sent"))
        elif mark == Mark.READ:
            lines.append(self.tr("Read"))
        elif mark == Mark.FAILED:
            lines.append(self.tr("Not sent"))
        return "\n".join(lines)


def _range(start: int, end: int, fmt: QTextCharFormat) -> QTextLayout.FormatRange:
    part = QTextLayout.FormatRange()
    part.start, part.length, part.format = start, end - start, fmt
    return part
