"""Who may send into a group now: a member, not muted, not silenced by mute-all unless owner or
admin. Read in the sender's request, from the database — never from a node's memory, so a mute
set on one node holds on every other at once."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from app.protocol import ErrorCode, IMError
from app.protocol.groups import GroupRole
from app.server.store import groups as store

from .rules import TypeRules, rules_for


async def admit_sender(conn: AsyncConnection, sender: str, group_id: str,
                       now_s: int) -> TypeRules:
    group = await store.get(conn, group_id)
    if group is None or group.dismissed:
        raise IMError(ErrorCode.GROUP_NOT_FOUND, f"no group {group_id!r}")
    member = await store.member(conn, group_id, sender)
    if member is None:
        raise IMError(ErrorCode.NOT_GROUP_MEMBER, f"{sender} is not a member of {group_id}")
    if member.mute_until > now_s:
        raise IMError(ErrorCode.MUTED, f"muted until {member.mute_until}")
    if group.all_muted and member.role == GroupRole.MEMBER:
        raise IMError(ErrorCode.MUTED, "the group is muted for members")
    return rules_for(group.group_type)


async def is_member(conn: AsyncConnection, user_id: str, group_id: str) -> bool:
    """Reading a group's log is for its members (a former member's row is closed)."""
    return await store.member(conn, group_id, user_id) is not None
