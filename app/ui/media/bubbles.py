"""Sizes and painting of the bubbles that are not text.

    ╭───────────────╮   ╭────────────────────────╮   ╭─────────────────────────╮
    │   (photo)     │   │ (▶) ▂▅▇▅▃▂▅▆▃▂▁▃▅       │   │ [PDF] report-q3.pdf     │
    │        14:02 ✓│   │     0:07 •        14:02│   │       2.4 MB · Open 14:02│
    ╰───────────────╯   ╰────────────────────────╯   ╰─────────────────────────╯

Pictures (image, video snapshot) are the bubble: no padding, the bubble's corners clip them, and
the time sits on them in a dark pill, as in Telegram. A sticker (face) is drawn without a bubble.
Cards (voice, file, location, forwarded chat history) are bubbles with their own layout; the
delegate paints their fill and their time like a text bubble's. A recalled message is a service
line in the middle of the column.

Painting does no work it could avoid: images come decoded at the exact device-pixel size from
the ThumbnailLoader (one texture blit through the rounded path); everything else is a handful of
paths and text runs. Sizes depend only on the message and the column width, never on what has
loaded, so rows do not jump when a thumbnail arrives.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QTransform,
)

from app.protocol import ElemType, ImageElem, ImageKind, VideoElem
from app.sdk import Message, MessageStatus
from app.ui.formatting import clock_time
from app.ui.group_notices import notice_of, notice_text
from app.ui.group_tips import NameOf, tips_text
from app.ui.media import glyphs
from app.ui.media.animation import MAX_GIF_BYTES
from app.ui.media.kit import MediaKit
from app.ui.media.levels import Level, bubble_level, bubble_size, levels_of, natural_size
from app.ui.media.units import coordinates_text, duration_text, progress_text, size_text
from app.ui.media.waveform import BAR_GAP, BAR_WIDTH, bar_count, bars
from app.ui.palette import Palette
from app.ui.widgets.status_marks import MARK_WIDTH, Mark, mark_of, paint_mark

CARD_PAD_X = 12.0
CARD_PAD_Y = 10.0
META_GAP = 10.0
TILE_GAP = 12.0
FILE_TILE = 44.0
PLACE_TILE = 52.0
VOICE_BUTTON = 42.0
WAVE_H = 22.0
FACE_SIDE = 128.0
SERVICE_H = 26.0
SERVICE_PAD = 12.0
PLAY_DISC = 52.0
PILL_H = 20.0
PILL_PAD = 7.0
PILL_INSET = 6.0
META_BOTTOM = 7.0
"""How far above a card's bottom edge the delegate draws the time (its PAD_Y): the voice
card's duration sits on the same line."""
MAX_ABSTRACTS = 4
TINY_TARGET = 24

FACES = ("😀", "😂", "😍", "😘", "😎", "🤔", "😭", "😡", "👍", "👎", "👏", "🙏", "💪", "🎉",
         "❤️", "💔", "🔥", "🌹", "☕", "🍺", "🎂", "🐶", "🐱", "🌞", "🌙", "⭐", "😴", "🤝",
         "😅", "😱", "🤗", "😜", "😏", "🙄", "😇", "🥳", "😤", "🤣", "😋", "🥺")
"""What a face's index shows while no sticker set is bundled: emoji in a fixed order."""


class BubbleKind(Enum):
    TEXT = "text"
    IMAGE = "image"
    VIDEO = "video"
    VOICE = "voice"
    FILE = "file"
    LOCATION = "location"
    FACE = "face"
    MERGER = "merger"
    REVOKED = "revoked"
    TIPS = "tips"
    """A group tip: a centred service line, like a recalled message's."""


PICTURES = frozenset({BubbleKind.IMAGE, BubbleKind.VIDEO})
SERVICE_LINES = frozenset({BubbleKind.REVOKED, BubbleKind.TIPS})
"""Kinds painted as a centred line between the runs, not as somebody's bubble."""
CARDS = frozenset({BubbleKind.VOICE, BubbleKind.FILE, BubbleKind.LOCATION, BubbleKind.MERGER})
"""Kinds painted on a bubble fill, with the time at the bottom right like text."""

