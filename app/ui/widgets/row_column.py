"""The parts the inbox-like views share (join requests, friend requests, blocked users): a
scrolling column of row widgets that never scrolls sideways, rows stacked from the top, and an
empty state of a title over a line of text, centred a little above the middle."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget


class RowColumn(QScrollArea):
    def __init__(self, parent: QWidget, object_name: str) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.content = QWidget(self)
        self.content.setObjectName(object_name)
        self.rows = QVBoxLayout(self.content)
        """Rows go before its last item, the stretch that keeps them at the top."""
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.rows.setSpacing(0)
        self.rows.addStretch(1)
        self.setWidget(self.content)


class EmptyState(QWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.title = QLabel(self)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont(self.title.font())
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        self.text = QLabel(self)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 0, 24, 0)
        layout.setSpacing(6)
        layout.addStretch(2)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addStretch(3)
