"""Circular avatars: the user's picture, or their initials on a colour derived from their ID.

The conversation list paints dozens of avatars per frame while scrolling, so rendered pixmaps are
kept in an LRU keyed by everything that changes the result (including theme and device pixel
ratio). The colour comes from a CRC of the ID, not `hash()`, so a contact keeps their colour
across restarts and devices.
"""

from __future__ import annotations

import unicodedata
import zlib
from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPixmap,
)
from PySide6.QtWidgets import QWidget

from app.ui.theme import current_palette, theme_controller
from app.ui.widgets.icons import tinted_pixmap

AVATAR_COLORS: tuple[QColor, ...] = tuple(
    QColor(c)
    for c in (
        "#E06C75",  # coral
        "#E38A4F",  # orange
        "#C9982F",  # amber
        "#56A86C",  # green
        "#34A3A5",  # teal
        "#4F8FD0",  # blue
        "#8A78D4",  # violet
        "#D1679A",  # pink
    )
)
"""Fills chosen to carry white initials; a touch deeper on the dark theme (see avatar_color)."""

CACHE_SIZE = 512
"""About 12 MB at 40 px and 2x: two screens of conversations plus a chat's members."""

_cache: OrderedDict[tuple[object, ...], QPixmap] = OrderedDict()


def _is_wide(char: str) -> bool:
    """CJK ideographs, kana and hangul: one of them already fills an avatar."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def initials(text: str) -> str:
    """Up to two letters for a name: "Night Owl" → "NO", "bob" → "B", "橙子" → "橙" (a CJK
    name shows its first character, the family name). Words without a letter or digit (emoji,
    punctuation) are skipped."""
    letters = []
    for word in text.split():
        first = next((c for c in word if c.isalnum()), None)
        if first is None:
            continue
        if _is_wide(first):
            return first if not letters else letters[0]
        letters.append(first.upper())
        if len(letters) == 2:
            break
    return "".join(letters) or "?"


def avatar_color(key: str, dark: bool = False) -> QColor:
    """The fill for `key` (a user or group ID): stable across runs, one of AVATAR_COLORS."""
    color = AVATAR_COLORS[zlib.crc32(key.encode("utf-8")) % len(AVATAR_COLORS)]
    return color.darker(112) if dark else QColor(color)


def name_color(key: str, dark: bool = False) -> QColor:
    """A group chat's sender name in the colour of that sender's avatar, shifted to read as
    text on the theme's incoming bubbles and background."""
    color = AVATAR_COLORS[zlib.crc32(key.encode("utf-8")) % len(AVATAR_COLORS)]
    return color.lighter(125) if dark else color.darker(118)


def blank_pixmap(size: int, dpr: float) -> QPixmap:
    """A transparent `size`×`size` (logical pixels) pixmap for a screen with `dpr`."""
    pixmap = QPixmap(round(size * dpr), round(size * dpr))
    pixmap.setDevicePixelRatio(dpr)
    pixmap.fill(Qt.GlobalColor.transparent)
    return pixmap


def _cached(cache_key: tuple[object, ...], size: int, dpr: float,
            paint: Callable[[QPainter], None]) -> QPixmap:
    """The pixmap under `cache_key`, painted by `paint` on a blank one the first time."""
    cached = _cache.get(cache_key)
    if cached is not None:
        _cache.move_to_end(cache_key)
        return cached
    pixmap = blank_pixmap(size, dpr)
    painter = QPainter(pixmap)
    painter.setRenderHints(
        QPainter.RenderHint.Antialiasing
        | QPainter.RenderHint.SmoothPixmapTransform
        | QPainter.RenderHint.TextAntialiasing
    )
    paint(painter)
    painter.end()
    _cache[cache_key] = pixmap
    if len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return pixmap


def render_avatar(
    key: str, text: str, size: int, dpr: float, image: QImage | None = None
) -> QPixmap:
    """A `size`×`size` (logical pixels) circular avatar for a screen with `dpr`.

    With `image`, it is cropped to a centred square; pass a thumbnail already scaled near the
    target size (decoded off the GUI thread), since scaling a full photo here would stall painting.
    Without it, the initials of `text` on the colour of `key`. GUI thread only (QPixmap).
    """
    palette = current_palette()
    circle = QRectF(0, 0, size, size)

    def paint(painter: QPainter) -> None:
        if image is not None and not image.isNull():
            clip = QPainterPath()
            clip.addEllipse(circle)
            painter.setClipPath(clip)
            side = min(image.width(), image.height())
            source = QRectF((image.width() - side) / 2, (image.height() - side) / 2, side,
                            side)
            painter.drawImage(circle, image, source)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(avatar_color(key, palette.is_dark))
            painter.drawEllipse(circle)
            _draw_initials(painter, initials(text), size)

    cache_key = (key, text, size, dpr, palette.name, image.cacheKey() if image else None)
    return _cached(cache_key, size, dpr, paint)


def render_icon_avatar(icon: str, size: int, dpr: float) -> QPixmap:
    """A circular avatar of one of the app's icons on the accent colour (the system
    conversation's bell), cached like the others."""
    palette = current_palette()
    side = round(size * 0.52)

    def paint(painter: QPainter) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.accent)
        painter.drawEllipse(QRectF(0, 0, size, size))
        glyph = tinted_pixmap(icon, palette.accent_text, side, dpr)
        painter.drawPixmap(QPointF((size - side) / 2, (size - side) / 2), glyph)

    return _cached(("icon:" + icon, "", size, dpr, palette.name, None), size, dpr, paint)


def _draw_initials(painter: QPainter, letters: str, size: int) -> None:
    """Centre the glyphs' ink rather than their line box. Capitals are centred on the cap height
    (so a "J" dipping below the baseline does not lift "MJ"); CJK on their own ink."""
    font = QFont()
    font.setPixelSize(max(1, round(size * (0.42 if len(letters) == 1 else 0.36))))
    font.setWeight(QFont.Weight.DemiBold)
    metrics = QFontMetricsF(font)
    ink = metrics.tightBoundingRect(letters)
    x = (size - ink.width()) / 2 - ink.left()
    if _is_wide(letters[0]):
        y = (size - ink.height()) / 2 - ink.top()
    else:
        y = (size + metrics.capHeight()) / 2
    painter.setFont(font)
    painter.setPen(QColor("#FFFFFF"))
    painter.drawText(QPointF(x, y), letters)


class AvatarLabel(QWidget):
    """A fixed-size widget showing one avatar (profile pages, chat header, member lists)."""

    def __init__(self, size: int = 40, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._size = size
        self._key = ""
        self._text = ""
        self._image: QImage | None = None
        self._icon = ""
        self.setFixedSize(size, size)
        theme_controller().changed.connect(self.update)

    def set_avatar(self, key: str, text: str, image: QImage | None = None) -> None:
        """Show `image` if given, else the initials of `text` on the colour of `key`."""
        self._key, self._text, self._image, self._icon = key, text, image, ""
        self.update()

    def set_icon(self, icon: str) -> None:
        """Show one of the app's icons on the accent colour (``render_icon_avatar``)."""
        self._icon = icon
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(self._size, self._size)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        dpr = self.devicePixelRatioF()
        painter.drawPixmap(
            0,
            0,
            render_icon_avatar(self._icon, self._size, dpr) if self._icon
            else render_avatar(self._key, self._text, self._size, dpr, self._image),
        )
