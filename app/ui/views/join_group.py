"""The "join a group" dialog: find a group by its exact ID, see what it is, then join or ask.

The card shows what decides whether to join — name, type, size, and how joining works there —
before anything is sent, and the button says what will happen ("Join" or "Ask to join"). The
outcome is told in place: joined (the dialog closes and the group opens), a request waiting
for an admin, or why the service refused. Work groups cannot be searched for (they are joined
by invitation), which the hint says up front. Non-modal, opened with `open()`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.protocol import ErrorCode, IMError
from app.protocol.groups import GroupInfo, JoinOption, JoinStatus
from app.protocol.ids import is_valid_group_id
from app.sdk import IMClient
from app.ui.group_texts import error_text, join_option_name, member_count, type_name
from app.ui.i18n import Retranslatable
from app.ui.tasks import TaskGroup
from app.ui.theme import current_palette, set_primary, theme_controller
from app.ui.widgets.group_avatar import GroupAvatarLabel


class JoinGroupDialog(Retranslatable, QDialog):
    joined = Signal(str)
    """The group I am now a member of (joined, or already was)."""

    def __init__(self, client: IMClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("joinGroupDialog")
        self._client = client
        self._tasks = TaskGroup("join group")
        self._found: GroupInfo | None = None
        self._sent = False
        self.setMinimumWidth(420)
        self.title = QLabel(self)
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.group_id = QLineEdit(self)
        self.group_id.setMaxLength(48)
        self.find_button = QPushButton(self)
        find_row = QHBoxLayout()
        find_row.setSpacing(6)
        find_row.addWidget(self.group_id, 1)
        find_row.addWidget(self.find_button)

        self.card = QFrame(self)
        self.card.setObjectName("joinCard")
        self.avatar = GroupAvatarLabel(52, self.card)
        self.name = QLabel(self.card)
        name_font = QFont(self.name.font())
        name_font.setPointSizeF(name_font.pointSizeF() * 1.1)
        name_font.setWeight(QFont.Weight.DemiBold)
        self.name.setFont(name_font)
        self.name.setWordWrap(True)
        self.facts = QLabel(self.card)
        self.facts.setWordWrap(True)
        self.policy = QLabel(self.card)
        self.policy.setWordWrap(True)
        self.introduction = QLabel(self.card)
        self.introduction.setWordWrap(True)
        text_column = QVBoxLayout()
        text_column.setSpacing(3)
        text_column.addWidget(self.name)
        text_column.addWidget(self.facts)
        text_column.addWidget(self.policy)
        text_column.addWidget(self.introduction)
        card_row = QHBoxLayout(self.card)
        card_row.setContentsMargins(14, 12, 14, 12)
        card_row.setSpacing(14)
        card_row.addWidget(self.avatar, 0, Qt.AlignmentFlag.AlignTop)
        card_row.addLayout(text_column, 1)
        self.card.hide()
        self.message = QLineEdit(self)
        self.message.hide()

        self.result = QLabel(self)
        self.result.setObjectName("joinResult")
        self.result.setWordWrap(True)
        self.result.hide()
        self.close_button = QPushButton(self)
        self.join_button = QPushButton(self)
        set_primary(self.join_button)
        self.join_button.hide()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.join_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 20, 22, 18)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addLayout(find_row)
        layout.addWidget(self.card)
        layout.addWidget(self.message)
        layout.addWidget(self.result)
        layout.addSpacing(4)
        layout.addLayout(buttons)

        self.group_id.textChanged.connect(self._on_edited)
        self.group_id.returnPressed.connect(self._find)
        self.find_button.clicked.connect(self._find)
        self.join_button.clicked.connect(self._join)
        self.message.returnPressed.connect(self._join)
        self.close_button.clicked.connect(self.reject)
        self.finished.connect(lambda _result: self._tasks.cancel_all())
        theme_controller().changed.connect(self._apply_theme)
        self._apply_theme()
        self.retranslate()
        self._on_edited()

    # --- finding -------------------------------------------------------------------------

    def _on_edited(self) -> None:
        text = self.group_id.text().strip()
        self.find_button.setEnabled(is_valid_group_id(text) and not self._tasks.busy)
        if self._found is not None and text != self._found.group_id:
            self._show_group(None)

    def _find(self) -> None:
        group_id = self.group_id.text().strip()
        if not is_valid_group_id(group_id) or self._tasks.busy:
            return
        self.find_button.setEnabled(False)
        self._tell("")
        self._tasks.run(self._client.group_manager.search_group(group_id),
                        on_done=self._on_found, on_error=self._on_find_error)

    def _on_found(self, group: GroupInfo) -> None:
        self._on_edited()
        self._sent = False
        self._show_group(group)

    def _on_find_error(self, error: IMError) -> None:
        self._on_edited()
        self._show_group(None)
        if error.code == ErrorCode.GROUP_NOT_FOUND:
            self._tell(self.tr("No group has the ID “%1”. Work groups cannot be found by ID: "
                               "ask a member to add you.").replace(
                "%1", self.group_id.text().strip()), error=True)
        else:
            self._tell(error_text(error), error=True)

    def _show_group(self, group: GroupInfo | None) -> None:
        self._found = group
        self.card.setVisible(group is not None)
        self.join_button.setVisible(group is not None)
        self.message.setVisible(group is not None and group.join_option == JoinOption.AUTH
                                and not group.role)
        if group is None:
            self.adjustSize()
            return
        self.avatar.set_group(group.group_id, group.name, group.face_url)
        self.name.setText(group.name or group.group_id)
        self.facts.setText(f"{type_name(group.group_type)} · {member_count(group.member_count)}"
                           f" · {group.group_id}")
        self.policy.setText(join_option_name(group.join_option))
        self.introduction.setText(group.introduction)
        self.introduction.setVisible(bool(group.introduction))
        self._update_join()
        self.adjustSize()

    def _update_join(self) -> None:
        group = self._found
        if group is None:
            return
        if group.role:
            self.join_button.setText(self.tr("Open group"))
        elif group.join_option == JoinOption.AUTH:
            self.join_button.setText(self.tr("Request sent") if self._sent
                                     else self.tr("Ask to join"))
        else:
            self.join_button.setText(self.tr("Join"))
        self.join_button.setEnabled(not self._sent and not self._tasks.busy and (
            bool(group.role) or group.join_option != JoinOption.FORBID))
        if group.join_option == JoinOption.FORBID and not group.role:
            self._tell(self.tr("This group takes no requests to join."), error=True)

    # --- joining -------------------------------------------------------------------------

    def _join(self) -> None:
        group = self._found
        if group is None or not self.join_button.isEnabled():
            return
        if group.role:
            self._done(group.group_id)
            return
        self.join_button.setEnabled(False)
        self._tell("")
        self._tasks.run(self._client.group_manager.join_group(group.group_id,
                                                              self.message.text().strip()),
                        on_done=lambda status: self._on_joined(group, status),
                        on_error=self._on_join_error)

    def _on_joined(self, group: GroupInfo, status: str) -> None:
        if status == JoinStatus.PENDING:
            self._sent = True
            self._update_join()
            self.message.hide()
            self._tell(self.tr("Request sent. You will join once the owner or an admin "
                               "accepts it."))
            return
        self._done(group.group_id)

    def _on_join_error(self, error: IMError) -> None:
        self._update_join()
        self._tell(error_text(error), error=True)

    def _done(self, group_id: str) -> None:
        self.joined.emit(group_id)
        self.accept()

    def _tell(self, text: str, *, error: bool = False) -> None:
        palette = current_palette()
        color = palette.danger if error else palette.accent
        self.result.setStyleSheet(f"color: {color.name()}")
        self.result.setText(text)
        self.result.setVisible(bool(text))

    # --- look and language ---------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Join group"))
        self.title.setText(self.tr("Join a group"))
        self.hint.setText(self.tr("Enter the ID of a public, meeting or live group. Work groups "
                                  "are joined by invitation."))
        self.group_id.setPlaceholderText(self.tr("Group ID"))
        self.find_button.setText(self.tr("Find"))
        self.message.setPlaceholderText(self.tr("A word to the admins (optional)"))
        self.close_button.setText(self.tr("Close"))
        if self._found is not None:
            self._show_group(self._found)

    def _apply_theme(self) -> None:
        palette = current_palette()
        secondary = f"color: {palette.secondary_text.name()}"
        self.hint.setStyleSheet(secondary)
        self.facts.setStyleSheet(secondary)
        self.policy.setStyleSheet(secondary)
        self.card.setStyleSheet(f"QFrame#joinCard {{ background: {palette.list_bg.name()};"
                                f" border: 1px solid {palette.separator.name()};"
                                " border-radius: 10px; }")
