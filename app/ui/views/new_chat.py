"""The "new chat" dialog: type a user ID, get a conversation with that person.

The ID's shape is checked as the user types (the same rule the service applies), and on OK the
service is asked whether the account exists, so a typo gets "there is no user …" now instead of
a failed first message later. Offline, the check is skipped: the chat opens and the outbox
delivers once the connection is back. Non-modal and opened with `open()` — never `exec()`
inside the qasync loop.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.protocol.ids import is_valid_user_id
from app.sdk import IMClient, UserInfo
from app.ui.i18n import Retranslatable
from app.ui.tasks import TaskGroup
from app.ui.theme import current_palette, set_primary, theme_controller


class NewChatDialog(Retranslatable, QDialog):
    chosen = Signal(str, str)
    """The user ID to chat with, and its display name when the service told us one."""

    def __init__(self, client: IMClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._tasks = TaskGroup("new chat")
        self.setMinimumWidth(380)
        self._title = QLabel(self)
        font = self._title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setWeight(font.Weight.DemiBold)
        self._title.setFont(font)
        self._hint = QLabel(self)
        self._hint.setWordWrap(True)
        self.user_id = QLineEdit(self)
        self.user_id.setMaxLength(64)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.hide()
        self._cancel = QPushButton(self)
        self.ok = QPushButton(self)
        set_primary(self.ok)
        self.ok.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self._cancel)
        buttons.addWidget(self.ok)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 20, 22, 18)
        layout.setSpacing(10)
        layout.addWidget(self._title)
        layout.addWidget(self._hint)
        layout.addSpacing(4)
        layout.addWidget(self.user_id)
        layout.addWidget(self.error)
        layout.addSpacing(6)
        layout.addLayout(buttons)
        self._cancel.clicked.connect(self.reject)
        self.ok.clicked.connect(self._submit)
        self.user_id.textChanged.connect(self._on_edited)
        self.user_id.returnPressed.connect(self._submit)
        self.finished.connect(lambda _result: self._tasks.cancel_all())
        theme_controller().changed.connect(self._apply_theme)
        self._apply_theme()
        self.retranslate()
        self._on_edited()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("New chat"))
        self._title.setText(self.tr("Start a new chat"))
        self._hint.setText(self.tr("Enter the user ID of the person you want to write to."))
        self.user_id.setPlaceholderText(self.tr("User ID, e.g. alice"))
        self._cancel.setText(self.tr("Cancel"))
        self.ok.setText(self.tr("Start chat"))

    def _apply_theme(self) -> None:
        palette = current_palette()
        self._hint.setStyleSheet(f"color: {palette.secondary_text.name()}")
        self.error.setStyleSheet(f"color: {palette.danger.name()}")

    def show_error(self, text: str) -> None:
        if text == self.error.text() and self.error.isVisible() == bool(text):
            return
        self.error.setText(text)
        self.error.setVisible(bool(text))
        self.adjustSize()  # make room for (or give back) the error's lines

    def _on_edited(self) -> None:
        text = self.user_id.text().strip()
        self.ok.setEnabled(bool(text) and not self._tasks.busy)
        if not text or is_valid_user_id(text):
            self.show_error("")
        else:
            self.show_error(self._shape_error())

    def _shape_error(self) -> str:
        return self.tr("A user ID has 1 to 32 characters: letters, digits, _ and -.")

    def _submit(self) -> None:
        user_id = self.user_id.text().strip()
        if not user_id or self._tasks.busy:
            return
        if not is_valid_user_id(user_id):
            self.show_error(self._shape_error())
            return
        if not self._client.ready:
            self._choose(user_id, "")
            return
        self.ok.setEnabled(False)
        self.show_error("")
        self._tasks.run(
            self._client.get_users_info([user_id]),
            on_done=lambda found: self._on_checked(user_id, found),
            on_error=lambda _err: self._choose(user_id, ""),
        )

    def _on_checked(self, user_id: str, found: list[UserInfo]) -> None:
        self.ok.setEnabled(True)
        if not found:
            self.show_error(self.tr("There is no user with the ID “%1”.").replace("%1", user_id))
            self.user_id.setFocus(Qt.FocusReason.OtherFocusReason)
            self.user_id.selectAll()
            return
        self._choose(user_id, found[0].nick_name)

    def _choose(self, user_id: str, name: str) -> None:
        self.chosen.emit(user_id, name)
        self.accept()

    def reject(self) -> None:
        self._tasks.cancel_all()
        super().reject()
