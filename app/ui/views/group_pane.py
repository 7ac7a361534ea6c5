"""One group, managed: its profile, its members and the requests to join it.

The same pane stands on the Groups page (for the group selected in the list) and beside a group
chat (opened from the chat header's group button), so what a user learns in one place works in
the other. What it offers follows `GroupRights`: a Work group's member may rename the group, a
Public group's member only reads; Mute everyone and the join policy appear only where the type
has them; the Requests tab only for those who decide them. The service decides every change;
a refusal is shown in the notice line in the user's words (`error_text`), and the form keeps
what was typed.

The pane follows the group while it is shown: a profile change by someone else, a new role, a
transfer or a dismissal reach it through its `GroupBridge` and redraw it. Fields being edited
are not overwritten by someone else's change until the user saves or reverts — the classic lost
edit.
"""

from __future__ import annotations

import msgspec
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.protocol import IMError, Limits
from app.protocol.groups import GroupInfo, GroupMember, GroupRole
from app.protocol.ids import GROUP_PREFIX
from app.sdk import IMClient
from app.ui.faces import faces_of
from app.ui.group_bridge import GroupBridge
from app.ui.group_rights import GroupRights, join_options_for
from app.ui.group_texts import (
    error_text,
    join_option_name,
    member_count,
    queued_text,
    role_name,
    type_name,
)
from app.ui.i18n import Retranslatable
from app.ui.models.group_applications import GroupApplicationFilter, GroupApplicationsModel
from app.ui.models.group_members import display_name
from app.ui.models.groups import FaceMember
from app.ui.tasks import TaskGroup
from app.ui.theme import current_palette, theme_controller
from app.ui.views.group_applications import ApplicationsView
from app.ui.views.group_confirm import confirm
from app.ui.views.group_members_pane import GroupMembersPane
from app.ui.views.member_picker import InviteDialog
from app.ui.widgets.face_picker import FacePicker

AVATAR = 64
LIMITS = Limits()


