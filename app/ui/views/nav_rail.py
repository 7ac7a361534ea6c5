"""The slim navigation rail on the window's left edge: Chats, Contacts, Groups, then my avatar
and the settings button at the bottom.

The Chats button carries the total unread count, so it is visible from the other pages too.
"""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QFontMetricsF,
    QIcon,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QButtonGroup, QToolButton, QVBoxLayout, QWidget

from app.ui.i18n import Retranslatable
from app.ui.shortcuts import by_name, shortcut_text
from app.ui.theme import current_palette, theme_controller
from app.ui.widgets.avatar import AvatarLabel
from app.ui.widgets.conversation_delegate import badge_text
from app.ui.widgets.icons import tinted_icon, tinted_pixmap

RAIL_WIDTH = 68
BUTTON = 48


class Page(IntEnum):
    CHATS = 0
    CONTACTS = 1
    GROUPS = 2


ICONS = {Page.CHATS: "nav-chats", Page.CONTACTS: "nav-contacts", Page.GROUPS: "nav-groups"}


class _RailButton(QToolButton):
    """A square icon button with an optional unread badge over its top-right corner."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.badge = 0
        self.setFixedSize(BUTTON, BUTTON)
        self.setIconSize(QSize(24, 24))
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.badge <= 0:
            return
        painter = QPainter(self)
        painter.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
        )
        font = QFont(self.font())
        font.setPixelSize(10)
        font.setWeight(QFont.Weight.Bold)
        text = badge_text(self.badge)
        height = 17.0
        width = max(height, QFontMetricsF(font).horizontalAdvance(text) + 10)
        rect = QRectF(min(self.width() - width - 1, 28.0), 3, width, height)
        palette = current_palette()
        painter.setPen(palette.rail)
        painter.setBrush(palette.badge)
        painter.drawRoundedRect(rect, height / 2, height / 2)
        painter.setFont(font)
        painter.setPen(QColor("#FFFFFF"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


class _AvatarButton(AvatarLabel):
    """My avatar: a button to my account's menu, by mouse and by keyboard (Tab to it, then
    Space or Enter), ringed in the accent colour while it has the keys."""

    clicked = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(36, parent)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter,
                           Qt.Key.Key_Menu):
            self.clicked.emit()
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.hasFocus():
            painter = QPainter(self)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            pen = QPen(current_palette().accent, 2)
            painter.setPen(pen)
            painter.drawEllipse(QRectF(self.rect()).adjusted(1, 1, -1, -1))

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.clicked.emit()


class NavRail(Retranslatable, QWidget):
    page_changed = Signal(int)
    settings_clicked = Signal()
    avatar_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedWidth(RAIL_WIDTH)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self.buttons: dict[Page, _RailButton] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 14, 10, 14)
        layout.setSpacing(6)
        for page in Page:
            button = _RailButton(self)
            button.setCheckable(True)
            self._group.addButton(button, int(page))
            self.buttons[page] = button
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.buttons[Page.CHATS].setChecked(True)
        layout.addStretch(1)
        self.avatar = _AvatarButton(self)
        self.avatar.clicked.connect(self.avatar_clicked)
        layout.addWidget(self.avatar, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(6)
        self.settings = _RailButton(self)
        self.settings.clicked.connect(self.settings_clicked)
        layout.addWidget(self.settings, 0, Qt.AlignmentFlag.AlignHCenter)
        self._group.idClicked.connect(self.page_changed)
        theme_controller().changed.connect(self._apply_theme)
        self._apply_theme()
        self.retranslate()

    def set_page(self, page: Page) -> None:
        self.buttons[page].setChecked(True)

    def set_unread(self, total: int) -> None:
        button = self.buttons[Page.CHATS]
        button.badge = total
        button.update()
        self.retranslate()

    def set_requests(self, count: int) -> None:
        """Join requests waiting for me: the Groups button's badge."""
        button = self.buttons[Page.GROUPS]
        button.badge = count
        button.update()
        self.retranslate()

    def set_friend_requests(self, count: int) -> None:
        """Unread friend requests: the Contacts button's badge."""
        button = self.buttons[Page.CONTACTS]
        button.badge = count
        button.update()
        self.retranslate()

    def set_me(self, user_id: str, name: str, image: QImage | None = None) -> None:
        """My avatar: `image` (my face, decoded at the rail's size) or my initials."""
        self.avatar.set_avatar(user_id, name or user_id, image)
        self.avatar.setToolTip(name if name == user_id or not name else f"{name} ({user_id})")

    def retranslate(self) -> None:
        unread = self.buttons[Page.CHATS].badge
        chats = self.tr("Chats")
        if unread:
            chats = self.tr("Chats (%n unread)", "", unread)
        self.buttons[Page.CHATS].setToolTip(chats)
        friend_requests = self.buttons[Page.CONTACTS].badge
        self.buttons[Page.CONTACTS].setToolTip(
            self.tr("Contacts (%n new friend requests)", "", friend_requests) if friend_requests
            else self.tr("Contacts"))
        requests = self.buttons[Page.GROUPS].badge
        self.buttons[Page.GROUPS].setToolTip(
            self.tr("Groups (%n join requests)", "", requests) if requests else self.tr("Groups"))
        self.settings.setToolTip(self.tr("Settings"))
        for button in (*self.buttons.values(), self.settings):
            button.setAccessibleName(button.toolTip())
        keys = {Page.CHATS: "page_chats", Page.CONTACTS: "page_contacts",
                Page.GROUPS: "page_groups"}
        for page, name in keys.items():  # the tip says the key too: "Chats (Ctrl+1)"
            button = self.buttons[page]
            button.setToolTip(f"{button.toolTip()} ({shortcut_text(by_name(name).keys[0])})")
        self.settings.setToolTip(
            f"{self.settings.toolTip()} ({shortcut_text(by_name('settings').keys[0])})")
        self.avatar.setAccessibleName(self.tr("My account"))

    def _apply_theme(self) -> None:
        palette = current_palette()
        for page, button in self.buttons.items():
            icon = QIcon()
            for dpr in (1.0, 2.0):
                for state, color in ((QIcon.State.Off, palette.secondary_text),
                                     (QIcon.State.On, palette.accent)):
                    pixmap = tinted_pixmap(ICONS[page], color, 24, dpr)
                    icon.addPixmap(pixmap, QIcon.Mode.Normal, state)
            button.setIcon(icon)
        self.settings.setIcon(tinted_icon("settings", palette.secondary_text))
        self.setStyleSheet(
            "QToolButton { border-radius: 12px; }"
            f"QToolButton:checked {{ background: {palette.list_selected.name()}; }}"
        )
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = current_palette()
        painter = QPainter(self)
        painter.fillRect(self.rect(), palette.rail)
