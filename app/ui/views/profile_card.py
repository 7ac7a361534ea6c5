"""A person's card, the Contacts page's right pane: who they are, what I call them, and what
I can do — Message, Remove friend or Add friend, Block or Unblock.

    [avatar]  Alice Chen                 (show name: my remark → nickname → ID)
              alice
    Remark     [Ali from work       ]    (saved when the field is left or Return is pressed)
    Nickname   Alice Chen
    Signature  Out running
    Gender · Birthday · Region               (only the lines that have a value)
    Friend groups  Work, Family  [Change ▾]  (a friend's: move them in or out, a new group)
    [Message] [Remove friend] [Block]

It reads what this device knows at once (the SDK's cached friend record and profile book) and
asks the service for the profile once per showing, so the card opens instantly, offline too.
Removing and blocking ask first, since both undo the friendship in both directions.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.protocol import IMError
from app.protocol.friends import Friend, FriendResult, FriendType, Profile
from app.protocol.ids import c2c_conversation_id
from app.sdk import IMClient
from app.ui.faces import faces_of
from app.ui.friend_names import show_name
from app.ui.friend_texts import birthday_text, error_text, gender_name, queued_text
from app.ui.i18n import Retranslatable
from app.ui.tasks import TaskGroup
from app.ui.theme import current_palette, set_primary, theme_controller
from app.ui.views.add_friend import REMARK_BYTES, fits
from app.ui.views.friend_groups import FriendGroupActions
from app.ui.widgets.face_label import FaceLabel

AVATAR = 84


class ProfileCard(Retranslatable, QWidget):
    open_chat_requested = Signal(str, str)
    """conversation ID, the name to show until the list has it."""
    add_friend_requested = Signal(str)
    """Someone not in my list: the Add friend dialog with their ID filled in."""

    def __init__(self, client: IMClient, parent: QWidget | None = None,
                 group_actions: FriendGroupActions | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("profileCard")
        self._group_actions = group_actions
        self._client = client
        self._tasks = TaskGroup("profile card")
        self.user_id = ""
        self._blocked = False
        self.confirmation: QMessageBox | None = None
        """The open Remove / Block question (tests answer it)."""
        self.avatar = FaceLabel(AVATAR, self, faces_of(client))
        self.name = QLabel(self)
        font = QFont(self.name.font())
        font.setPointSizeF(font.pointSizeF() * 1.45)
        font.setWeight(QFont.Weight.DemiBold)
        self.name.setFont(font)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.id_line = QLabel(self)
        self.id_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.relation = QLabel(self)
        names = QVBoxLayout()
        names.setSpacing(3)
        names.addStretch(1)
        names.addWidget(self.name)
        names.addWidget(self.id_line)
        names.addWidget(self.relation)
        names.addStretch(1)
        head = QHBoxLayout()
        head.setSpacing(18)
        head.addWidget(self.avatar, 0, Qt.AlignmentFlag.AlignVCenter)
        head.addLayout(names, 1)

        self.remark = QLineEdit(self)
        self.remark.setObjectName("remarkField")
        self.nickname = self._value()
        self.signature = self._value()
        self.signature.setWordWrap(True)
        self.gender = self._value()
        self.birthday = self._value()
        self.region = self._value()
        self.groups = self._value()
        self.groups.setWordWrap(True)
        self.groups_button = QToolButton(self)
        self.groups_button.setObjectName("groupsButton")
        self.groups_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.groups_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.groups_menu = QMenu(self.groups_button)
        self.groups_menu.aboutToShow.connect(self._fill_groups_menu)
        self.groups_button.setMenu(self.groups_menu)
        self.groups_button.setVisible(group_actions is not None)
        self.groups_row = QWidget(self)
        groups_line = QHBoxLayout(self.groups_row)
        groups_line.setContentsMargins(0, 0, 0, 0)
        groups_line.setSpacing(10)
        groups_line.addWidget(self.groups)
        groups_line.addWidget(self.groups_button, 0, Qt.AlignmentFlag.AlignVCenter)
        groups_line.addStretch(1)  # "Change" right after the names, where the eye is
        self.form = QFormLayout()
        self.form.setHorizontalSpacing(18)
        self.form.setVerticalSpacing(10)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.labels: dict[QWidget, QLabel] = {}
        for field in (self.remark, self.nickname, self.signature, self.gender, self.birthday,
                      self.region, self.groups_row):
            label = QLabel(self)
            self.labels[field] = label
            self.form.addRow(label, field)
        # The remark's label centred on its field, like the one-line values' labels.
        self.labels[self.remark].setMinimumHeight(self.remark.sizeHint().height())
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.hide()

        self.message_button = QPushButton(self)
        set_primary(self.message_button)
        self.friend_button = QPushButton(self)
        self.block_button = QPushButton(self)
        self.block_button.setObjectName("blockButton")
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        for button in (self.message_button, self.friend_button, self.block_button):
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setMinimumWidth(110)
            buttons.addWidget(button)
        buttons.addStretch(1)

        body = QWidget(self)
        body.setMinimumWidth(440)
        body.setMaximumWidth(560)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(18)
        column.addLayout(head)
        column.addLayout(self.form)
        column.addWidget(self.notice)
        column.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(36, 32, 36, 24)
        layout.addWidget(body, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)

        self.remark.editingFinished.connect(self._save_remark)
        self.remark.textEdited.connect(self._check_remark)
        self.message_button.clicked.connect(self._message)
        self.friend_button.clicked.connect(self._friend_action)
        self.block_button.clicked.connect(self._block_action)
        theme_controller().changed.connect(self._apply_theme)
        self._apply_theme()
        self.retranslate()

    def _value(self) -> QLabel:
        label = QLabel(self)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    # --- what is shown -------------------------------------------------------------------

    def show_user(self, user_id: str, blocked: bool = False) -> None:
        """Show `user_id`'s card from what this device knows, then ask for their profile."""
        changed = user_id != self.user_id
        self.user_id, self._blocked = user_id, blocked
        if changed:
            self._tasks.cancel_all()
            self._tell("")
        self.refresh()
        if changed and self._client.ready:
            self._tasks.run(self._client.get_users_info([user_id]),
                            on_done=lambda _infos, uid=user_id: self._refetched(uid))

    def stop(self) -> None:
        self._tasks.cancel_all()

    def _refetched(self, user_id: str) -> None:
        if user_id == self.user_id:
            self.refresh()

    def set_blocked(self, blocked: bool) -> None:
        if blocked != self._blocked:
            self._blocked = blocked
            self.refresh()

    def friend(self) -> Friend | None:
        return self._client.friendship_manager.cached_friend(self.user_id)

    def shown_name(self) -> str:
        friend = self.friend()
        return show_name(friend) if friend is not None else self._nick() or self.user_id

    def _profile(self) -> Profile | None:
        friend = self.friend()
        if friend is not None and friend.profile is not None:
            return friend.profile
        return self._client.profiles.get(self.user_id)

    def _nick(self) -> str:
        profile = self._profile()
        return profile.nick if profile is not None else ""

    def refresh(self) -> None:
        """Redraw from the SDK's cached record and profile (a change was announced)."""
        if not self.user_id:
            return
        friend = self.friend()
        profile = self._profile() or Profile(self.user_id)
        name = self.shown_name()
        self.avatar.set_face(self.user_id, name, profile.face_url)
        self.name.setText(name)
        self.id_line.setText(self.tr("ID: %1").replace("%1", self.user_id))
        if not self.remark.hasFocus():
            self.remark.setText(friend.remark if friend is not None else "")
        self._set_row(self.remark, friend is not None)
        self._set_value(self.nickname, profile.nick if profile.nick != name else "")
        self._set_value(self.signature, profile.self_signature)
        self._set_value(self.gender, gender_name(profile.gender))
        self._set_value(self.birthday, birthday_text(profile.birthday))
        self._set_value(self.region, profile.location)
        in_groups = bool(friend and friend.group_names)
        self.groups.setText(", ".join(friend.group_names) if friend and in_groups
                            else self.tr("In no group"))
        palette = current_palette()  # "In no group" quietly, like a placeholder
        self.groups.setStyleSheet("" if in_groups
                                  else f"color: {palette.secondary_text.name()}")
        self._set_row(self.groups_row, friend is not None)
        self._retranslate_state()

    def _set_value(self, field: QLabel, text: str) -> None:
        field.setText(text)
        self._set_row(field, bool(text))

    def _set_row(self, field: QWidget, visible: bool) -> None:
        self.form.setRowVisible(field, visible)

    # --- actions -------------------------------------------------------------------------

    def _message(self) -> None:
        self.open_chat_requested.emit(c2c_conversation_id(self.user_id), self.shown_name())

    def _check_remark(self, text: str) -> None:
        if not fits(text, REMARK_BYTES):
            self._tell(self.tr("A remark is at most 96 bytes (a Chinese character takes 3)."),
                       error=True)
        else:
            self._tell("")

    def _save_remark(self) -> None:
        friend = self.friend()
        text = self.remark.text().strip()
        if friend is None or text == friend.remark:
            return
        if not fits(text, REMARK_BYTES):
            self.remark.setText(friend.remark)
            self._tell("")
            return
        self._tasks.run(self._client.friendship_manager.set_friend_info(
            self.user_id, remark=text),
            on_done=lambda result: self._tell(queued_text()) if result is None else None,
            on_error=self._failed)

    def _friend_action(self) -> None:
        if self.friend() is None:
            self.add_friend_requested.emit(self.user_id)
            return
        name = self.shown_name()
        self._confirm(self.tr("Remove friend"),
                      self.tr("Remove %1 from your friends?").replace("%1", name),
                      self.tr("You are removed from their friends too. Your chat stays."),
                      self.tr("Remove"),
                      lambda: self._client.friendship_manager.delete_from_friend_list(
                          [self.user_id], FriendType.BOTH))

    def _block_action(self) -> None:
        manager = self._client.friendship_manager
        if self._blocked:
            self._run(manager.delete_from_black_list([self.user_id]))
            return
        name = self.shown_name()
        self._confirm(self.tr("Block"), self.tr("Block %1?").replace("%1", name),
                      self.tr("They can no longer message you or send you friend requests, "
                              "and you leave each other's friends."),
                      self.tr("Block"),
                      lambda: manager.add_to_black_list([self.user_id]))

    def _confirm(self, title: str, text: str, detail: str, action: str,
                 call: Callable[[], Coroutine[Any, Any, list[FriendResult] | None]]) -> None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(title)
        box.setText(text)
        box.setInformativeText(detail)
        confirm = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.confirmation = box

        def finished(_result: int) -> None:
            if box.clickedButton() is confirm:
                self._run(call())

        box.finished.connect(finished)
        box.open()

    def _run(self, call: Coroutine[Any, Any, list[FriendResult] | None]) -> None:
        def done(results: list[FriendResult] | None) -> None:
            if results is None:
                self._tell(queued_text())
            self.refresh()

        self._tell("")
        self._tasks.run(call, on_done=done, on_error=self._failed)

    def _failed(self, error: IMError) -> None:
        self._tell(error_text(error), error=True)
        self.refresh()

    def _fill_groups_menu(self) -> None:
        """The friend-group menu, made afresh each time it opens (groups and membership
        may have changed since)."""
        self.groups_menu.clear()
        if self._group_actions is not None:
            self._group_actions.fill_friend_menu(self.groups_menu, self.user_id,
                                                 self.shown_name())

    def tell(self, text: str, *, error: bool = False) -> None:
        """A sentence under the card (a change's outcome told by the page)."""
        self._tell(text, error=error)

    def _tell(self, text: str, *, error: bool = False) -> None:
        palette = current_palette()
        self.notice.setStyleSheet(
            f"color: {(palette.danger if error else palette.secondary_text).name()}")
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    # --- look and language ---------------------------------------------------------------

    def _retranslate_state(self) -> None:
        is_friend = self.friend() is not None
        self.friend_button.setText(self.tr("Remove friend") if is_friend
                                   else self.tr("Add friend"))
        self.block_button.setText(self.tr("Unblock") if self._blocked else self.tr("Block"))
        if self._blocked:
            self.relation.setText(self.tr("Blocked"))
        elif not is_friend:
            self.relation.setText(self.tr("Not in your friends"))
        self.relation.setVisible(self._blocked or not is_friend)
        self._style_relation()
        self.friend_button.setEnabled(not self._blocked or is_friend)

    def retranslate(self) -> None:
        texts = {self.remark: self.tr("Remark"), self.nickname: self.tr("Nickname"),
                 self.signature: self.tr("Signature"), self.gender: self.tr("Gender"),
                 self.birthday: self.tr("Birthday"), self.region: self.tr("Region"),
                 self.groups_row: self.tr("Friend groups")}
        for field, text in texts.items():
            self.labels[field].setText(text)
        self.remark.setPlaceholderText(self.tr("Add a name only you see"))
        self.message_button.setText(self.tr("Message"))
        self.groups_button.setText(self.tr("Change"))
        self.refresh()
        self._retranslate_state()

    def _style_relation(self) -> None:
        """"Blocked" in the danger colour, "Not in your friends" quietly."""
        palette = current_palette()
        color = palette.danger if self._blocked else palette.secondary_text
        self.relation.setStyleSheet(f"color: {color.name()}")

    def _apply_theme(self) -> None:
        palette = current_palette()
        secondary = f"color: {palette.secondary_text.name()}"
        self.id_line.setStyleSheet(secondary)
        self._style_relation()
        for label in self.labels.values():
            label.setStyleSheet(secondary)
        self.block_button.setStyleSheet(f"QPushButton#blockButton {{ color:"
                                        f" {palette.danger.name()}; }}")
        self.groups_button.setStyleSheet(
            f"QToolButton#groupsButton {{ color: {palette.link.name()}; border: none;"
            " background: transparent; padding: 0 2px; font-weight: 600; }"
            "QToolButton#groupsButton:hover { text-decoration: underline; }"
            "QToolButton#groupsButton::menu-indicator { image: none; width: 0; }")