class GroupPane(Retranslatable, QWidget):
    open_chat_requested = Signal(str)
    profile_requested = Signal(str)
    """A member's card (their user ID), from the members tab."""
    """A conversation to open: the group's ("group_<id>") or a member's ("c2c_<id>")."""
    closed = Signal()
    """The pane beside a chat asked to be hidden."""

    def __init__(self, client: IMClient, applications: GroupApplicationsModel,
                 parent: QWidget | None = None, *, closable: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("groupPane")
        self._client = client
        self._tasks = TaskGroup("group pane")
        self._group: GroupInfo | None = None
        self._gone = False
        self.confirmation: QMessageBox | None = None
        self.invite_dialog: InviteDialog | None = None
        self.bridge = GroupBridge(client, self)
        self.applications = applications
        self._requests = GroupApplicationFilter(applications, self)

        self.face = FacePicker(AVATAR, self)
        faces = faces_of(client)
        self.face.member_faces = faces.image
        faces.arrived.connect(lambda url: self.face.update() if self.face.shows(url) else None)
        self.title = QLabel(self)
        title_font = QFont(self.title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.35)
        title_font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(title_font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QLabel(self)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QPushButton("✕", self)
        self.close_button.setFlat(True)
        self.close_button.setFixedSize(28, 28)
        self.close_button.setVisible(closable)
        self._beside_chat = closable
        self.close_button.clicked.connect(self.closed)
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addStretch(1)
        heading.addWidget(self.title)
        heading.addWidget(self.details)
        heading.addStretch(1)
        head = QHBoxLayout()
        head.setSpacing(14)
        head.addWidget(self.face)
        head.addLayout(heading, 1)
        head.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)

        self.message_button = QPushButton(self)
        self.message_button.setDefault(True)
        self.invite_button = QPushButton(self)
        self.leave_button = QPushButton(self)
        self.leave_button.setObjectName("dangerButton")
        actions = QHBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(self.message_button)
        actions.addWidget(self.invite_button)
        actions.addStretch(1)
        actions.addWidget(self.leave_button)

        # --- the Info tab ---------------------------------------------------------------
        self.name = QLineEdit(self)
        self.introduction = QPlainTextEdit(self)
        self.introduction.setTabChangesFocus(True)
        self.introduction.setFixedHeight(70)
        self.notification = QPlainTextEdit(self)
        self.notification.setTabChangesFocus(True)
        self.notification.setFixedHeight(90)
        self.join_option = QComboBox(self)
        # Sized by a few characters, not by its longest option, so a narrow window wraps the
        # form instead of scrolling it sideways.
        self.join_option.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.join_option.setMinimumContentsLength(14)
        self.all_muted = QCheckBox(self)
        self.all_muted_hint = QLabel(self)
        self.all_muted_hint.setWordWrap(True)
        self.all_muted_hint.setContentsMargins(24, 0, 0, 0)
        mute_box = QWidget(self)
        mute_layout = QVBoxLayout(mute_box)
        mute_layout.setContentsMargins(0, 0, 0, 0)
        mute_layout.setSpacing(2)
        mute_layout.addWidget(self.all_muted)
        mute_layout.addWidget(self.all_muted_hint)
        self.group_id_label = QLabel(self)
        self.group_id_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton(self)
        self.revert_button = QPushButton(self)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setVerticalSpacing(10)
        self._labels = {key: QLabel(self) for key in
                        ("id", "name", "introduction", "notification", "join", "mute")}
        self.form.addRow(self._labels["id"], self.group_id_label)
        self.form.addRow(self._labels["name"], self.name)
        self.form.addRow(self._labels["introduction"], self.introduction)
        self.form.addRow(self._labels["notification"], self.notification)
        self.form.addRow(self._labels["join"], self.join_option)
        self.form.addRow(self._labels["mute"], mute_box)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        info = QWidget(self)
        info_layout = QVBoxLayout(info)
        info_layout.setContentsMargins(16, 14, 16, 14)
        info_layout.addLayout(self.form)
        info_layout.addLayout(buttons)
        info_layout.addStretch(1)
        info_scroll = QScrollArea(self)
        info_scroll.setWidgetResizable(True)
        info_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        info_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        info_scroll.setWidget(info)

        self.members = GroupMembersPane(client, self)
        self.requests = ApplicationsView(client, applications, "", self)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(info_scroll, "")
        self.tabs.addTab(self.members, "")
        self.tabs.addTab(self.requests, "")

        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.hide()
        self._notice_error = False
        self._length_notice = False
        """The notice says a field is too long (and goes once it is not)."""

        top = QVBoxLayout()
        top.setContentsMargins(20, 18, 20, 10)
        top.setSpacing(14)
        top.addLayout(head)
        top.addLayout(actions)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.notice)

        self.message_button.clicked.connect(self._open_chat)
        self.invite_button.clicked.connect(self.open_invite)
        self.leave_button.clicked.connect(self.ask_leave)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self._revert)
        self.face.face_chosen.connect(self._set_face)
        for edit in (self.name.textEdited, self.introduction.textChanged,
                     self.notification.textChanged):
            edit.connect(self._update_buttons)
        self.join_option.activated.connect(self._update_buttons)
        self.all_muted.clicked.connect(self._set_all_muted)
        self.members.notice.connect(self.show_notice)
        for change in (self.members.model.rowsInserted, self.members.model.rowsRemoved,
                       self.members.model.modelReset):
            change.connect(self._update_face)
        self.members.open_chat_requested.connect(self.open_chat_requested)
        self.members.profile_requested.connect(self.profile_requested)
        for change in (self._requests.rowsInserted, self._requests.rowsRemoved,
                       self._requests.modelReset):
            change.connect(self._update_tabs)
        self.applications.failed.connect(
            lambda e: self.show_notice(error_text(e), True) if self._group else None)
        self.bridge.members_changed.connect(self._on_members_changed)
        self.bridge.members_removed.connect(self._on_members_removed)
        self.bridge.groups_changed.connect(self._on_groups_changed)
        self.bridge.group_info_changed.connect(self._on_info_changed)
        self.bridge.groups_removed.connect(self._on_removed)
        self.bridge.group_dismissed.connect(lambda gid, _op: self._on_removed([gid]))
        theme_controller().changed.connect(self._apply_theme)
        self._apply_theme()
        self.retranslate()
        self.setEnabled(False)

    # --- what is shown -------------------------------------------------------------------

    @property
    def group(self) -> GroupInfo | None:
        return self._group

    @property
    def group_id(self) -> str:
        return self._group.group_id if self._group else ""

    @property
    def rights(self) -> GroupRights:
        group = self._group
        return GroupRights(group.group_type if group else "",
                           GroupRole.NONE if group is None or self._gone else group.role)

    def stop(self) -> None:
        """Signing out or quitting: nothing started here may land after the window."""
        self._tasks.cancel_all()
        self.members.stop()

    def show_group(self, group_id: str) -> None:
        """Show a group: from the SDK's list at once, then as the service has it now."""
        if group_id == self.group_id and not self._gone:
            return
        self._tasks.cancel_all()
        self._gone = False
        self.show_notice("")
        cached = self._client.group_manager.cached_group(group_id)
        self._group = cached or GroupInfo(group_id, "", group_id)
        self._requests.set_group(group_id)
        self.requests.set_group(group_id)
        self.members.show_group(group_id, self.rights)
        self.tabs.setCurrentIndex(0)
        self._fill(self._group)
        self.setEnabled(True)
        self._tasks.run(self._client.group_manager.get_groups_info([group_id]),
                        on_done=self._on_fetched,
                        on_error=lambda e: self.show_notice(error_text(e), True))

    def _on_fetched(self, groups: list[GroupInfo]) -> None:
        fresh = next((g for g in groups if g.group_id == self.group_id), None)
        if fresh is not None:
            self._take(fresh)

    def _take(self, group: GroupInfo) -> None:
        """A newer profile: fields the user is editing keep what they typed. A profile read
        without my role (an event's) keeps the role known; leaving comes as its own event."""
        before = self._group
        if before is not None and group.role == GroupRole.NONE and before.role:
            group = msgspec.structs.replace(group, role=before.role)
        editing = self._dirty()
        self._group = group
        if before is None or before.role != group.role or before.group_type != group.group_type:
            self.members.set_rights(self.rights)
        self._fill(group, keep_edits=editing)

    def _fill(self, group: GroupInfo, keep_edits: bool = False) -> None:
        rights = self.rights
        self._update_face()
        self.face.setEnabled(rights.can_edit_profile)
        self.title.setText(group.name or group.group_id)
        parts = [type_name(group.group_type)]
        if group.member_count:
            parts.append(member_count(group.member_count))
        if rights.role in (GroupRole.OWNER, GroupRole.ADMIN):
            parts.append(role_name(rights.role))
        self.details.setText(" · ".join(parts))
        self.group_id_label.setText(group.group_id)
        if not keep_edits:
            self.name.setText(group.name)
            self.introduction.setPlainText(group.introduction)
            self.notification.setPlainText(group.notification)
            self._fill_join_options(group)
        for i in range(self.join_option.count()):  # in the language now chosen
            self.join_option.setItemText(i, join_option_name(self.join_option.itemData(i)))
        self.all_muted.setChecked(group.all_muted)
        editable = rights.can_edit_profile
        for edit in (self.name, self.introduction, self.notification):
            edit.setReadOnly(not editable)
        options = join_options_for(group.group_type)
        self.join_option.setEnabled(rights.can_set_join_option and len(options) > 1)
        self._labels["mute"].setVisible(rights.can_mute_all)
        self.all_muted.setVisible(rights.can_mute_all)
        self.all_muted_hint.setVisible(rights.can_mute_all)
        self.save_button.setVisible(editable)
        self.revert_button.setVisible(editable)
        self.invite_button.setVisible(rights.can_invite)
        # beside its chat the chat is already open
        self.message_button.setVisible(rights.is_member and not self._beside_chat)
        self.leave_button.setVisible(rights.can_quit or rights.can_dismiss)
        self.leave_button.setText(self.tr("Dismiss group") if rights.can_dismiss
                                  else self.tr("Leave group"))
        self._update_tabs()
        self._update_buttons()

    def _update_face(self, *_args: object) -> None:
        """Without a picture the avatar is drawn from the first members, as in the list."""
        group = self._group
        if group is None:
            return
        first = [FaceMember(m.user_id, display_name(m), m.face_url)
                 for m in self.members.model.members()[:4]]
        self.face.set_group(group.group_id, group.name or group.group_id, group.face_url,
                            first)

    def _fill_join_options(self, group: GroupInfo) -> None:
        self.join_option.clear()
        for option in join_options_for(group.group_type):
            self.join_option.addItem(join_option_name(option), int(option))
        at = self.join_option.findData(int(group.join_option))
        self.join_option.setCurrentIndex(max(at, 0))

    def _update_tabs(self, *_args: object) -> None:
        count = self._requests.rowCount()
        self.tabs.setTabVisible(2, self.rights.can_decide_applications)
        self.tabs.setTabText(2, self.tr("Requests (%1)").replace("%1", str(count)) if count
                             else self.tr("Requests"))
        members = self._group.member_count if self._group else 0
        self.tabs.setTabText(1, self.tr("Members (%1)").replace("%1", str(members)) if members
                             else self.tr("Members"))

    # --- following the group ---------------------------------------------------------------

    def _on_groups_changed(self, groups: list[GroupInfo]) -> None:
        for group in groups:
            if group.group_id == self.group_id:
                self._gone = False
                self._take(group)

    def _on_members_changed(self, group_id: str, members: list[GroupMember]) -> None:
        if group_id == self.group_id:
            self.members.model.upsert(group_id, members)
            self._on_info_changed(group_id, {})  # the member count

    def _on_members_removed(self, group_id: str, user_ids: list[str]) -> None:
        if group_id == self.group_id:
            self.members.model.remove(group_id, user_ids)
            self._on_info_changed(group_id, {})

    def _on_info_changed(self, group_id: str, _changes: dict[str, str]) -> None:
        if group_id == self.group_id and not self._gone:
            self._tasks.run(self._client.group_manager.get_groups_info([group_id]),
                            on_done=self._on_fetched)

    def _on_removed(self, group_ids: list[str]) -> None:
        if self._group is None or self.group_id not in group_ids:
            return
        self._gone = True
        self._fill(self._group)
        self.show_notice(self.tr("You are no longer a member of this group."), False)

    # --- editing -------------------------------------------------------------------------

    def _edits(self) -> dict[str, object]:
        group = self._group
        if group is None:
            return {}
        edits: dict[str, object] = {}
        if self.name.text().strip() != group.name:
            edits["name"] = self.name.text().strip()
        if self.introduction.toPlainText().strip() != group.introduction:
            edits["introduction"] = self.introduction.toPlainText().strip()
        if self.notification.toPlainText().strip() != group.notification:
            edits["notification"] = self.notification.toPlainText().strip()
        option = self.join_option.currentData()
        if option is not None and self.join_option.isEnabled() and option != group.join_option:
            edits["join_option"] = int(option)
        return edits

    def _dirty(self) -> bool:
        return bool(self._edits())

    def _too_long(self) -> str:
        """The first field over the service's byte limit, as the user calls it."""
        checks = ((self.name.text().strip(), LIMITS.group_name_bytes, "name"),
                  (self.introduction.toPlainText().strip(), LIMITS.group_introduction_bytes,
                   "introduction"),
                  (self.notification.toPlainText().strip(), LIMITS.group_notification_bytes,
                   "notification"))
        for text, limit, key in checks:
            if len(text.encode()) > limit:
                return self._labels[key].text().rstrip(":")
        return ""

    def _update_buttons(self, *_args: object) -> None:
        dirty = self._dirty()
        too_long = self._too_long()
        self.save_button.setEnabled(dirty and not too_long and bool(self.name.text().strip()))
        self.revert_button.setEnabled(dirty)
        if too_long:
            self.show_notice(self.tr("%1 is too long.").replace("%1", too_long), True)
            self._length_notice = True
        elif self._length_notice:
            self.show_notice("")

    def save(self) -> None:
        edits = self._edits()
        if not edits or not self.save_button.isEnabled():
            return
        self.save_button.setEnabled(False)
        self._tasks.run(self._client.group_manager.set_group_info(self.group_id, **edits),
                        on_done=self._on_saved, on_error=self._on_refused)

    def _on_saved(self, group: GroupInfo | None) -> None:
        if group is None:
            self.show_notice(queued_text(), False)
            self._update_buttons()
            return
        self._take(group)
        self._fill(self._group or group)
        self.show_notice(self.tr("Saved."), False)

    def _take_answer(self, group: GroupInfo | None) -> None:
        if group is None:
            self.show_notice(queued_text(), False)
        else:
            self._take(group)

    def _on_refused(self, error: IMError) -> None:
        self.show_notice(error_text(error), True)
        self._update_buttons()

    def _revert(self) -> None:
        if self._group is not None:
            self._fill(self._group)

    def _set_face(self, face_url: str) -> None:
        self._tasks.run(self._client.group_manager.set_group_info(self.group_id,
                                                                  face_url=face_url),
                        on_done=self._take_answer, on_error=self._on_refused)

    def _set_all_muted(self, checked: bool) -> None:
        def refused(error: IMError) -> None:
            self.all_muted.setChecked(not checked)
            self._on_refused(error)
        self._tasks.run(self._client.group_manager.set_group_info(self.group_id,
                                                                  all_muted=checked),
                        on_done=self._take_answer, on_error=refused)

    # --- actions -------------------------------------------------------------------------

    def _open_chat(self) -> None:
        if self.group_id:
            self.open_chat_requested.emit(GROUP_PREFIX + self.group_id)

    def open_invite(self) -> None:
        members = [m.user_id for m in self.members.model.members()]
        dialog = InviteDialog(self._client, self.group_id, members, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.invited.connect(self._on_invited)
        dialog.open()
        self.invite_dialog = dialog

    def _on_invited(self, user_ids: list[str]) -> None:
        if user_ids:
            self.members.model.reload()
            self.show_notice(self.tr("Added %n people.", "", len(user_ids)), False)

    def ask_leave(self) -> None:
        group = self._group
        if group is None:
            return
        name = group.name or group.group_id
        if self.rights.can_dismiss:
            self.confirmation = confirm(
                self, self.tr("Dismiss group"),
                self.tr("Dismiss “%1”?").replace("%1", name),
                self.tr("The group is removed for all its members. This cannot be undone."),
                self.tr("Dismiss"), self._dismiss, self.tr("Cancel"))
        else:
            self.confirmation = confirm(
                self, self.tr("Leave group"),
                self.tr("Leave “%1”?").replace("%1", name),
                self.tr("You will stop receiving its messages. To come back you need to "
                        "join or be invited again."),
                self.tr("Leave"), self._quit, self.tr("Cancel"))

    def _dismiss(self) -> None:
        self._tasks.run(self._client.group_manager.dismiss_group(self.group_id),
                        on_done=lambda _r: self._on_removed([self.group_id]),
                        on_error=self._on_refused)

    def _quit(self) -> None:
        self._tasks.run(self._client.group_manager.quit_group(self.group_id),
                        on_done=lambda _r: self._on_removed([self.group_id]),
                        on_error=self._on_refused)

    # --- notice, look and language ---------------------------------------------------------

    def show_notice(self, text: str, error: bool = False) -> None:
        self._notice_error = error and bool(text)
        self._length_notice = False
        self.notice.setText(text)
        self.notice.setVisible(bool(text))
        self._apply_notice_color()

    def _apply_notice_color(self) -> None:
        palette = current_palette()
        color = palette.danger if self._notice_error else palette.secondary_text
        self.notice.setStyleSheet(f"color: {color.name()}; padding: 8px 20px;")

    def retranslate(self) -> None:
        self.message_button.setText(self.tr("Send message"))
        self.invite_button.setText(self.tr("Add members"))
        self.save_button.setText(self.tr("Save"))
        self.revert_button.setText(self.tr("Revert"))
        self.close_button.setToolTip(self.tr("Close"))
        self.face.setToolTip(self.tr("Choose a picture"))
        labels = {"id": self.tr("Group ID"), "name": self.tr("Name"),
                  "introduction": self.tr("Introduction"),
                  "notification": self.tr("Announcement"), "join": self.tr("Who can join"),
                  "mute": self.tr("Everyone")}
        for key, text in labels.items():
            self._labels[key].setText(text)
        self.all_muted.setText(self.tr("Mute all members"))
        self.all_muted_hint.setText(self.tr("Only the owner and admins can send while it is on."))
        self.tabs.setTabText(0, self.tr("Info"))
        if self._group is not None:
            self._fill(self._group, keep_edits=True)
        else:
            self._update_tabs()

    def _apply_theme(self) -> None:
        palette = current_palette()
        self.details.setStyleSheet(f"color: {palette.secondary_text.name()}")
        self.all_muted_hint.setStyleSheet(f"color: {palette.secondary_text.name()}")
        self.setStyleSheet(
            f"QWidget#groupPane {{ background: {palette.window.name()}; }}"
            f"QPushButton#dangerButton {{ color: {palette.danger.name()}; }}")
        self._apply_notice_color()
