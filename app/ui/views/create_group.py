"""The "new group" dialog: choose a type (each with its rules in one line), name the group, and
optionally give it an ID, an introduction, a picture, a join policy and its first members.

The type comes first because it decides the rest: only a Public group has a join policy to
choose, and a live chat room starts without members (people join it by ID), so those parts
appear only where they mean something. Lengths are checked in bytes as the user types — the
service's limit is in bytes (a Chinese name fits 10 characters, not 30) — and anything the
service still refuses (an ID taken, an unknown member) is shown under the form, which stays
filled in. Non-modal and opened with `open()`, never `exec()` inside the qasync loop.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.protocol import IMError
from app.protocol.groups import GroupType, JoinOption
from app.protocol.ids import is_valid_group_id
from app.sdk import IMClient
from app.ui.group_texts import error_text, join_option_name, type_badge, type_explanation
from app.ui.i18n import Retranslatable
from app.ui.tasks import TaskGroup
from app.ui.theme import current_palette, set_primary, theme_controller
from app.ui.views.member_picker import MemberPicker
from app.ui.views.send_preview import choice_button, choice_style
from app.ui.widgets.face_picker import FacePicker

TYPES = (GroupType.WORK, GroupType.PUBLIC, GroupType.MEETING, GroupType.AVCHATROOM)
PUBLIC_JOIN = (JoinOption.AUTH, JoinOption.ANY, JoinOption.FORBID)
RESERVED_PREFIX = "@TGS#"


class CreateGroupDialog(Retranslatable, QDialog):
    created = Signal(str)
    """The new group's ID."""

    def __init__(self, client: IMClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("createGroupDialog")
        self._client = client
        self._tasks = TaskGroup("create group")
        self.setMinimumSize(460, 640)
        self.title = QLabel(self)
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)

        self.type_buttons: dict[GroupType, QPushButton] = {}
        kinds = QButtonGroup(self)
        type_row = QHBoxLayout()
        type_row.setSpacing(6)
        for group_type in TYPES:
            button = choice_button(self)
            kinds.addButton(button)
            self.type_buttons[group_type] = button
            type_row.addWidget(button)
            button.toggled.connect(self._on_type)
        type_row.addStretch(1)
        self.explanation = QLabel(self)
        self.explanation.setWordWrap(True)

        self.face = FacePicker(56, self)
        self.name = QLineEdit(self)
        self.group_id = QLineEdit(self)
        self.group_id.setMaxLength(48)
        self.introduction = QLineEdit(self)
        name_column = QVBoxLayout()
        name_column.setSpacing(8)
        name_column.addWidget(self.name)
        name_column.addWidget(self.group_id)
        head = QHBoxLayout()
        head.setSpacing(14)
        head.addWidget(self.face, 0, Qt.AlignmentFlag.AlignTop)
        head.addLayout(name_column, 1)

        self.join_label = QLabel(self)
        self.join_option = QComboBox(self)
        join_row = QHBoxLayout()
        join_row.setSpacing(10)
        join_row.addWidget(self.join_label)
        join_row.addWidget(self.join_option, 1)

        self.members_label = QLabel(self)
        label_font = QFont(self.members_label.font())
        label_font.setWeight(QFont.Weight.DemiBold)
        self.members_label.setFont(label_font)
        self.picker = MemberPicker(client, self)
        self.no_members = QLabel(self)
        self.no_members.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setObjectName("createGroupError")
        self.error.hide()
        self.cancel_button = QPushButton(self)
        self.create_button = QPushButton(self)
        set_primary(self.create_button)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.create_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 20, 22, 18)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addLayout(type_row)
        layout.addWidget(self.explanation)
        layout.addSpacing(6)
        layout.addLayout(head)
        layout.addWidget(self.introduction)
        layout.addLayout(join_row)
        layout.addSpacing(6)
        layout.addWidget(self.members_label)
        layout.addWidget(self.picker, 1)
        layout.addWidget(self.no_members)
        layout.addStretch(0)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

        self.name.textChanged.connect(self._on_edited)
        self.group_id.textChanged.connect(self._on_edited)
        self.introduction.textChanged.connect(self._on_edited)
        self.name.returnPressed.connect(self._create)
        self.picker.chosen_changed.connect(self._update_button)
        self.cancel_button.clicked.connect(self.reject)
        self.create_button.clicked.connect(self._create)
        self.finished.connect(lambda _result: self._tasks.cancel_all())
        theme_controller().changed.connect(self._apply_theme)
        self.type_buttons[GroupType.WORK].setChecked(True)
        self._apply_theme()
        self.retranslate()
        self._on_edited()
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- the form ------------------------------------------------------------------------

    @property
    def group_type(self) -> GroupType:
        return next((t for t, b in self.type_buttons.items() if b.isChecked()), GroupType.WORK)

    def set_type(self, group_type: GroupType) -> None:
        self.type_buttons[group_type].setChecked(True)

    def _on_type(self, _checked: bool = True) -> None:
        group_type = self.group_type
        self.explanation.setText(type_explanation(group_type))
        public = group_type == GroupType.PUBLIC
        self.join_label.setVisible(public)
        self.join_option.setVisible(public)
        has_members = group_type != GroupType.AVCHATROOM
        self.members_label.setVisible(has_members)
        self.picker.setVisible(has_members)
        self.no_members.setVisible(not has_members)
        self._update_button()

    def _problem(self) -> str:
        """What keeps the form from being sent, in words ("" when nothing)."""
        limits = self._client.limits
        name = self.name.text()
        if len(name.strip().encode()) > limits.group_name_bytes:
            return self.tr("The name is too long: at most %1 bytes (about %2 Chinese "
                           "characters).").replace("%1", str(limits.group_name_bytes)).replace(
                "%2", str(limits.group_name_bytes // 3))
        group_id = self.group_id.text().strip()
        if group_id and (not is_valid_group_id(group_id)
                         or group_id.startswith(RESERVED_PREFIX)):
            return self.tr("A group ID is up to 48 letters, digits and symbols without spaces, "
                           "and may not start with %1.").replace("%1", RESERVED_PREFIX)
        if len(self.introduction.text().encode()) > limits.group_introduction_bytes:
            return self.tr("The introduction is too long: at most %1 bytes.").replace(
                "%1", str(limits.group_introduction_bytes))
        return ""

    def _on_edited(self) -> None:
        self.face.set_group(self.group_id.text().strip() or "new",
                            self.name.text().strip() or "?", self.face.face_url)
        self.show_error(self._problem())
        self._update_button()

    def _update_button(self) -> None:
        ready = bool(self.name.text().strip()) and not self._problem()
        self.create_button.setEnabled(ready and not self._tasks.busy)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    # --- creating ------------------------------------------------------------------------

    def _create(self) -> None:
        if not self.create_button.isEnabled():
            return
        group_type = self.group_type
        members = self.picker.chosen_ids() if group_type != GroupType.AVCHATROOM else []
        join = self.join_option.currentData() if group_type == GroupType.PUBLIC else None
        coro = self._client.group_manager.create_group(
            group_type.value, self.name.text().strip(),
            group_id=self.group_id.text().strip(), member_list=members,
            introduction=self.introduction.text().strip(), face_url=self.face.face_url,
            join_option=join)
        self.create_button.setEnabled(False)
        self.show_error("")
        self._tasks.run(coro, on_done=self._on_created, on_error=self._on_error)

    def _on_created(self, group_id: str) -> None:
        self.created.emit(group_id)
        self.accept()

    def _on_error(self, error: IMError) -> None:
        self.show_error(error_text(error))
        self._update_button()

    # --- look and language ---------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("New group"))
        self.title.setText(self.tr("Create a group"))
        for group_type, button in self.type_buttons.items():
            button.setText(type_badge(group_type))
        self.name.setPlaceholderText(self.tr("Group name"))
        self.group_id.setPlaceholderText(self.tr("Group ID (optional; made up if empty)"))
        self.introduction.setPlaceholderText(self.tr("Introduction (optional)"))
        self.face.setToolTip(self.tr("Choose a picture"))
        self.join_label.setText(self.tr("Who can join"))
        current = self.join_option.currentData()
        self.join_option.clear()
        for option in PUBLIC_JOIN:
            self.join_option.addItem(join_option_name(option), int(option))
        if current is not None:
            self.join_option.setCurrentIndex(self.join_option.findData(current))
        self.members_label.setText(self.tr("Members"))
        self.no_members.setText(self.tr("A live chat room starts empty: people join it with "
                                        "its ID."))
        self.cancel_button.setText(self.tr("Cancel"))
        self.create_button.setText(self.tr("Create"))
        self._on_type()

    def _apply_theme(self) -> None:
        palette = current_palette()
        secondary = f"color: {palette.secondary_text.name()}"
        self.explanation.setStyleSheet(secondary)
        self.no_members.setStyleSheet(secondary)
        self.error.setStyleSheet(f"color: {palette.danger.name()}")
        self.setStyleSheet(choice_style(palette))
