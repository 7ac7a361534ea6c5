"""The bar above the timeline: who the chat is with.

Only the name is shown — the peer's nickname, or their user ID when they have none (that is what
`show_name` holds then). A raw ID under a nickname tells the user nothing they need while
chatting; it belongs in a profile view.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

from app.sdk import Conversation
from app.ui.theme import current_palette, theme_controller
from app.ui.widgets.avatar import AvatarLabel
from app.ui.widgets.conversation_delegate import conversation_avatar_key

HEIGHT = 64


class _ElidedLabel(QLabel):
    """A one-line label that elides a long text instead of widening the window's minimum."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.full_text = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_full_text(self, text: str) -> None:
        self.full_text = text
        self.setToolTip(text)
        self._elide()

    def _elide(self) -> None:
        self.setText(self.fontMetrics().elidedText(
            self.full_text, Qt.TextElideMode.ElideRight, max(0, self.width())))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()


class ChatHeader(QWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.avatar = AvatarLabel(40, self)
        self.name = _ElidedLabel(self)
        font = QFont()
        font.setPointSizeF(self.font().pointSizeF() * 1.2)
        font.setWeight(QFont.Weight.DemiBold)
        self.name.setFont(font)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(18, 10, 18, 10)
        layout.setSpacing(12)
        layout.addWidget(self.avatar)
        layout.addWidget(self.name, 1)
        self.setFixedHeight(HEIGHT)
        theme_controller().changed.connect(self.update)

    @property
    def title(self) -> str:
        return self.name.full_text

    def show_conversation(self, conv: Conversation) -> None:
        title = conv.show_name or conv.user_id or conv.group_id
        self.avatar.set_avatar(conversation_avatar_key(conv), title)
        self.name.set_full_text(title)

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = current_palette()
        painter = QPainter(self)
        painter.fillRect(self.rect(), palette.window)
        painter.fillRect(0, self.height() - 1, self.width(), 1, palette.separator)
