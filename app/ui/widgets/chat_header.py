"""The bar above the timeline: who the chat is with.

The avatar is the peer's or the group's picture once it has arrived (``app.ui.faces``), their
initials or members until then. A one-to-one chat shows only the name — the peer's nickname,
or their user ID when they have none (that is what `show_name` holds then). A raw ID under a
nickname tells the user nothing they need while chatting; it belongs in a profile view — the
person button (`info_clicked` too) opens their card on the Contacts page. A group chat adds
how many members it has and a button that opens the group manager beside the chat.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from app.sdk import Conversation
from app.ui.faces import FaceStore, face_of
from app.ui.system_conversation import is_system
from app.ui.theme import current_palette, theme_controller
from app.ui.widgets.conversation_delegate import conversation_avatar_key
from app.ui.widgets.face_label import FaceLabel
from app.ui.widgets.group_avatar import GroupAvatarLabel, GroupFaces
from app.ui.widgets.icons import tinted_icon

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
    info_clicked = Signal()
    """The group button (show or hide the group manager) or the person button (their card)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.avatar = FaceLabel(40, self)
        self.group_avatar = GroupAvatarLabel(40, self)
        self.group_avatar.hide()
        self.group_faces: GroupFaces | None = None
        """Set by the window: a group's avatar is its picture or its first members."""
        self._faces: FaceStore | None = None
        self._group_id = ""
        self._group_face = ""
        self._title = ""
        self._person = False
        """The button stands for the peer (a one-to-one chat), not the group."""
        self._typing = False
        self.name = _ElidedLabel(self)
        font = QFont()
        font.setPointSizeF(self.font().pointSizeF() * 1.2)
        font.setWeight(QFont.Weight.DemiBold)
        self.name.setFont(font)
        self.subtitle = _ElidedLabel(self)
        self.subtitle.setObjectName("secondaryText")
        self.subtitle.hide()
        self.info_button = QToolButton(self)
        self.info_button.setCheckable(True)
        self.info_button.setFixedSize(36, 36)
        self.info_button.setIconSize(QSize(22, 22))
        self.info_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.info_button.setAutoRaise(True)
        self.info_button.clicked.connect(self.info_clicked)
        self.info_button.hide()
        titles = QVBoxLayout()
        titles.setContentsMargins(0, 0, 0, 0)
        titles.setSpacing(0)
        titles.addStretch(1)
        titles.addWidget(self.name)
        titles.addWidget(self.subtitle)
        titles.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(18, 10, 14, 10)
        layout.setSpacing(12)
        layout.addWidget(self.avatar)
        layout.addWidget(self.group_avatar)
        layout.addLayout(titles, 1)
        layout.addWidget(self.info_button)
        self.setFixedHeight(HEIGHT)
        theme_controller().changed.connect(self._apply_theme)
        self._apply_theme()

    def _apply_theme(self) -> None:
        palette = current_palette()
        icon = "nav-contacts" if self._person else "nav-groups"
        self.info_button.setIcon(tinted_icon(icon, palette.secondary_text, 22))
        color = palette.accent if self._typing else palette.secondary_text
        self.subtitle.setStyleSheet(f"color: {color.name()};")
        self.update()

    def set_group(self, subtitle: str | None, tooltip: str = "") -> None:
        """A group chat's member line and button; None for a one-to-one chat."""
        if self._typing:
            self._typing = False
            self._apply_theme()
        self.subtitle.setVisible(subtitle is not None)
        self.info_button.setVisible(subtitle is not None)
        if subtitle is not None:
            self._set_person(False)
            self.subtitle.set_full_text(subtitle)
            self.info_button.setToolTip(tooltip)
            self.info_button.setAccessibleName(tooltip)

    def set_typing(self, typing: bool) -> None:
        """A one-to-one chat's peer is typing: said under their name while it lasts."""
        if self._group_id:
            return
        self._typing = typing
        self.subtitle.setVisible(typing)
        if typing:
            self.subtitle.set_full_text(self.tr("typing…"))
        self._apply_theme()  # in the accent colour, as a live state

    def set_person(self, tooltip: str) -> None:
        """A one-to-one chat: the button opens the person's card."""
        self._set_person(True)
        self.info_button.setVisible(True)
        self.info_button.setToolTip(tooltip)
        self.info_button.setAccessibleName(tooltip)

    def _set_person(self, person: bool) -> None:
        if person != self._person:
            self._person = person
            self._apply_theme()

    def set_faces(self, faces: FaceStore) -> None:
        """Pictures come from the session's `faces`; a group's arrival redraws its avatar."""
        self._faces = faces
        self.avatar.set_faces(faces)
        self.group_avatar.member_faces = faces.image
        faces.arrived.connect(self._face_arrived)

    def _face_arrived(self, url: str) -> None:
        if self._group_id and url == self._group_face:
            self.refresh_group_avatar()
        elif self._group_id and self.group_avatar.shows(url):
            self.group_avatar.update()

    @property
    def title(self) -> str:
        return self.name.full_text

    def show_conversation(self, conv: Conversation) -> None:
        title = conv.show_name or conv.user_id or conv.group_id
        self._group_id, self._title = conv.group_id, title
        self.avatar.set_face(conversation_avatar_key(conv), title, conv.face_url)
        if is_system(conv.conversation_id):
            self.avatar.set_icon("bell")
        self.refresh_group_avatar()
        self.name.set_full_text(title)

    def refresh_group_avatar(self) -> None:
        """Draw the group's avatar again (its picture or first members changed)."""
        is_group = bool(self._group_id) and self.group_faces is not None
        self.avatar.setVisible(not is_group)
        self.group_avatar.setVisible(is_group)
        if is_group and self.group_faces is not None:
            face_url, members = self.group_faces.group_face(self._group_id)
            self._group_face = face_url
            self.group_avatar.set_group(self._group_id, self._title, face_url, members,
                                        face_of(self._faces, face_url))

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = current_palette()
        painter = QPainter(self)
        painter.fillRect(self.rect(), palette.window)
        painter.fillRect(0, self.height() - 1, self.width(), 1, palette.separator)
