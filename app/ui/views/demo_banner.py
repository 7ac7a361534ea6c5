"""The strip that says the demo is a demo: whose data this is, and the way out to a real
account. Dismissable; the window title keeps saying "Demo" after it is closed."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QToolButton, QWidget

from app.ui.i18n import Retranslatable
from app.ui.theme import current_palette, set_primary, theme_controller
from app.ui.widgets.conversation_delegate import mix


class DemoBanner(Retranslatable, QWidget):
    leave_requested = Signal()
    """"Sign in for real": end the demo and show sign-in."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("demo-banner")
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.leave = QPushButton(self)
        set_primary(self.leave)
        self.leave.setCursor(Qt.CursorShape.PointingHandCursor)
        self.leave.clicked.connect(self.leave_requested)
        self.dismiss = QToolButton(self)
        self.dismiss.setText("✕")
        self.dismiss.setAutoRaise(True)
        self.dismiss.setCursor(Qt.CursorShape.PointingHandCursor)
        self.dismiss.clicked.connect(self.hide)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 8, 8, 8)
        row.setSpacing(12)
        row.addWidget(self.text, 1)
        row.addWidget(self.leave, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.dismiss, 0, Qt.AlignmentFlag.AlignVCenter)
        theme_controller().changed.connect(self.update)
        self.retranslate()

    def retranslate(self) -> None:
        title = self.tr("This is the demo.")
        body = self.tr("The people, chats and bot are sample data that stay on this computer; "
                       "nothing you write leaves it.")
        self.text.setText(f"<b>{title}</b> {body}")
        self.leave.setText(self.tr("Sign in for real"))
        self.dismiss.setToolTip(self.tr("Hide this notice"))
        self.dismiss.setAccessibleName(self.tr("Hide this notice"))

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = current_palette()
        painter = QPainter(self)
        painter.fillRect(self.rect(), mix(palette.window, palette.accent, 0.12))
        painter.fillRect(0, self.height() - 1, self.width(), 1, palette.separator)
