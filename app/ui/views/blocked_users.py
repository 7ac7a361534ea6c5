"""The people I block, the Contacts page's right pane behind "Blocked users".

    Blocked users
    They cannot message you or send you friend requests.
    [avatar]  Carol Wu                         [Unblock]
              carol · blocked 14:05

A blacklist is short, so each entry is a row widget like the requests'. The page hands over
the list it reads after every blacklist change (``show_entries``), so a block made on the card,
on another device or undone here all land the same way. Unblocking is not asked first: it only
lets someone reach me again, and blocking is one click away on their card.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.protocol import IMError
from app.protocol.friends import BlackEntry, FriendResult
from app.sdk import IMClient
from app.ui.faces import FaceStore, faces_of
from app.ui.formatting import list_time
from app.ui.friend_texts import error_text, queued_text
from app.ui.i18n import Retranslatable
from app.ui.tasks import TaskGroup
from app.ui.theme import current_palette, theme_controller
from app.ui.widgets.face_label import FaceLabel
from app.ui.widgets.row_column import RowColumn


def blocked_name(client: IMClient, entry: BlackEntry) -> str:
    """Their nickname as the entry or my profile book has it, else their ID."""
    profile = entry.profile or client.profiles.get(entry.user_id)
    return (profile.nick if profile else "") or entry.user_id


class BlockedRow(QFrame):
    """One blocked person; clicking the row (not the button) opens their card."""

    clicked = Signal(str)

    def __init__(self, entry: BlackEntry, name: str, face_url: str, parent: QWidget,
                 faces: FaceStore) -> None:
        super().__init__(parent)
        self.setObjectName("blockedRow")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.entry = entry
        self.avatar = FaceLabel(44, self, faces)
        self.avatar.set_face(entry.user_id, name, face_url)
        self.who = QLabel(name, self)
        font = QFont(self.who.font())
        font.setWeight(QFont.Weight.DemiBold)
        self.who.setFont(font)
        self.who.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.details = QLabel(self)
        self.details.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.unblock_button = QPushButton(self)
        self.unblock_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.unblock_button.setMinimumWidth(110)  # "移出黑名单" as well as "Unblock"
        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addStretch(1)  # name and details together, centred on the avatar
        texts.addWidget(self.who)
        texts.addWidget(self.details)
        texts.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(20, 12, 20, 12)
        row.setSpacing(12)
        row.addWidget(self.avatar, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addLayout(texts, 1)
        row.addWidget(self.unblock_button, 0, Qt.AlignmentFlag.AlignVCenter)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.entry.user_id)
        super().mouseReleaseEvent(event)


class BlockedUsersView(Retranslatable, QWidget):
    open_user_requested = Signal(str)
    """A row was clicked: show that person's card."""

    def __init__(self, client: IMClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._tasks = TaskGroup("blocked users")
        self._entries: list[BlackEntry] = []
        self._busy: set[str] = set()
        self.rows: list[BlockedRow] = []
        self.title = QLabel(self)
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        self.subtitle = QLabel(self)
        self.subtitle.setWordWrap(True)
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.scroll = RowColumn(self, "blockedContent")
        self._content, self._rows_layout = self.scroll.content, self.scroll.rows
        self.empty = QLabel(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        head = QVBoxLayout()
        head.setContentsMargins(20, 16, 20, 10)
        head.setSpacing(4)
        head.addWidget(self.title)
        head.addWidget(self.subtitle)
        head.addWidget(self.notice)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(head)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.empty, 1)
        theme_controller().changed.connect(self._apply_theme)
        self._apply_theme()
        self.retranslate()
        self._rebuild()

    def show_entries(self, entries: list[BlackEntry]) -> None:
        """The blacklist as the SDK reads it now, newest block first."""
        self._entries = sorted(entries, key=lambda e: -e.add_time)
        listed = {e.user_id for e in entries}
        self._busy &= listed
        self._rebuild()

    def stop(self) -> None:
        self._tasks.cancel_all()

    def _rebuild(self) -> None:
        for row in self.rows:
            row.deleteLater()
        self.rows = []
        faces = faces_of(self._client)
        for at, entry in enumerate(self._entries):
            profile = entry.profile or self._client.profiles.get(entry.user_id)
            row = BlockedRow(entry, blocked_name(self._client, entry),
                             profile.face_url if profile else "", self._content, faces)
            row.unblock_button.setEnabled(entry.user_id not in self._busy)
            row.unblock_button.clicked.connect(
                lambda _c=False, uid=entry.user_id: self._unblock(uid))
            row.clicked.connect(self.open_user_requested)
            self._rows_layout.insertWidget(at, row)
            self.rows.append(row)
        self._retranslate_rows()
        self._apply_theme()
        self.empty.setVisible(not self.rows)
        self.scroll.setVisible(bool(self.rows))

    def _unblock(self, user_id: str) -> None:
        self._busy.add(user_id)
        self._tell("")
        for row in self.rows:
            if row.entry.user_id == user_id:
                row.unblock_button.setEnabled(False)

        def done(results: list[FriendResult] | None) -> None:
            if results is None:
                self._tell(queued_text())

        def failed(error: IMError) -> None:
            self._busy.discard(user_id)
            self._tell(error_text(error))
            self._rebuild()

        self._tasks.run(self._client.friendship_manager.delete_from_black_list([user_id]),
                        on_done=done, on_error=failed)

    def _tell(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    # --- look and language ---------------------------------------------------------------

    def _retranslate_rows(self) -> None:
        for row in self.rows:
            parts = [row.entry.user_id] if row.who.text() != row.entry.user_id else []
            if row.entry.add_time:
                parts.append(self.tr("blocked %1").replace(
                    "%1", list_time(row.entry.add_time)))
            row.details.setText(" · ".join(parts))
            row.unblock_button.setText(self.tr("Unblock"))

    def retranslate(self) -> None:
        self.title.setText(self.tr("Blocked users"))
        self.subtitle.setText(self.tr("They cannot message you or send you friend requests."))
        self.empty.setText(self.tr("You block nobody.\nBlock someone from their profile."))
        self._retranslate_rows()

    def _apply_theme(self) -> None:
        palette = current_palette()
        secondary = f"color: {palette.secondary_text.name()}"
        self.subtitle.setStyleSheet(secondary)
        self.empty.setStyleSheet(f"{secondary}; padding: 24px;")
        self.notice.setStyleSheet(f"color: {palette.danger.name()}")
        self._content.setStyleSheet(
            f"QWidget#blockedContent {{ background: {palette.window.name()}; }}"
            f"QFrame#blockedRow {{ border: none;"
            f" border-bottom: 1px solid {palette.separator.name()}; }}"
            f"QFrame#blockedRow:hover {{ background: {palette.list_hover.name()}; }}")
        for row in self.rows:
            row.details.setStyleSheet(secondary)
