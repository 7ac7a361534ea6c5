"""Vector glyphs of media bubbles: play and pause, progress rings, the map pin, file-type icons.

Drawn with QPainter rather than loaded from icon files because they sit on photos, on both
bubble colours and on the viewer's black, at sizes from 16 to 64 pixels, often over a
translucent disc — one path per glyph serves every case. Every function leaves the painter's
state as it found it.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen

FILE_COLORS = {
    "pdf": "#E5484D", "doc": "#3E7BE0", "docx": "#3E7BE0", "rtf": "#3E7BE0", "odt": "#3E7BE0",
    "txt": "#6B7480", "md": "#6B7480", "xls": "#2F9E5B", "xlsx": "#2F9E5B", "csv": "#2F9E5B",
    "ods": "#2F9E5B", "ppt": "#E07A3E", "pptx": "#E07A3E", "key": "#E07A3E", "odp": "#E07A3E",
    "zip": "#C99A1E", "rar": "#C99A1E", "7z": "#C99A1E", "gz": "#C99A1E", "tar": "#C99A1E",
    "mp3": "#8E5BD6", "wav": "#8E5BD6", "m4a": "#8E5BD6", "flac": "#8E5BD6", "ogg": "#8E5BD6",
    "mp4": "#D6457E", "mov": "#D6457E", "mkv": "#D6457E", "avi": "#D6457E", "webm": "#D6457E",
    "jpg": "#1F8A7D", "jpeg": "#1F8A7D", "png": "#1F8A7D", "gif": "#1F8A7D", "webp": "#1F8A7D",
    "svg": "#1F8A7D", "heic": "#1F8A7D", "apk": "#5A9E2F", "exe": "#4B545E", "dmg": "#4B545E",
}
"""Extension → the tile's colour, by family (documents blue, sheets green, archives amber…)."""
OTHER_FILE = "#5E7085"


def rounded_path(rect: QRectF, radii: tuple[float, float, float, float]) -> QPainterPath:
    """A rectangle with its own radius per corner (top-left, top-right, bottom-right,
    bottom-left); QPainterPath.addRoundedRect only knows one."""
    tl, tr, br, bl = radii
    path = QPainterPath()
    path.moveTo(rect.left() + tl, rect.top())
    path.lineTo(rect.right() - tr, rect.top())
    path.arcTo(QRectF(rect.right() - 2 * tr, rect.top(), 2 * tr, 2 * tr), 90, -90)
    path.lineTo(rect.right(), rect.bottom() - br)
    path.arcTo(QRectF(rect.right() - 2 * br, rect.bottom() - 2 * br, 2 * br, 2 * br), 0, -90)
    path.lineTo(rect.left() + bl, rect.bottom())
    path.arcTo(QRectF(rect.left(), rect.bottom() - 2 * bl, 2 * bl, 2 * bl), 270, -90)
    path.lineTo(rect.left(), rect.top() + tl)
    path.arcTo(QRectF(rect.left(), rect.top(), 2 * tl, 2 * tl), 180, -90)
    path.closeSubpath()
    return path


def disc(center: QPointF, diameter: float) -> QRectF:
    return QRectF(center.x() - diameter / 2, center.y() - diameter / 2, diameter, diameter)


def paint_disc(painter: QPainter, center: QPointF, diameter: float, fill: QColor) -> None:
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(fill)
    painter.drawEllipse(disc(center, diameter))
    painter.restore()


def paint_play(painter: QPainter, center: QPointF, size: float, color: QColor) -> None:
    """A play triangle `size` high, nudged right so it looks centred in its disc."""
    painter.save()
    path = QPainterPath()
    half = size / 2
    x = center.x() - half * 0.72
    path.moveTo(x, center.y() - half)
    path.lineTo(x + size * 0.95, center.y())
    path.lineTo(x, center.y() + half)
    path.closeSubpath()
    painter.setPen(QPen(color, size * 0.12, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                        Qt.PenJoinStyle.RoundJoin))
    painter.setBrush(color)
    painter.drawPath(path)
    painter.restore()


def paint_pause(painter: QPainter, center: QPointF, size: float, color: QColor) -> None:
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    bar = size * 0.3
    for dx in (-size * 0.3, size * 0.3):
        painter.drawRoundedRect(QRectF(center.x() + dx - bar / 2, center.y() - size / 2, bar,
                                       size), bar / 3, bar / 3)
    painter.restore()


