"""What the signed-in user may do in a group, from its type and their role (spec §1.2, §1.4).

The service decides every request itself (`app.server.groups.rules`); this copy only decides
what the UI offers, so a member is not shown a Kick they would be refused. Where the two ever
disagree the service wins and its refusal is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.protocol.groups import GroupRole, GroupType, JoinOption

OWNER, ADMIN, MEMBER = GroupRole.OWNER, GroupRole.ADMIN, GroupRole.MEMBER
WORK, PUBLIC, MEETING, AVCHATROOM = (GroupType.WORK, GroupType.PUBLIC, GroupType.MEETING,
                                     GroupType.AVCHATROOM)

_EDITORS = {WORK: {OWNER, MEMBER}, PUBLIC: {OWNER, ADMIN}, MEETING: {OWNER, ADMIN},
            AVCHATROOM: {OWNER}}
_KICKERS = {WORK: {OWNER}, PUBLIC: {OWNER, ADMIN}, MEETING: {OWNER, ADMIN}}
_MUTERS = {PUBLIC: {OWNER, ADMIN}, MEETING: {OWNER, ADMIN}, AVCHATROOM: {OWNER}}


def may_act_on(actor: int, target: int) -> bool:
    """An admin acts on ordinary members only; the owner on admins and members."""
    return (actor == OWNER and target != OWNER) or (actor == ADMIN and target == MEMBER)


@dataclass(frozen=True, slots=True)
class GroupRights:
    group_type: str
    role: int

    @property
    def is_member(self) -> bool:
        return self.role in (OWNER, ADMIN, MEMBER)

    @property
    def has_admins(self) -> bool:
        return self.group_type in (PUBLIC, MEETING)

    @property
    def can_edit_profile(self) -> bool:
        return self.role in _EDITORS.get(self.group_type, set())

    @property
    def can_mute_all(self) -> bool:
        return self.can_edit_profile and self.role in (OWNER, ADMIN)

    @property
    def can_set_join_option(self) -> bool:
        """Only a Public group's join option is not fixed by its type."""
        return self.group_type == PUBLIC and self.can_edit_profile

    @property
    def can_invite(self) -> bool:
        """Work groups grow by invitation from any member; the other types by joining."""
        return self.group_type == WORK and self.is_member

    @property
    def can_quit(self) -> bool:
        return self.is_member and (self.role != OWNER or self.group_type == WORK)

    @property
    def can_dismiss(self) -> bool:
        """A Work group is dismissed by the business server only."""
        return self.role == OWNER and self.group_type != WORK

    @property
    def can_decide_applications(self) -> bool:
        return self.role in (OWNER, ADMIN)

    def can_kick(self, target: int) -> bool:
        return (self.role in _KICKERS.get(self.group_type, set())
                and may_act_on(self.role, target))

    def can_mute(self, target: int) -> bool:
        return (self.role in _MUTERS.get(self.group_type, set())
                and may_act_on(self.role, target))

    def can_set_admin(self, target: int) -> bool:
        return self.has_admins and self.role == OWNER and target in (ADMIN, MEMBER)

    def can_transfer_to(self, target: int) -> bool:
        return (self.group_type != AVCHATROOM and self.role == OWNER
                and target in (ADMIN, MEMBER))

    def can_set_name_card(self, mine: bool, target: int) -> bool:
        return mine or may_act_on(self.role, target)


def join_options_for(group_type: str) -> list[JoinOption]:
    """The join options a group of this type may have; a single one is fixed."""
    if group_type == PUBLIC:
        return [JoinOption.AUTH, JoinOption.ANY, JoinOption.FORBID]
    if group_type == WORK:
        return [JoinOption.FORBID]
    return [JoinOption.ANY]
