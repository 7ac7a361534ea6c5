"""The "Add friend" dialog: a user ID, a word to them and a remark; then what happened.

The target's allow type decides (§4.2): added at once, a request now waiting for them, or
refused — because they take no requests, a blacklist stands between us, or a list is full.
Each outcome is told in a sentence in place, so the user knows whether to wait; the dialog
stays open on a refusal so the ID can be corrected. The user ID is checked first (no such
user, myself, already a friend) with answers this device has, before anything is sent.
Non-modal, opened with `open()`.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.protocol import ErrorCode, IMError
from app.protocol.friends import ADD_SOURCE_PREFIX, FriendResult, FriendType
from app.protocol.ids import is_valid_user_id
from app.sdk import IMClient, UserInfo
from app.ui.friend_names import show_name
from app.ui.friend_texts import add_result_text, error_text, is_success, queued_text
from app.ui.i18n import Retranslatable
from app.ui.tasks import TaskGroup
from app.ui.theme import current_palette, set_primary, theme_controller

ADD_SOURCE = ADD_SOURCE_PREFIX + "Desktop"
REMARK_BYTES = 96
WORDING_BYTES = 120


def fits(text: str, most: int) -> bool:
    return len(text.encode("utf-8")) <= most


class AddFriendDialog(Retranslatable, QDialog):
    added = Signal(str)
    """A user now in my friends (added at once, or already was)."""

    def __init__(self, client: IMClient, parent: QWidget | None = None,
                 user_id: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("addFriendDialog")
        self._client = client
        self._tasks = TaskGroup("add friend")
        self._done = False
        self.setMinimumWidth(440)
        self.title = QLabel(self)
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.user_id = QLineEdit(user_id, self)
        self.user_id.setMaxLength(32)
        self.wording = QLineEdit(self)
        self.remark = QLineEdit(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(8)
        self.user_id_label = QLabel(self)
        self.wording_label = QLabel(self)
        self.remark_label = QLabel(self)
        form.addRow(self.user_id_label, self.user_id)
        form.addRow(self.wording_label, self.wording)
        form.addRow(self.remark_label, self.remark)
        self.result = QLabel(self)
        self.result.setObjectName("addFriendResult")
        self.result.setWordWrap(True)
        self.result.hide()
        self.close_button = QPushButton(self)
        self.add_button = QPushButton(self)
        set_primary(self.add_button)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 20, 22, 18)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addSpacing(2)
        layout.addLayout(form)
        layout.addWidget(self.result)
        layout.addSpacing(4)
        layout.addLayout(buttons)

        for field in (self.user_id, self.wording, self.remark):
            field.textChanged.connect(self._on_edited)
            field.returnPressed.connect(self._add)
        self.add_button.clicked.connect(self._add)
        self.close_button.clicked.connect(self.reject)
        self.finished.connect(lambda _result: self._tasks.cancel_all())
        theme_controller().changed.connect(self._apply_theme)
        self._apply_theme()
        self.retranslate()
        self._on_edited()

    def _on_edited(self) -> None:
        if self._done:
            self._done = False
            self.close_button.show()
            self.retranslate()
        too_long = not fits(self.wording.text(), WORDING_BYTES) or not fits(
            self.remark.text(), REMARK_BYTES)
        if too_long:
            self._tell(self.tr("The note is at most 120 bytes and the remark 96 (a Chinese "
                               "character takes 3)."), error=True)
        elif self.result.property("tooLong"):
            self._tell("")
        self.result.setProperty("tooLong", too_long)
        self.add_button.setEnabled(is_valid_user_id(self.user_id.text().strip())
                                   and not too_long and not self._tasks.busy)

    def _add(self) -> None:
        if self._done:
            self.accept()
            return
        user_id = self.user_id.text().strip()
        if not self.add_button.isEnabled():
            return
        if user_id == self._client.me:
            self._tell(self.tr("That is your own ID."), error=True)
            return
        friend = self._client.friendship_manager.cached_friend(user_id)
        if friend is not None:
            self._tell(self.tr("%1 is already in your friends.").replace(
                "%1", show_name(friend)))
            self._finish()
            self.added.emit(user_id)
            return
        self.add_button.setEnabled(False)
        self._tell(self.tr("Sending…"))
        self._tasks.run(self._send(user_id), on_done=self._on_result, on_error=self._on_error)

    async def _send(self, user_id: str) -> tuple[str, FriendResult | None]:
        """Whom it is (the service must know the ID), then the request."""
        name = user_id
        if self._client.ready:
            found: list[UserInfo] = await self._client.get_users_info([user_id])
            if not found:
                raise IMError(ErrorCode.PROFILE_ACCOUNT_NOT_FOUND, user_id)
            name = found[0].nick_name or user_id
        result = await self._client.friendship_manager.add_friend(
            user_id, FriendType.BOTH, remark=self.remark.text().strip(),
            add_wording=self.wording.text().strip(), add_source=ADD_SOURCE)
        return name, result

    def _on_result(self, outcome: tuple[str, FriendResult | None]) -> None:
        name, result = outcome
        self._on_edited()
        if result is None:
            self._tell(queued_text())
            self._finish()
            return
        code = result.result_code
        self._tell(add_result_text(code, name), error=not is_success(code))
        if is_success(code):
            self._finish()
            if code == ErrorCode.OK:
                self.added.emit(result.user_id)

    def _on_error(self, error: IMError) -> None:
        self._on_edited()
        if error.code == ErrorCode.PROFILE_ACCOUNT_NOT_FOUND:
            self._tell(self.tr("No user has the ID “%1”.").replace(
                "%1", self.user_id.text().strip()),
                       error=True)
        else:
            self._tell(error_text(error), error=True)

    def _finish(self) -> None:
        """The request went out (or was not needed): the main button closes the dialog."""
        self._done = True
        self.add_button.setText(self.tr("Done"))
        self.add_button.setEnabled(True)
        self.close_button.hide()

    def _tell(self, text: str, *, error: bool = False) -> None:
        palette = current_palette()
        color = palette.danger if error else palette.accent
        self.result.setStyleSheet(f"color: {color.name()}")
        self.result.setText(text)
        self.result.setVisible(bool(text))
        self.adjustSize()  # a wrapped sentence must not squeeze the fields

    # --- look and language ---------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Add friend"))
        self.title.setText(self.tr("Add a friend"))
        self.hint.setText(self.tr("Enter their user ID. Depending on their settings they are "
                                  "added at once, or they get your request to accept."))
        self.user_id_label.setText(self.tr("User ID"))
        self.wording_label.setText(self.tr("Note"))
        self.remark_label.setText(self.tr("Remark"))
        self.user_id.setPlaceholderText(self.tr("e.g. alice"))
        self.wording.setPlaceholderText(self.tr("A word to them (optional)"))
        self.remark.setPlaceholderText(self.tr("The name you see for them (optional)"))
        self.close_button.setText(self.tr("Cancel"))
        self.add_button.setText(self.tr("Done") if self._done else self.tr("Add"))

    def _apply_theme(self) -> None:
        palette = current_palette()
        secondary = f"color: {palette.secondary_text.name()}"
        self.hint.setStyleSheet(secondary)
        for label in (self.user_id_label, self.wording_label, self.remark_label):
            label.setStyleSheet(secondary)
