"""Line icons from resources/icons, tinted with a theme colour.

The SVGs are drawn in black and recoloured here (SourceIn over the rendered strokes), so one file
serves both themes and every state (muted, active, on an accent fill) without a copy per colour.
Rendered at 1x and 2x so HiDPI screens get crisp strokes.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from app.ui.resources import icons_dir


@cache
def _renderer(name: str) -> QSvgRenderer:
    return QSvgRenderer(str(icons_dir() / f"{name}.svg"))


def tinted_pixmap(name: str, color: QColor, size: int, dpr: float = 1.0) -> QPixmap:
    """`name`.svg drawn `size` logical pixels square in `color`."""
    pixmap = QPixmap(round(size * dpr), round(size * dpr))
    pixmap.setDevicePixelRatio(dpr)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    _renderer(name).render(painter, QRectF(0, 0, size, size))
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    painter.fillRect(QRectF(0, 0, size, size), color)
    painter.end()
    return pixmap


@cache
def _icon(name: str, rgba: int, size: int) -> QIcon:
    color = QColor.fromRgba(rgba)
    icon = QIcon()
    for dpr in (1.0, 2.0):
        icon.addPixmap(tinted_pixmap(name, color, size, dpr))
    return icon


def tinted_icon(name: str, color: QColor, size: int = 24) -> QIcon:
    """A QIcon of `name`.svg in `color` (cached; themes ask for the same few over and over)."""
    return _icon(name, color.rgba(), size)
