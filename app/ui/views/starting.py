"""The window shown while the demo starts: at the main window's place and size, saying what
is happening and that it is a demo, so the main window then simply fills in where it stood.

Like the sign-in window it imports only Qt: it is what a first start shows first.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import QLabel, QProgressBar, QSizePolicy, QVBoxLayout, QWidget

from app.ui.i18n import Retranslatable
from app.ui.resources import app_icon
from app.ui.theme import current_palette, theme_controller

LOGO_SIZE = 96
TEXT_WIDTH = 420


def demo_title() -> str:
    """The window title of everything that belongs to the demo."""
    return QCoreApplication.translate("StartingWindow", "Tidings — Demo")


class StartingWindow(Retranslatable, QWidget):
    closed = Signal()
    """The user closed the window before the demo was up: quit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("starting")
        self.setWindowIcon(app_icon())
        self._logo = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self._logo.setPixmap(app_icon().pixmap(LOGO_SIZE, LOGO_SIZE))
        self.title = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        self.detail = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.detail.setFixedWidth(TEXT_WIDTH)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: how long the service takes is not known
        self.progress.setTextVisible(False)
        self.progress.setFixedSize(TEXT_WIDTH // 2, 6)
        for label in (self._logo, self.title):
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        layout = QVBoxLayout(self)
        layout.addStretch(3)
        layout.addWidget(self._logo)
        layout.addSpacing(18)
        layout.addWidget(self.title)
        layout.addSpacing(8)
        layout.addWidget(self.detail, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(22)
        layout.addWidget(self.progress, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(4)
        theme_controller().changed.connect(self._restyle)
        self._restyle()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(demo_title())
        self.title.setText(self.tr("Starting the demo…"))
        self.detail.setText(self.tr("Sample chats and a bot that answers, kept on this computer "
                                    "only. Sign in for real whenever you like."))
        # A centred label gets no height-for-width from the layout: give it its lines' height.
        self.detail.setFixedHeight(self.detail.heightForWidth(TEXT_WIDTH))

    def _restyle(self) -> None:
        self.detail.setStyleSheet(f"color: {current_palette().secondary_text.name()}")

    def closeEvent(self, event: QCloseEvent) -> None:
        """Only the user closes it (the app hides it once the main window is up)."""
        super().closeEvent(event)
        if event.isAccepted():
            self.closed.emit()
