"""A calm placeholder for the Contacts and Groups pages until they exist.

Better than a disabled rail button: the user learns the feature is planned and where it will be.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.ui.theme import current_palette, theme_controller
from app.ui.widgets.icons import tinted_pixmap


class ComingSoonPage(QWidget):
    def __init__(
        self,
        icon: str,
        texts: Callable[[], tuple[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        """`texts` returns (title, explanation) in the current language; it is called again
        on every language change."""
        super().__init__(parent)
        self._icon_name = icon
        self._texts = texts
        self._icon = QLabel(self)
        self._icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._title = QLabel(self)
        self._title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont()
        font.setPointSizeF(self.font().pointSizeF() * 1.35)
        font.setWeight(QFont.Weight.DemiBold)
        self._title.setFont(font)
        self._text = QLabel(self)
        self._text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addStretch(3)
        layout.addWidget(self._icon)
        layout.addSpacing(14)
        layout.addWidget(self._title)
        layout.addSpacing(6)
        layout.addWidget(self._text)
        layout.addStretch(4)
        theme_controller().changed.connect(self._apply_theme)
        self._apply_theme()
        self.retranslate()

    def retranslate(self) -> None:
        title, text = self._texts()
        self._title.setText(title)
        self._text.setText(text)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _apply_theme(self) -> None:
        palette = current_palette()
        self._icon.setPixmap(
            tinted_pixmap(self._icon_name, palette.secondary_text, 64, self.devicePixelRatioF())
        )
        self._text.setStyleSheet(f"color: {palette.secondary_text.name()}")
