"""The few media icons, drawn in code: play, pause, sound, muted, delete.

resources/icons holds line icons for the chrome; these are filled media shapes (a player's
triangle is solid everywhere), so they are painted as paths in any colour, at 1x and 2x.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

GRID = 24.0
"""Every glyph is drawn on a 24 × 24 grid and scaled."""


def _play(p: QPainter, color: QColor) -> None:
    path = QPainterPath(QPointF(7.5, 4.5))
    path.lineTo(19.5, 12.0)
    path.lineTo(7.5, 19.5)
    path.closeSubpath()
    p.setPen(QPen(color, 2.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                  Qt.PenJoinStyle.RoundJoin))
    p.setBrush(color)
    p.drawPath(path)


def _pause(p: QPainter, color: QColor) -> None:
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(color)
    p.drawRoundedRect(QRectF(6, 4.5, 4, 15), 1.2, 1.2)
    p.drawRoundedRect(QRectF(14, 4.5, 4, 15), 1.2, 1.2)


def _speaker(p: QPainter, color: QColor) -> None:
    path = QPainterPath(QPointF(3.5, 9))
    path.lineTo(7, 9)
    path.lineTo(11.5, 5)
    path.lineTo(11.5, 19)
    path.lineTo(7, 15)
    path.lineTo(3.5, 15)
    path.closeSubpath()
    p.setPen(QPen(color, 1.4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                  Qt.PenJoinStyle.RoundJoin))
    p.setBrush(color)
    p.drawPath(path)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QPen(color, 1.8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))


def _sound(p: QPainter, color: QColor) -> None:
    _speaker(p, color)
    p.drawArc(QRectF(9.5, 8.5, 7, 7), -50 * 16, 100 * 16)
    p.drawArc(QRectF(8.5, 5, 12, 14), -55 * 16, 110 * 16)


def _muted(p: QPainter, color: QColor) -> None:
    _speaker(p, color)
    p.drawLine(QPointF(15, 9.5), QPointF(20, 14.5))
    p.drawLine(QPointF(20, 9.5), QPointF(15, 14.5))


def _delete(p: QPainter, color: QColor) -> None:
    p.setPen(QPen(color, 1.8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                  Qt.PenJoinStyle.RoundJoin))
    p.drawLine(QPointF(4.5, 6.5), QPointF(19.5, 6.5))
    p.drawLine(QPointF(9.5, 6.5), QPointF(10, 4))
    p.drawLine(QPointF(10, 4), QPointF(14, 4))
    p.drawLine(QPointF(14, 4), QPointF(14.5, 6.5))
    body = QPainterPath(QPointF(6.5, 6.5))
    body.lineTo(7.5, 19.5)
    body.lineTo(16.5, 19.5)
    body.lineTo(17.5, 6.5)
    p.drawPath(body)
    p.drawLine(QPointF(10.25, 10), QPointF(10.5, 16))
    p.drawLine(QPointF(13.75, 10), QPointF(13.5, 16))


PAINTERS: dict[str, Callable[[QPainter, QColor], None]] = {
    "play": _play, "pause": _pause, "sound": _sound, "muted": _muted, "delete": _delete}


def _pixmap(name: str, color: QColor, size: int, dpr: float) -> QPixmap:
    pixmap = QPixmap(round(size * dpr), round(size * dpr))
    pixmap.setDevicePixelRatio(dpr)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(size / GRID, size / GRID)
    PAINTERS[name](painter, color)
    painter.end()
    return pixmap


@cache
def _icon(name: str, rgba: int, size: int) -> QIcon:
    icon = QIcon()
    for dpr in (1.0, 2.0):
        icon.addPixmap(_pixmap(name, QColor.fromRgba(rgba), size, dpr))
    return icon


def glyph(name: str, color: QColor, size: int = 20) -> QIcon:
    """The `name` glyph (a key of PAINTERS) in `color`, `size` logical pixels square."""
    return _icon(name, color.rgba(), size)
