"""Friend groups from the Contacts page: a friend moved into or out of groups, a group made,
renamed or deleted.

Both the list's context menu and the card's "Change" button offer one menu for a friend —

    ✓ Work
      Family
    ─────────
    New group with Bob…

— and a group's heading offers Rename… and Delete. The names come from the SDK's friend groups
(kept here, read again whenever the listener says they changed), so a group nobody is in any
more is still offered. Every change goes through the SDK's operation queue: the list follows
from the friendship listener, as it does for a change made on another device. Dialogs open
with ``open()``, never ``exec()``: a nested event loop inside the qasync loop would step tasks
inside other tasks.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.protocol import IMError
from app.protocol.friends import FriendGroup
from app.sdk import IMClient
from app.ui.friend_texts import error_text, queued_text
from app.ui.tasks import TaskGroup
from app.ui.theme import current_palette
from app.ui.views.add_friend import fits

NAME_BYTES = 30
"""The service's limit on a friend group's name (``Limits.friend_group_name_bytes``)."""


class GroupNameDialog(QDialog):
    """Asks for a friend group's name; OK only for a new, non-empty name that fits."""

    chosen = Signal(str)

    def __init__(self, title: str, prompt: str, taken: set[str], current: str,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._taken = taken
        self.prompt = QLabel(prompt, self)
        self.name = QLineEdit(current, self)
        self.name.selectAll()
        self.hint = QLabel(self)
        self.hint.setStyleSheet(f"color: {current_palette().danger.name()}")
        self.hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(10)
        layout.addWidget(self.prompt)
        layout.addWidget(self.name)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(360)
        self.name.textChanged.connect(self._check)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self._check(current)

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _problem(self, text: str) -> str:
        name = text.strip()
        if not fits(name, NAME_BYTES):
            return self.tr("A group name is at most 30 bytes (a Chinese character takes 3).")
        if name in self._taken:
            return self.tr("You already have a group called “%1”.").replace("%1", name)
        return ""

    def _check(self, text: str) -> None:
        problem = self._problem(text)
        self.hint.setText(problem)
        self.hint.setVisible(bool(problem))
        self.ok_button.setEnabled(bool(text.strip()) and not problem)

    def _accept(self) -> None:
        if self.ok_button.isEnabled():
            self.chosen.emit(self.name.text().strip())
            self.accept()


class FriendGroupActions(QObject):
    """The friend-group menus and dialogs the Contacts page and the card share."""

    told = Signal(str, bool)
    """A sentence for the user (queued while offline, or why a change failed; True: error)."""
    names_changed = Signal(list)
    """My friend groups' names, oldest first (the list keeps a heading for each)."""

    def __init__(self, client: IMClient, parent: QWidget) -> None:
        super().__init__(parent)
        self._client = client
        self._parent = parent
        self._tasks = TaskGroup("friend groups")
        self._names: list[str] = []
        self.dialog: QDialog | None = None
        """The open name or delete question (tests answer it)."""

    # --- what there is -------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the groups again (the listener said they changed, or the page started)."""
        self._tasks.run(self._client.friendship_manager.get_friend_groups(),
                        on_done=self._take)

    def _take(self, groups: list[FriendGroup]) -> None:
        self.names = [g.name for g in groups]

    @property
    def names(self) -> list[str]:
        """My friend groups, oldest first."""
        return list(self._names)

    @names.setter
    def names(self, names: list[str]) -> None:
        if names != self._names:
            self._names = list(names)
            self.names_changed.emit(self.names)

    def stop(self) -> None:
        self._tasks.cancel_all()

    # --- menus ---------------------------------------------------------------------------

    def fill_friend_menu(self, menu: QMenu, user_id: str, name: str) -> None:
        """Each group, ticked where `user_id` is in it (a click moves them in or out), and a
        new group with them in it."""
        friend = self._client.friendship_manager.cached_friend(user_id)
        if friend is None:
            return
        member_of = set(friend.group_names)
        for group in self.names:
            action = menu.addAction(group)
            action.setCheckable(True)
            action.setChecked(group in member_of)
            action.toggled.connect(
                lambda on, g=group: self.set_member(g, user_id, on))
        if self.names:
            menu.addSeparator()
        menu.addAction(self.tr("New group with %1…").replace("%1", name),
                       lambda: self.ask_new_group(user_id, name))

    def fill_group_menu(self, menu: QMenu, group: str) -> None:
        """A heading's menu: Rename and Delete for a friend group ("" is the default
        heading, which is no group), and a new, empty group for any."""
        if group:
            menu.addAction(self.tr("Rename group…"), lambda: self.ask_rename(group))
            menu.addAction(self.tr("Delete group"), lambda: self.ask_delete(group))
            menu.addSeparator()
        menu.addAction(self.tr("New group…"), lambda: self.ask_new_group())

    # --- changes -------------------------------------------------------------------------

    def set_member(self, group: str, user_id: str, member: bool) -> None:
        manager = self._client.friendship_manager
        if member:
            self._run(manager.add_friends_to_friend_group(group, [user_id]))
        else:
            self._run(manager.delete_friends_from_friend_group(group, [user_id]))

    def ask_new_group(self, user_id: str = "", name: str = "") -> None:
        """A new group, with `user_id` in it when one is given."""
        prompt = (self.tr("A name for the group; %1 goes in it.").replace("%1", name)
                  if user_id else self.tr("A name for the group:"))
        dialog = GroupNameDialog(self.tr("New friend group"), prompt, set(self.names), "",
                                 self._parent)
        members = [user_id] if user_id else []
        dialog.chosen.connect(lambda group: self._run(
            self._client.friendship_manager.create_friend_group(group, members)))
        self._open(dialog)

    def ask_rename(self, group: str) -> None:
        dialog = GroupNameDialog(self.tr("Rename group"), self.tr("A new name for “%1”:")
                                 .replace("%1", group), set(self.names) - {group}, group,
                                 self._parent)
        dialog.chosen.connect(lambda new: None if new == group else self._run(
            self._client.friendship_manager.rename_friend_group(group, new)))
        self._open(dialog)

    def ask_delete(self, group: str) -> None:
        box = QMessageBox(self._parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Delete group"))
        box.setText(self.tr("Delete the group “%1”?").replace("%1", group))
        box.setInformativeText(self.tr("The friends in it stay your friends."))
        confirm = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _r: self._run(
            self._client.friendship_manager.delete_friend_group([group]))
            if box.clickedButton() is confirm else None)
        self._open(box)

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.open()

    def _run(self, call: Coroutine[Any, Any, object]) -> None:
        """Send a change. The SDK shows it at once (its listener says the groups changed,
        and `refresh` reads them), and takes the service's word again on a refusal."""

        def done(result: object) -> None:
            if result is None and not self._client.ready:
                self.told.emit(queued_text(), False)

        def failed(error: IMError) -> None:
            self.told.emit(error_text(error), True)
            self.refresh()

        self._tasks.run(call, on_done=done, on_error=failed)
