"""The round "jump to latest" button that floats over the timeline's bottom-right corner.

It shows how many messages arrived below while the user was reading further up, so they can
decide whether to go down now. Painted by hand (a disc with a soft shadow and an accent count
pill) because a styled QPushButton cannot put a badge over its own edge.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import QAbstractButton, QWidget

from app.ui.theme import current_palette, theme_controller
from app.ui.widgets.conversation_delegate import badge_text
from app.ui.widgets.icons import tinted_pixmap

DIAMETER = 42
BADGE_H = 20
MARGIN = 4
"""Room around the disc for the shadow and the badge that sticks out above it."""


class JumpButton(QAbstractButton):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._count = 0
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFixedSize(self.sizeHint())
        self.retranslate()
        theme_controller().changed.connect(self.update)

    @property
    def count(self) -> int:
        return self._count

    def set_count(self, count: int) -> None:
        if count != self._count:
            self._count = count
            self.retranslate()
            self.update()

    def sizeHint(self) -> QSize:
        return QSize(DIAMETER + 2 * MARGIN, DIAMETER + 2 * MARGIN + BADGE_H // 2)

    def retranslate(self) -> None:
        if self._count:
            self.setToolTip(self.tr("%n new message(s) below", "", self._count))
        else:
            self.setToolTip(self.tr("Jump to the latest message"))
        self.setAccessibleName(self.toolTip())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = current_palette()
        painter = QPainter(self)
        painter.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
        )
        disc = QRectF(MARGIN, MARGIN + BADGE_H / 2, DIAMETER, DIAMETER)
        painter.setPen(Qt.PenStyle.NoPen)
        for spread, alpha in ((3.0, 18), (1.5, 28)):
            painter.setBrush(QColor(0, 0, 0, alpha + (30 if palette.is_dark else 0)))
            painter.drawEllipse(disc.adjusted(-spread, -spread + 1.5, spread, spread + 1.5))
        fill = palette.list_hover if self.isDown() or self.underMouse() else palette.list_bg
        painter.setBrush(fill)
        painter.setPen(palette.separator)
        painter.drawEllipse(disc)
        icon = tinted_pixmap("arrow-down", palette.secondary_text, 22, self.devicePixelRatioF())
        painter.drawPixmap(
            round(disc.center().x() - 11), round(disc.center().y() - 10), icon
        )
        if self._count:
            font = QFont(self.font())
            font.setPixelSize(11)
            font.setWeight(QFont.Weight.Bold)
            text = badge_text(self._count)
            width = max(float(BADGE_H), QFontMetricsF(font).horizontalAdvance(text) + 12)
            badge = QRectF(disc.center().x() - width / 2, disc.top() - BADGE_H / 2, width, BADGE_H)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.accent)
            painter.drawRoundedRect(badge, BADGE_H / 2, BADGE_H / 2)
            painter.setFont(font)
            painter.setPen(palette.accent_text)
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