_KINDS = {
    ElemType.IMAGE: BubbleKind.IMAGE, ElemType.VIDEO: BubbleKind.VIDEO,
    ElemType.SOUND: BubbleKind.VOICE, ElemType.FILE: BubbleKind.FILE,
    ElemType.LOCATION: BubbleKind.LOCATION, ElemType.FACE: BubbleKind.FACE,
    ElemType.MERGER: BubbleKind.MERGER, ElemType.GROUP_TIPS: BubbleKind.TIPS,
    ElemType.GROUP_SYSTEM: BubbleKind.TIPS,
}


def kind_of(msg: Message) -> BubbleKind:
    if msg.is_revoked:
        return BubbleKind.REVOKED
    return _KINDS.get(msg.elem_type, BubbleKind.TEXT)


def revoked_text(msg: Message, name: str, me: str = "", names: NameOf = str) -> str:
    """Who recalled it: the sender, or in a group the owner or an admin (``revoker``)."""
    if msg.revoker and msg.revoker != msg.sender:
        if msg.revoker == me:
            return QCoreApplication.translate("Media", "You recalled a message from %1").replace(
                "%1", name)
        return (QCoreApplication.translate("Media", "%1 recalled a message from %2")
                .replace("%1", names(msg.revoker)).replace("%2", name))
    if msg.is_self:
        return QCoreApplication.translate("Media", "You recalled a message")
    return QCoreApplication.translate("Media", "%1 recalled a message").replace("%1", name)


def face_text(msg: Message) -> str:
    """The emoji a face message shows: its data when that is text, else by its index."""
    elem = msg.face_elem
    if elem is None:
        return FACES[0]
    if elem.data and len(elem.data) <= 8 and not elem.data.isascii():
        return elem.data
    return FACES[elem.index % len(FACES)]


@dataclass(frozen=True, slots=True)
class Fonts:
    body: QFont
    strong: QFont
    small: QFont
    meta: QFont
    pill: QFont


_FONTS: dict[tuple[str, tuple[str, ...]], Fonts] = {}


def fonts_of(base: QFont) -> Fonts:
    """The fonts of media bubbles, derived from the timeline's (kept per font: painting asks
    on every row)."""
    key = (base.toString(), tuple(base.families()))
    fonts = _FONTS.get(key)
    if fonts is None:
        strong = QFont(base)
        strong.setWeight(QFont.Weight.DemiBold)
        small = QFont(base)
        small.setPointSizeF(base.pointSizeF() * 0.86)
        meta = QFont(base)
        meta.setPointSizeF(base.pointSizeF() * 0.78)
        pill = QFont(meta)
        pill.setWeight(QFont.Weight.DemiBold)
        fonts = _FONTS[key] = Fonts(QFont(base), strong, small, meta, pill)
    return fonts


def meta_text(msg: Message) -> str:
    """The time at the end of a bubble, with "edited" before it once the sender edited the
    message (as Telegram shows it)."""
    if msg.is_modified and not msg.is_revoked:
        return QCoreApplication.translate("Media", "edited %1").replace(
            "%1", clock_time(msg.time_ms))
    return clock_time(msg.time_ms)


def meta_width(msg: Message, meta: QFont) -> float:
    """The time (and my status mark) at the end of a bubble."""
    width = QFontMetricsF(meta).horizontalAdvance(meta_text(msg))
    return width + 3 + MARK_WIDTH if msg.is_self else width


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _hint_color(msg: Message, palette: Palette) -> QColor:
    return palette.bubble_out_text if msg.is_self and palette.is_dark else palette.link


def _soft(color: QColor, alpha: float) -> QColor:
    soft = QColor(color)
    soft.setAlphaF(alpha)
    return soft


