"""The messages a forwarded chat history carries, read-only, oldest first.

A bundle is what someone chose to forward — a few to a few hundred messages — so a scrolling
column of labels (sender and time over the text, as TUIKit lists them) is enough; pictures and
files inside it read as their kind ("Photo", "File: report.pdf"), as in the chat list.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.sdk import Message
from app.ui.formatting import clock_time
from app.ui.theme import current_palette
from app.ui.widgets.message_delegate import body_text


class MergerDialog(QDialog):
    def __init__(self, title: str, messages: list[Message], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(title or self.tr("Chat history"))
        self.resize(480, 560)
        column = QWidget()
        rows = QVBoxLayout(column)
        rows.setContentsMargins(18, 14, 18, 14)
        rows.setSpacing(16)
        self.entries: list[tuple[QLabel, QLabel]] = []
        for msg in messages:
            header = QLabel(f"{msg.nick_name or msg.sender}  ·  {clock_time(msg.time_ms)}")
            font = QFont(header.font())
            font.setWeight(QFont.Weight.DemiBold)
            font.setPointSizeF(font.pointSizeF() * 0.9)
            header.setFont(font)
            header.setStyleSheet(f"color: {current_palette().secondary_text.name()};")
            text = QLabel(body_text(msg))
            text.setWordWrap(True)
            text.setTextFormat(Qt.TextFormat.PlainText)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            entry = QVBoxLayout()
            entry.setSpacing(3)
            entry.addWidget(header)
            entry.addWidget(text)
            rows.addLayout(entry)
            self.entries.append((header, text))
        if not messages:
            rows.addWidget(QLabel(self.tr("This forwarded history is empty")))
        rows.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(column)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 10)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