def paint_cross(painter: QPainter, center: QPointF, size: float, color: QColor,
                width: float = 2.0) -> None:
    painter.save()
    painter.setPen(QPen(color, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    half = size / 2
    painter.drawLine(QPointF(center.x() - half, center.y() - half),
                     QPointF(center.x() + half, center.y() + half))
    painter.drawLine(QPointF(center.x() + half, center.y() - half),
                     QPointF(center.x() - half, center.y() + half))
    painter.restore()


def paint_arrow_down(painter: QPainter, center: QPointF, size: float, color: QColor,
                     width: float = 2.0) -> None:
    """The download arrow: a stem and a chevron, on a file tile or a disc."""
    painter.save()
    pen = QPen(color, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
               Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    half = size / 2
    top, bottom = center.y() - half, center.y() + half
    painter.drawLine(QPointF(center.x(), top), QPointF(center.x(), bottom))
    path = QPainterPath()
    path.moveTo(center.x() - half * 0.7, bottom - half * 0.7)
    path.lineTo(center.x(), bottom)
    path.lineTo(center.x() + half * 0.7, bottom - half * 0.7)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)
    painter.restore()


def paint_ring(painter: QPainter, center: QPointF, diameter: float, fraction: float,
               color: QColor, width: float = 2.5) -> None:
    """A progress ring from twelve o'clock; with nothing arrived yet, a quarter arc so the
    user sees that something is under way."""
    painter.save()
    pen = QPen(color, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    shown = fraction if fraction > 0.02 else 0.25
    rect = disc(center, diameter - width)
    painter.drawArc(rect, 90 * 16, -round(360 * 16 * min(1.0, shown)))
    painter.restore()


def paint_pin(painter: QPainter, rect: QRectF, color: QColor, hole: QColor) -> None:
    """A map pin filling `rect`'s height: a teardrop with a round hole, and its shadow."""
    painter.save()
    height = rect.height()
    radius = height * 0.34
    cx = rect.center().x()
    cy = rect.top() + radius + height * 0.02
    tip = QPointF(cx, rect.bottom() - height * 0.06)
    shadow = QColor(0, 0, 0, 50)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(shadow)
    painter.drawEllipse(QRectF(cx - radius * 0.55, tip.y() - height * 0.035, radius * 1.1,
                               height * 0.07))
    # The teardrop: the head's circle joined with the triangle from the tip to the points
    # where lines from the tip touch the circle.
    distance = tip.y() - cy
    alpha = math.acos(min(1.0, radius / distance))
    sides = [QPointF(cx + sign * radius * math.sin(alpha), cy + radius * math.cos(alpha))
             for sign in (-1, 1)]
    head = QPainterPath()
    head.addEllipse(QPointF(cx, cy), radius, radius)
    point = QPainterPath()
    point.moveTo(tip)
    point.lineTo(sides[0])
    point.lineTo(QPointF(cx, cy))
    point.lineTo(sides[1])
    point.closeSubpath()
    path = head.united(point)
    painter.setBrush(color)
    painter.drawPath(path)
    painter.setBrush(hole)
    painter.drawEllipse(QPointF(cx, cy), radius * 0.42, radius * 0.42)
    painter.restore()


def file_color(extension: str) -> QColor:
    return QColor(FILE_COLORS.get(extension.lower(), OTHER_FILE))


def paint_file_tile(painter: QPainter, rect: QRectF, extension: str, fill: QColor) -> None:
    """A document with a folded corner in `fill`, its extension written on it ("PDF")."""
    painter.save()
    fold = rect.width() * 0.3
    path = QPainterPath()
    path.moveTo(rect.left() + 5, rect.top())
    path.lineTo(rect.right() - fold, rect.top())
    path.lineTo(rect.right(), rect.top() + fold)
    path.lineTo(rect.right(), rect.bottom() - 5)
    path.quadTo(rect.right(), rect.bottom(), rect.right() - 5, rect.bottom())
    path.lineTo(rect.left() + 5, rect.bottom())
    path.quadTo(rect.left(), rect.bottom(), rect.left(), rect.bottom() - 5)
    path.lineTo(rect.left(), rect.top() + 5)
    path.quadTo(rect.left(), rect.top(), rect.left() + 5, rect.top())
    path.closeSubpath()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(fill)
    painter.drawPath(path)
    corner = QPainterPath()
    corner.moveTo(rect.right() - fold, rect.top())
    corner.lineTo(rect.right() - fold, rect.top() + fold - 3)
    corner.quadTo(rect.right() - fold, rect.top() + fold, rect.right() - fold + 3,
                  rect.top() + fold)
    corner.lineTo(rect.right(), rect.top() + fold)
    corner.closeSubpath()
    painter.setBrush(QColor(255, 255, 255, 90))
    painter.drawPath(corner)
    label = extension.upper()[:4]
    if label:
        font = QFont(painter.font())
        font.setPixelSize(max(7, round(rect.width() * (0.26 if len(label) <= 3 else 0.21))))
        font.setWeight(QFont.Weight.Bold)
        painter.setFont(font)
        painter.setPen(QColor("#FFFFFF"))
        text = QRectF(rect.left(), rect.top() + rect.height() * 0.42, rect.width(),
                      rect.height() * 0.45)
        painter.drawText(text, Qt.AlignmentFlag.AlignCenter, label)
    painter.restore()


def paint_picture(painter: QPainter, center: QPointF, size: float, color: QColor) -> None:
    """A small landscape (sun and hills): the stand-in of an image that could not load."""
    painter.save()
    pen = QPen(color, max(1.5, size / 14), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
               Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    frame = QRectF(center.x() - size / 2, center.y() - size * 0.4, size, size * 0.8)
    painter.drawRoundedRect(frame, size * 0.12, size * 0.12)
    hills = QPainterPath()
    hills.moveTo(frame.left() + size * 0.1, frame.bottom() - size * 0.12)
    hills.lineTo(frame.left() + size * 0.38, frame.top() + size * 0.38)
    hills.lineTo(frame.left() + size * 0.58, frame.bottom() - size * 0.28)
    hills.lineTo(frame.left() + size * 0.7, frame.top() + size * 0.5)
    hills.lineTo(frame.right() - size * 0.1, frame.bottom() - size * 0.12)
    painter.drawPath(hills)
    painter.drawEllipse(QPointF(frame.right() - size * 0.26, frame.top() + size * 0.22),
                        size * 0.07, size * 0.07)
    painter.restore()