class MediaPainter:
    """Sizes and paints the non-text bubbles of one delegate; `kit` is None until the chat
    gives the timeline its media services (pictures then show placeholders)."""

    def __init__(self) -> None:
        self.kit: MediaKit | None = None
        self.me = ""
        self.names: NameOf = str
        """Who a group tip names, as the chat knows them (set by the chat view)."""

    def service_text(self, msg: Message, kind: BubbleKind, name: str) -> str:
        tips = msg.group_tips_elem
        if kind == BubbleKind.TIPS and tips is not None:
            return tips_text(tips, self.me, self.names)
        notice = notice_of(msg)
        if kind == BubbleKind.TIPS and notice is not None:
            return notice_text(notice, self.names)
        return revoked_text(msg, name, self.me, self.names)

    # --- sizes ---------------------------------------------------------------------------

    def size(self, msg: Message, kind: BubbleKind, max_width: float, base: QFont,
             name: str) -> QSizeF:
        """The bubble's size (padding included); `max_width` is the widest a bubble gets."""
        fonts = fonts_of(base)
        if kind in PICTURES:
            elem = msg.image_elem if kind == BubbleKind.IMAGE else msg.video_elem
            return bubble_size(natural_size(elem) if elem else QSize(), max_width)
        if kind == BubbleKind.FACE:
            return QSizeF(FACE_SIDE, FACE_SIDE)
        if kind in SERVICE_LINES:
            text = self.service_text(msg, kind, name)
            width = QFontMetricsF(fonts.pill).horizontalAdvance(text) + 2 * SERVICE_PAD
            return QSizeF(min(width, max_width), SERVICE_H)
        meta_w = meta_width(msg, fonts.meta)
        meta_h = QFontMetricsF(fonts.meta).height()
        small_h = QFontMetricsF(fonts.small).height()
        strong_h = QFontMetricsF(fonts.strong).height()
        room = max_width - 2 * CARD_PAD_X
        if kind == BubbleKind.VOICE:
            seconds = msg.sound_elem.duration_s if msg.sound_elem else 0
            duration_w = QFontMetricsF(fonts.small).horizontalAdvance(duration_text(seconds))
            wave = max(_clamp(90 + 5 * seconds, 120, 200), duration_w + 12 + META_GAP + meta_w)
            wave = min(wave, room - VOICE_BUTTON - TILE_GAP)
            height = max(VOICE_BUTTON, WAVE_H + 4 + max(meta_h, small_h))
            return QSizeF(2 * CARD_PAD_X + VOICE_BUTTON + TILE_GAP + wave,
                          2 * CARD_PAD_Y + height)
        if kind == BubbleKind.FILE:
            elem = msg.file_elem
            name_w = QFontMetricsF(fonts.strong).horizontalAdvance(elem.name if elem else "")
            hint = max(self._file_hint(True), self._file_hint(False), key=len)
            second = QFontMetricsF(fonts.small).horizontalAdvance(
                f"{size_text(elem.size if elem else 0)} · {hint}")
            text_w = _clamp(max(name_w, second + META_GAP + meta_w), 150, 250)
            text_w = min(text_w, room - FILE_TILE - TILE_GAP)
            return QSizeF(2 * CARD_PAD_X + FILE_TILE + TILE_GAP + text_w,
                          2 * CARD_PAD_Y + max(FILE_TILE, strong_h + small_h))
        if kind == BubbleKind.LOCATION:
            elem = msg.location_elem
            title = QFontMetricsF(fonts.strong).horizontalAdvance(self._place_title(msg))
            coords = QFontMetricsF(fonts.small).horizontalAdvance(
                coordinates_text(elem.latitude, elem.longitude) if elem else "")
            text_w = min(_clamp(max(title, coords, meta_w), 150, 240),
                         room - PLACE_TILE - TILE_GAP)
            height = max(PLACE_TILE, strong_h + small_h + meta_h)
            return QSizeF(2 * CARD_PAD_X + PLACE_TILE + TILE_GAP + text_w,
                          2 * CARD_PAD_Y + height)
        elem = msg.merger_elem
        lines = (elem.abstracts if elem else [])[:MAX_ABSTRACTS]
        widest = max((QFontMetricsF(fonts.small).horizontalAdvance(line) for line in lines),
                     default=0.0)
        title_w = QFontMetricsF(fonts.strong).horizontalAdvance(self._merger_title(msg))
        footer = QFontMetricsF(fonts.meta).horizontalAdvance(self._merger_footer())
        text_w = min(_clamp(max(title_w, widest, footer + META_GAP + meta_w), 200, 270), room)
        height = strong_h + 4 + len(lines) * small_h + 8 + 1 + 6 + meta_h
        return QSizeF(2 * CARD_PAD_X + text_w, 2 * CARD_PAD_Y + height)

    # --- words ---------------------------------------------------------------------------

    @staticmethod
    def _file_hint(local: bool) -> str:
        return (QCoreApplication.translate("Media", "Open") if local
                else QCoreApplication.translate("Media", "Download"))

    @staticmethod
    def _place_title(msg: Message) -> str:
        elem = msg.location_elem
        return (elem.desc.strip() if elem and elem.desc.strip()
                else QCoreApplication.translate("Media", "Location"))

    @staticmethod
    def _merger_title(msg: Message) -> str:
        elem = msg.merger_elem
        return (elem.title.strip() if elem and elem.title.strip()
                else QCoreApplication.translate("Media", "Forwarded messages"))

    @staticmethod
    def _merger_footer() -> str:
        return QCoreApplication.translate("Media", "Chat history")

    # --- painting ------------------------------------------------------------------------

    def paint(self, painter: QPainter, rect: QRectF, msg: Message, kind: BubbleKind,
              base: QFont, palette: Palette, radii: tuple[float, float, float, float],
              owner: object, name: str) -> None:
        fonts = fonts_of(base)
        if kind in PICTURES:
            self._paint_picture(painter, rect, msg, kind, fonts, palette, radii, owner)
        elif kind == BubbleKind.FACE:
            self._paint_face(painter, rect, msg, fonts)
            self.paint_meta_pill(painter, rect, msg, fonts, palette)
        elif kind in SERVICE_LINES:
            self._paint_service(painter, rect, self.service_text(msg, kind, name), fonts,
                                palette)
        elif kind == BubbleKind.VOICE:
            self._paint_voice(painter, rect, msg, fonts, palette)
        elif kind == BubbleKind.FILE:
            self._paint_file(painter, rect, msg, fonts, palette)
        elif kind == BubbleKind.LOCATION:
            self._paint_place(painter, rect, msg, fonts, palette)
        elif kind == BubbleKind.MERGER:
            self._paint_merger(painter, rect, msg, fonts, palette)

    def prefetch(self, msg: Message, kind: BubbleKind, size: QSizeF, dpr: float,
                 owner: object) -> None:
        """Ask for a picture before its row scrolls into view."""
        if kind in PICTURES and self.kit is not None:
            self._picture(msg, kind, size, dpr, owner)

    # --- pictures ------------------------------------------------------------------------

    def _picture(self, msg: Message, kind: BubbleKind, size: QSizeF, dpr: float,
                 owner: object) -> tuple[QImage | None, list[Level], Level | None]:
        """(the image to paint, if any, the element's levels, the level being shown)."""
        kit = self.kit
        elem: ImageElem | VideoElem | None = (msg.image_elem if kind == BubbleKind.IMAGE
                                              else msg.video_elem)
        if kit is None or elem is None:
            return None, [], None
        levels = levels_of(elem)
        target = QSize(round(size.width() * dpr), round(size.height() * dpr))
        if isinstance(elem, ImageElem) and elem.format.lower() == "gif":
            original = next((lv for lv in levels if lv.kind == ImageKind.ORIGINAL), None)
            if original is not None and 0 < original.want.size <= MAX_GIF_BYTES:
                frame = kit.animator.frame(original.want.uuid, original.want.url, target)
                if frame is not None:
                    return frame, levels, original
                levels = [original]  # its first frame is the still, and it animates next
        level = bubble_level(levels, target, kit.loader.held)
        if level is None:
            return None, levels, None
        image = kit.loader.request(level.want, target, owner, msg.msg_id)
        if image is None:
            image = kit.loader.best(level.want.uuid)
        if image is None and kit.loader.is_downloading(level.want.uuid):
            self._ask_for_preview(levels, level, size, owner, msg.msg_id)
        return image, levels, level

    def _ask_for_preview(self, levels: list[Level], shown: Level, size: QSizeF, owner: object,
                         tag: str) -> None:
        """While `shown` downloads, decode a held level tiny, for the blurred stand-in."""
        kit = self.kit
        assert kit is not None
        if kit.loader.preview([lv.want.uuid for lv in levels]) is not None:
            return
        for level in levels:
            if level is not shown and kit.loader.held(level.want):
                scale = TINY_TARGET / max(size.width(), size.height())
                kit.loader.request(level.want, QSize(max(1, round(size.width() * scale)),
                                                     max(1, round(size.height() * scale))),
                                   owner, tag)
                return

    def _paint_picture(self, painter: QPainter, rect: QRectF, msg: Message, kind: BubbleKind,
                       fonts: Fonts, palette: Palette,
                       radii: tuple[float, float, float, float], owner: object) -> None:
        dpr = painter.device().devicePixelRatioF()
        image, levels, level = self._picture(msg, kind, rect.size(), dpr, owner)
        path = glyphs.rounded_path(rect, radii)
        kit = self.kit
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        if image is not None:
            paint_image(painter, rect, image, path)
        else:
            tiny = kit.loader.preview([lv.want.uuid for lv in levels]) if kit else None
            if tiny is not None:
                paint_image(painter, rect, tiny, path)
            else:
                fill = _soft(palette.secondary_text, 0.28 if palette.is_dark else 0.2)
                painter.setBrush(fill)
                painter.drawPath(path)
            if kit is not None and level is not None and kit.loader.failed(level.want.uuid):
                glyphs.paint_picture(painter, rect.center(), 34, _soft(palette.text, 0.45))
            elif kit is not None and level is not None and kit.loader.is_downloading(
                    level.want.uuid):
                self._paint_progress_disc(painter, rect.center(),
                                          kit.loader.fraction(level.want.uuid), cancel=False)
        painter.restore()
        upload = self.kit.files.upload_percent(msg.msg_id) if self.kit else None
        sending = msg.is_self and msg.status == MessageStatus.SENDING
        if sending and upload is not None:
            self._paint_progress_disc(painter, rect.center(), upload / 100, cancel=False)
        elif kind == BubbleKind.VIDEO:
            glyphs.paint_disc(painter, rect.center(), PLAY_DISC, QColor(0, 0, 0, 110))
            glyphs.paint_play(painter, rect.center(), PLAY_DISC * 0.36, QColor("#FFFFFF"))
        label = ""
        if kind == BubbleKind.VIDEO and msg.video_elem is not None:
            label = duration_text(msg.video_elem.duration_s)
        elif msg.image_elem is not None and msg.image_elem.format.lower() == "gif":
            label = "GIF"
        if label:
            width = QFontMetricsF(fonts.pill).horizontalAdvance(label) + 2 * PILL_PAD
            pill = QRectF(rect.left() + PILL_INSET, rect.top() + PILL_INSET, width, PILL_H)
            _paint_pill(painter, pill, label, fonts.pill)
        self.paint_meta_pill(painter, rect, msg, fonts, palette)

    def _paint_progress_disc(self, painter: QPainter, center: QPointF, fraction: float,
                             cancel: bool) -> None:
        glyphs.paint_disc(painter, center, PLAY_DISC, QColor(0, 0, 0, 120))
        glyphs.paint_ring(painter, center, PLAY_DISC - 10, fraction, QColor("#FFFFFF"))
        if cancel:
            glyphs.paint_cross(painter, center, 12, QColor("#FFFFFF"))

    def paint_meta_pill(self, painter: QPainter, rect: QRectF, msg: Message, fonts: Fonts,
                        palette: Palette) -> None:
        """The time (and my status mark) in a dark pill over a picture or a sticker."""
        text = meta_text(msg)
        metrics = QFontMetricsF(fonts.meta)
        width = meta_width(msg, fonts.meta) + 2 * PILL_PAD
        pill = QRectF(rect.right() - PILL_INSET - width, rect.bottom() - PILL_INSET - PILL_H,
                      width, PILL_H)
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 115))
        painter.drawRoundedRect(pill, PILL_H / 2, PILL_H / 2)
        white = QColor("#FFFFFF")
        right = pill.right() - PILL_PAD
        mark = mark_of(msg)
        if mark not in (Mark.NONE, Mark.FAILED):
            box = QRectF(right - MARK_WIDTH, pill.top(), MARK_WIDTH, PILL_H)
            paint_mark(painter, box, mark, white, palette.danger)
            right = box.left() - 3
        painter.setFont(fonts.meta)
        painter.setPen(palette.danger if mark == Mark.FAILED else white)
        text_w = metrics.horizontalAdvance(text)
        painter.drawText(QRectF(right - text_w, pill.top(), text_w, PILL_H),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, text)
        painter.restore()

    # --- stickers and service lines ------------------------------------------------------

    def _paint_face(self, painter: QPainter, rect: QRectF, msg: Message, fonts: Fonts) -> None:
        font = QFont(fonts.body)
        font.setPixelSize(round(FACE_SIDE * 0.66))
        painter.save()
        painter.setFont(font)
        painter.drawText(rect.adjusted(0, 0, 0, -PILL_H / 2), Qt.AlignmentFlag.AlignCenter,
                         face_text(msg))
        painter.restore()

    def _paint_service(self, painter: QPainter, rect: QRectF, text: str, fonts: Fonts,
                       palette: Palette) -> None:
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_soft(palette.secondary_text, 0.16 if palette.is_dark else 0.12))
        painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        painter.setFont(fonts.pill)
        painter.setPen(palette.secondary_text)
        inner = rect.adjusted(SERVICE_PAD, 0, -SERVICE_PAD, 0)
        text = QFontMetricsF(fonts.pill).elidedText(text, Qt.TextElideMode.ElideRight,
                                                    inner.width())
        painter.drawText(inner, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    # --- cards ---------------------------------------------------------------------------

    def _paint_voice(self, painter: QPainter, rect: QRectF, msg: Message, fonts: Fonts,
                     palette: Palette) -> None:
        elem = msg.sound_elem
        text_color = palette.bubble_out_text if msg.is_self else palette.bubble_in_text
        on_dark_mine = msg.is_self and palette.is_dark
        fill = palette.bubble_out_text if on_dark_mine else palette.accent
        glyph = palette.bubble_out if on_dark_mine else palette.accent_text
        fraction, playing = self.kit.voices.position(msg.msg_id) if self.kit else (0.0, False)
        button = QPointF(rect.left() + CARD_PAD_X + VOICE_BUTTON / 2, rect.center().y())
        glyphs.paint_disc(painter, button, VOICE_BUTTON, fill)
        if playing:
            glyphs.paint_pause(painter, button, VOICE_BUTTON * 0.36, glyph)
        else:
            glyphs.paint_play(painter, button, VOICE_BUTTON * 0.36, glyph)
        left = rect.left() + CARD_PAD_X + VOICE_BUTTON + TILE_GAP
        width = rect.right() - CARD_PAD_X - left
        small_h = QFontMetricsF(fonts.small).height()
        line = QRectF(left, rect.bottom() - META_BOTTOM - small_h, width, small_h)
        top = line.top() - 3 - WAVE_H
        heights = bars(elem.uuid if elem and elem.uuid else msg.msg_id, bar_count(width))
        played_color = fill
        rest_color = _soft(text_color, 0.28)
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        for i, height in enumerate(heights):
            x = left + i * (BAR_WIDTH + BAR_GAP)
            h = max(BAR_WIDTH, height * WAVE_H)
            played = (i + 0.5) / len(heights) <= fraction
            painter.setBrush(played_color if played else rest_color)
            painter.drawRoundedRect(QRectF(x, top + WAVE_H - h, BAR_WIDTH, h), 1.5, 1.5)
        text = duration_text(elem.duration_s if elem else 0)
        painter.setFont(fonts.small)
        painter.setPen(_soft(text_color, 0.65))
        painter.drawText(line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        unplayed = not msg.is_self and self.kit is not None and not self.kit.voices.is_played(
            msg.msg_id)
        if unplayed:
            x = left + QFontMetricsF(fonts.small).horizontalAdvance(text) + 7
            glyphs.paint_disc(painter, QPointF(x, line.center().y() + 0.5), 6, palette.accent)
        painter.restore()

    def _paint_file(self, painter: QPainter, rect: QRectF, msg: Message, fonts: Fonts,
                    palette: Palette) -> None:
        elem = msg.file_elem
        if elem is None:
            return
        text_color = palette.bubble_out_text if msg.is_self else palette.bubble_in_text
        tile = QRectF(rect.left() + CARD_PAD_X, rect.center().y() - FILE_TILE / 2, FILE_TILE,
                      FILE_TILE)
        extension = elem.name.rsplit(".", 1)[-1] if "." in elem.name else ""
        color = glyphs.file_color(extension)
        kit = self.kit
        download = kit.files.progress(msg.msg_id) if kit else None
        upload = (kit.files.upload_percent(msg.msg_id)
                  if kit and msg.is_self and msg.status == MessageStatus.SENDING else None)
        local = kit is not None and kit.files.is_local(elem)
        white = QColor("#FFFFFF")
        if download is not None or upload is not None:
            fraction = (upload / 100 if upload is not None
                        else download[0] / download[1] if download and download[1] else 0.0)
            glyphs.paint_disc(painter, tile.center(), FILE_TILE, color)
            glyphs.paint_ring(painter, tile.center(), FILE_TILE - 8, fraction, white)
            if download is not None:
                glyphs.paint_cross(painter, tile.center(), 11, white)
        else:
            glyphs.paint_file_tile(painter, tile, extension, color)
            if not local and not msg.is_self:
                badge = QPointF(tile.right() - 3, tile.bottom() - 3)
                glyphs.paint_disc(painter, badge, 18, palette.accent)
                glyphs.paint_arrow_down(painter, badge, 9, white, 1.6)
        left = tile.right() + TILE_GAP
        width = rect.right() - CARD_PAD_X - left
        strong_h = QFontMetricsF(fonts.strong).height()
        small_h = QFontMetricsF(fonts.small).height()
        top = rect.center().y() - (strong_h + small_h) / 2
        painter.save()
        painter.setFont(fonts.strong)
        painter.setPen(text_color)
        name = QFontMetricsF(fonts.strong).elidedText(elem.name, Qt.TextElideMode.ElideMiddle,
                                                      width)
        painter.drawText(QRectF(left, top, width, strong_h),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
        line = QRectF(left, top + strong_h, width, small_h)
        painter.setFont(fonts.small)
        if download is not None or upload is not None:
            bar = QRectF(line.left(), line.center().y() - 2, min(64.0, width / 3), 4)
            done = upload / 100 if upload is not None else (
                download[0] / download[1] if download and download[1] else 0.0)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_soft(text_color, 0.18))
            painter.drawRoundedRect(bar, 2, 2)
            painter.setBrush(_hint_color(msg, palette))
            painter.drawRoundedRect(QRectF(bar.left(), bar.top(), bar.width() * done, 4), 2, 2)
            words = (f"{upload}%" if upload is not None
                     else progress_text(download[0], download[1] or elem.size) if download
                     else "")
            painter.setPen(_soft(text_color, 0.65))
            painter.drawText(line.adjusted(bar.width() + 8, 0, 0, 0),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, words)
        else:
            size = f"{size_text(elem.size)} · "
            painter.setPen(_soft(text_color, 0.65))
            painter.drawText(line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             size)
            painter.setPen(_hint_color(msg, palette))
            offset = QFontMetricsF(fonts.small).horizontalAdvance(size)
            painter.drawText(line.adjusted(offset, 0, 0, 0),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             self._file_hint(local or msg.is_self))
        painter.restore()

    def _paint_place(self, painter: QPainter, rect: QRectF, msg: Message, fonts: Fonts,
                     palette: Palette) -> None:
        elem = msg.location_elem
        text_color = palette.bubble_out_text if msg.is_self else palette.bubble_in_text
        tile = QRectF(rect.left() + CARD_PAD_X, rect.top() + CARD_PAD_Y, PLACE_TILE, PLACE_TILE)
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_soft(palette.accent, 0.22 if palette.is_dark else 0.14))
        painter.drawRoundedRect(tile, 10, 10)
        grid = _soft(palette.accent, 0.25)
        painter.setPen(grid)
        for step in (0.33, 0.66):
            painter.drawLine(QPointF(tile.left() + tile.width() * step, tile.top() + 4),
                             QPointF(tile.left() + tile.width() * step, tile.bottom() - 4))
            painter.drawLine(QPointF(tile.left() + 4, tile.top() + tile.height() * step),
                             QPointF(tile.right() - 4, tile.top() + tile.height() * step))
        glyphs.paint_pin(painter, tile.adjusted(14, 9, -14, -9), QColor("#E5484D"),
                         QColor("#FFFFFF"))
        left = tile.right() + TILE_GAP
        width = rect.right() - CARD_PAD_X - left
        strong_h = QFontMetricsF(fonts.strong).height()
        small_h = QFontMetricsF(fonts.small).height()
        painter.setFont(fonts.strong)
        painter.setPen(text_color)
        title = QFontMetricsF(fonts.strong).elidedText(self._place_title(msg),
                                                       Qt.TextElideMode.ElideRight, width)
        painter.drawText(QRectF(left, rect.top() + CARD_PAD_Y, width, strong_h),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
        if elem is not None:
            painter.setFont(fonts.small)
            painter.setPen(_soft(text_color, 0.65))
            painter.drawText(QRectF(left, rect.top() + CARD_PAD_Y + strong_h, width, small_h),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             coordinates_text(elem.latitude, elem.longitude))
        painter.restore()

    def _paint_merger(self, painter: QPainter, rect: QRectF, msg: Message, fonts: Fonts,
                      palette: Palette) -> None:
        elem = msg.merger_elem
        text_color = palette.bubble_out_text if msg.is_self else palette.bubble_in_text
        left = rect.left() + CARD_PAD_X
        width = rect.width() - 2 * CARD_PAD_X
        y = rect.top() + CARD_PAD_Y
        strong = QFontMetricsF(fonts.strong)
        small = QFontMetricsF(fonts.small)
        painter.save()
        painter.setFont(fonts.strong)
        painter.setPen(text_color)
        painter.drawText(QRectF(left, y, width, strong.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         strong.elidedText(self._merger_title(msg), Qt.TextElideMode.ElideRight,
                                           width))
        y += strong.height() + 4
        painter.setFont(fonts.small)
        painter.setPen(_soft(text_color, 0.65))
        for line in (elem.abstracts if elem else [])[:MAX_ABSTRACTS]:
            painter.drawText(QRectF(left, y, width, small.height()),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             small.elidedText(" ".join(line.split()), Qt.TextElideMode.ElideRight,
                                              width))
            y += small.height()
        y += 8
        painter.fillRect(QRectF(left, y, width, 1), _soft(text_color, 0.14))
        painter.setFont(fonts.meta)
        painter.setPen(_hint_color(msg, palette))
        meta_h = QFontMetricsF(fonts.meta).height()
        painter.drawText(QRectF(left, rect.bottom() - CARD_PAD_Y - meta_h, width, meta_h),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         self._merger_footer())
        painter.restore()


def paint_image(painter: QPainter, rect: QRectF, image: QImage, path: QPainterPath,
                ) -> None:
    """`image` covering `rect` (centre-cropped to its aspect ratio) inside `path`: a texture
    brush, so the rounded edge is antialiased in the same pass. At the exact device size this
    is a plain blit; anything else is scaled smoothly (a preview enlarges into a blur)."""
    scale = max(rect.width() / image.width(), rect.height() / image.height())
    dx = rect.left() + (rect.width() - image.width() * scale) / 2
    dy = rect.top() + (rect.height() - image.height() * scale) / 2
    brush = QBrush(image)
    brush.setTransform(QTransform(scale, 0, 0, scale, dx, dy))
    painter.save()
    dpr = painter.device().devicePixelRatioF()
    if abs(image.width() - rect.width() * dpr) > 1 or abs(image.height() - rect.height() * dpr) > 1:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(brush)
    painter.drawPath(path)
    painter.restore()


def _paint_pill(painter: QPainter, rect: QRectF, text: str, font: QFont) -> None:
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(0, 0, 0, 115))
    painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
    painter.setFont(font)
    painter.setPen(QColor("#FFFFFF"))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()
