"""The SDK's group listener re-emitted as Qt signals.

Like `SdkBridge`: the SDK runs on the qasync loop (the GUI thread), so callbacks emit directly;
the bridge only turns listener methods into signals, so the group models and views connect to
the few events they redraw on and never subclass an SDK listener themselves. Several bridges
may listen to one client (the Groups page and a group pane beside a chat each have theirs).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.protocol.groups import GroupApplication, GroupInfo, GroupMember
from app.sdk import IMClient
from app.sdk.listeners import GroupListener


class GroupBridge(QObject, GroupListener):
    groups_changed = Signal(list)
    """GroupInfo of groups I am in that were added to my list or changed."""
    groups_removed = Signal(list)
    """IDs of groups I am no longer in."""
    members_changed = Signal(str, list)
    """group_id, GroupMember of members who entered, were invited or changed (role, mute,
    name card): upsert them."""
    members_removed = Signal(str, list)
    """group_id, user IDs of members who left or were kicked."""
    group_info_changed = Signal(str, dict)
    """group_id, the profile fields changed (name → value, "owner" on a transfer)."""
    group_dismissed = Signal(str, str)
    """group_id, who dismissed it."""
    applications_changed = Signal(str)
    """group_id whose join applications I decide gained or lost one (received, decided)."""
    application_processed = Signal(str, str, bool, str)
    """group_id, op_user, accepted, reason: my application (or one I could decide) was
    decided."""

    def __init__(self, client: IMClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self._attached = True
        client.group_manager.add_group_listener(self)
        # A C++-deleted bridge must not stay among the SDK's listeners: its signals would raise.
        self.destroyed.connect(lambda *_: self.detach())

    def detach(self) -> None:
        if self._attached:
            self._attached = False
            self.client.group_manager.remove_group_listener(self)

    # GroupListener -----------------------------------------------------------------------

    def on_groups_changed(self, groups: list[GroupInfo]) -> None:
        self.groups_changed.emit(groups)

    def on_groups_removed(self, group_ids: list[str]) -> None:
        self.groups_removed.emit(group_ids)

    def on_member_enter(self, group_id: str, members: list[GroupMember]) -> None:
        self.members_changed.emit(group_id, members)

    def on_member_invited(self, group_id: str, op_user: str,
                          members: list[GroupMember]) -> None:
        self.members_changed.emit(group_id, members)

    def on_member_info_changed(self, group_id: str, members: list[GroupMember]) -> None:
        self.members_changed.emit(group_id, members)

    def on_grant_administrator(self, group_id: str, op_user: str,
                               members: list[GroupMember]) -> None:
        self.members_changed.emit(group_id, members)

    def on_revoke_administrator(self, group_id: str, op_user: str,
                                members: list[GroupMember]) -> None:
        self.members_changed.emit(group_id, members)

    def on_member_leave(self, group_id: str, member: GroupMember) -> None:
        self.members_removed.emit(group_id, [member.user_id])

    def on_member_kicked(self, group_id: str, op_user: str,
                         members: list[GroupMember]) -> None:
        self.members_removed.emit(group_id, [m.user_id for m in members])

    def on_group_info_changed(self, group_id: str, changes: dict[str, str]) -> None:
        self.group_info_changed.emit(group_id, changes)

    def on_group_dismissed(self, group_id: str, op_user: str) -> None:
        self.group_dismissed.emit(group_id, op_user)

    def on_receive_join_application(self, group_id: str,
                                    application: GroupApplication) -> None:
        self.applications_changed.emit(group_id)

    def on_application_processed(self, group_id: str, op_user: str, is_agree: bool,
                                 reason: str) -> None:
        self.application_processed.emit(group_id, op_user, is_agree, reason)
        self.applications_changed.emit(group_id)
