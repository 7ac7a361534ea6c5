"""The group type matrix (``spec`` §1.2, with FEATURES G1's decisions) as data, and the role
checks of §1.4. The service enforces these for every client request; the admin API (the "App
admin") passes ``admin=True`` and bypasses them where Tencent's does.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.protocol import ErrorCode, IMError
from app.protocol.groups import GroupRole, GroupType, JoinOption

OWNER, ADMIN, MEMBER = GroupRole.OWNER, GroupRole.ADMIN, GroupRole.MEMBER


@dataclass(frozen=True, slots=True)
class TypeRules:
    has_admins: bool
    """Admins exist (Public, Meeting); Work and AVChatRoom know owner and members only."""
    join_options: frozenset[JoinOption]
    """What the join option may be; the first is the default."""
    default_join: JoinOption
    members_invite: bool
    """Any member may add others directly (Work)."""
    owner_may_quit: bool
    owner_may_dismiss: bool
    """From a client; the admin API may always dismiss."""
    editors: frozenset[GroupRole]
    """Who edits the profile."""
    kickers: frozenset[GroupRole]
    muters: frozenset[GroupRole]
    counts_unread: bool
    sees_history_before_join: bool
    stores_messages: bool
    tips_in_stream: bool
    """Member changes and profile edits are written into the stream as tips."""
    listed_in_joined: bool
    searchable: bool
    transferable: bool
    initial_members: bool
    one_at_a_time: bool
    """A user is in at most one group of this type (joining another leaves the first)."""
    creator_joins: bool


RULES: dict[GroupType, TypeRules] = {
    GroupType.WORK: TypeRules(
        has_admins=False, join_options=frozenset({JoinOption.FORBID}),
        default_join=JoinOption.FORBID, members_invite=True, owner_may_quit=True,
        owner_may_dismiss=False, editors=frozenset({OWNER, MEMBER}),
        kickers=frozenset({OWNER}), muters=frozenset(), counts_unread=True,
        sees_history_before_join=False, stores_messages=True, tips_in_stream=True,
        listed_in_joined=True, searchable=False, transferable=True, initial_members=True,
        one_at_a_time=False, creator_joins=True),
    GroupType.PUBLIC: TypeRules(
        has_admins=True, join_options=frozenset(JoinOption), default_join=JoinOption.AUTH,
        members_invite=False, owner_may_quit=False, owner_may_dismiss=True,
        editors=frozenset({OWNER, ADMIN}), kickers=frozenset({OWNER, ADMIN}),
        muters=frozenset({OWNER, ADMIN}), counts_unread=True, sees_history_before_join=False,
        stores_messages=True, tips_in_stream=True, listed_in_joined=True, searchable=True,
        transferable=True, initial_members=True, one_at_a_time=False, creator_joins=True),
    GroupType.MEETING: TypeRules(
        has_admins=True, join_options=frozenset({JoinOption.ANY}), default_join=JoinOption.ANY,
        members_invite=False, owner_may_quit=False, owner_may_dismiss=True,
        editors=frozenset({OWNER, ADMIN}), kickers=frozenset({OWNER, ADMIN}),
        muters=frozenset({OWNER, ADMIN}), counts_unread=False, sees_history_before_join=True,
        stores_messages=True, tips_in_stream=False, listed_in_joined=True, searchable=True,
        transferable=True, initial_members=True, one_at_a_time=False, creator_joins=True),
    GroupType.AVCHATROOM: TypeRules(
        has_admins=False, join_options=frozenset({JoinOption.ANY}),
        default_join=JoinOption.ANY, members_invite=False, owner_may_quit=False,
        owner_may_dismiss=True, editors=frozenset({OWNER}), kickers=frozenset(),
        muters=frozenset({OWNER}), counts_unread=False, sees_history_before_join=False,
        stores_messages=False, tips_in_stream=False, listed_in_joined=False, searchable=True,
        transferable=False, initial_members=False, one_at_a_time=True, creator_joins=False),
}


def rules_for(group_type: str) -> TypeRules:
    try:
        return RULES[GroupType(group_type)]
    except ValueError:
        raise IMError(ErrorCode.GROUP_INVALID_PARAMETER,
                      f"group_type must be one of {', '.join(GroupType)}") from None


def denied(what: str) -> IMError:
    return IMError(ErrorCode.GROUP_PERMISSION_DENIED, what)


def may_act_on(actor: int, target: int) -> bool:
    """§1.4: an admin acts on ordinary members only; the owner on admins and members."""
    return (actor == OWNER and target != OWNER) or (actor == ADMIN and target == MEMBER)


def may_set_name_card(actor_id: str, actor: int, target_id: str, target: int) -> bool:
    """§1.4: everyone their own; an admin ordinary members'; the owner anyone's."""
    return actor_id == target_id or may_act_on(actor, target)
