"""The rounded card the popups over the main window sit on (the quick switcher, the search
panel): painted, so both themes get its border; its shadow is the owner's, on the scrim."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame

from app.ui.theme import current_palette


class PopupCard(QFrame):
    def paintEvent(self, event: QPaintEvent) -> None:
        palette = current_palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(palette.separator)
        painter.setBrush(palette.list_bg)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 12, 12)
