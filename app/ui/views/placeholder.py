"""A calm full-pane message: the empty chat pane, and the Contacts and Groups pages until they
exist (better than a disabled rail button: the user learns the feature is planned and where it
will be).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPixmap
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from app.ui.i18n import Retranslatable
from app.ui.palette import Palette
from app.ui.theme import current_palette, set_primary, theme_controller

IconFn = Callable[[Palette, float], QPixmap]
"""The picture for the current palette and device pixel ratio."""


class PlaceholderPage(Retranslatable, QWidget):
    action_requested = Signal()
    """The primary button was clicked (only when the page has one)."""

    def __init__(self, icon: IconFn, texts: Callable[[], tuple[str, str]],
                 action: Callable[[], str] | None = None,
                 parent: QWidget | None = None) -> None:
        """`texts` returns (title, explanation) and `action` the button's label, in the current
        language; both are called again on every language change."""
        super().__init__(parent)
        self._icon_fn = icon
        self._texts = texts
        self._action = action
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
        self.note = QLabel(self)
        """An extra line under the explanation (rich text, selectable), e.g. the user's ID."""
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.RichText)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note.hide()
        layout = QVBoxLayout(self)
        layout.addStretch(3)
        layout.addWidget(self._icon)
        layout.addSpacing(16)
        layout.addWidget(self._title)
        layout.addSpacing(6)
        layout.addWidget(self._text)
        layout.addSpacing(10)
        layout.addWidget(self.note)
        self._button: QPushButton | None = None
        if action is not None:
            self._button = QPushButton(self)
            set_primary(self._button)
            self._button.setCursor(Qt.CursorShape.PointingHandCursor)
            self._button.clicked.connect(self.action_requested)
            layout.addSpacing(18)
            layout.addWidget(self._button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(4)
        theme_controller().changed.connect(self._apply_theme)
        self._apply_theme()
        self.retranslate()

    def retranslate(self) -> None:
        title, text = self._texts()
        self._title.setText(title)
        self._text.setText(text)
        if self._button is not None and self._action is not None:
            self._button.setText(self._action())

    def set_note(self, html: str) -> None:
        self.note.setText(html)
        self.note.setVisible(bool(html))

    def _apply_theme(self) -> None:
        palette = current_palette()
        self._icon.setPixmap(self._icon_fn(palette, self.devicePixelRatioF()))
        self._text.setStyleSheet(f"color: {palette.secondary_text.name()}")
        self.note.setStyleSheet(f"color: {palette.secondary_text.name()}")
