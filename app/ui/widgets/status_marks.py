"""The small marks that say what happened to a message of mine: sending, sent, read, failed.

Drawn as vector strokes (not icon files) because they sit inside bubbles of any colour, at the
text's size, and the conversation list and the timeline must show exactly the same marks.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen

from app.sdk import Message, MessageStatus


class Mark(Enum):
    NONE = "none"
    SENDING = "sending"
    SENT = "sent"
    READ = "read"
    FAILED = "failed"


MARK_WIDTH = 16.0
"""Horizontal room a mark takes (the double check is the widest)."""


def mark_of(msg: Message | None) -> Mark:
    if msg is None or not msg.is_self:
        return Mark.NONE
    if msg.status == MessageStatus.SENDING:
        return Mark.SENDING
    if msg.status == MessageStatus.SEND_FAIL:
        return Mark.FAILED
    if msg.status == MessageStatus.SEND_SUCC:
        return Mark.READ if msg.is_peer_read else Mark.SENT
    return Mark.NONE


def _check(path: QPainterPath, x: float, cy: float, s: float) -> None:
    path.moveTo(x, cy)
    path.lineTo(x + s * 0.32, cy + s * 0.3)
    path.lineTo(x + s * 0.85, cy - s * 0.32)


def paint_mark(painter: QPainter, rect: QRectF, mark: Mark, color: QColor, danger: QColor) -> None:
    """Draw `mark` centred vertically in `rect` (about MARK_WIDTH wide, a text line high)."""
    if mark == Mark.NONE:
        return
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    cy = rect.center().y()
    s = min(rect.height(), 12.0)
    if mark == Mark.FAILED:
        d = min(rect.height(), 15.0)
        circle = QRectF(rect.left() + (rect.width() - d) / 2, cy - d / 2, d, d)
        paint_failed_badge(painter, circle, danger)
        painter.restore()
        return
    pen = QPen(color, 1.4)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    x = rect.left() + (rect.width() - s * 1.2) / 2
    if mark == Mark.SENDING:
        r = s * 0.42
        c = QPointF(rect.left() + rect.width() / 2, cy)
        painter.drawEllipse(c, r, r)
        painter.drawLine(c, QPointF(c.x(), c.y() - r * 0.6))
        painter.drawLine(c, QPointF(c.x() + r * 0.45, c.y()))
    else:
        path = QPainterPath()
        _check(path, x, cy, s)
        if mark == Mark.READ:
            _check(path, x + s * 0.38, cy, s)
        painter.drawPath(path)
    painter.restore()


def paint_failed_badge(painter: QPainter, circle: QRectF, danger: QColor) -> None:
    """A red disc with a white "!": the message was not sent (click or menu to resend)."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(danger)
    painter.drawEllipse(circle)
    font = QFont(painter.font())
    font.setPixelSize(max(8, round(circle.height() * 0.72)))
    font.setWeight(QFont.Weight.Bold)
    painter.setFont(font)
    painter.setPen(QColor("#FFFFFF"))
    painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, "!")
    painter.restore()
