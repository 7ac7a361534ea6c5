"""Rows → the protocol's group structs: a group's profile as a user sees it, a member with the
profile snapshot the member list shows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from app.protocol import Profile
from app.protocol.groups import GroupInfo, GroupMember, GroupRole, GroupType
from app.server.store import accounts as accounts_store
from app.server.store import groups as store


def info(row: sa.Row, member_count: int, role: int = GroupRole.NONE) -> GroupInfo:
    return GroupInfo(
        group_id=row.group_id, group_type=row.group_type, name=row.name,
        introduction=row.introduction, notification=row.notification, face_url=row.face_url,
        owner=row.owner, create_time=row.created_at // 1000, info_time=row.info_time // 1000,
        member_count=member_count,
        max_member_count=0 if row.group_type == GroupType.AVCHATROOM else row.max_members,
        join_option=row.join_option, all_muted=bool(row.all_muted),
        custom=store.custom_fields(row.custom), role=role)


def member(row: sa.Row, profile: Profile | None) -> GroupMember:
    return GroupMember(
        user_id=row.user_id, role=row.role, nick=profile.nick if profile else "",
        face_url=profile.face_url if profile else "", name_card=row.name_card,
        join_time=row.join_time // 1000, mute_until=row.mute_until,
        custom=store.custom_fields(row.custom))


async def members(conn: AsyncConnection, rows: Iterable[sa.Row]) -> list[GroupMember]:
    rows = list(rows)
    profiles: Mapping[str, Profile] = await accounts_store.profiles(
        conn, {r.user_id for r in rows})
    return [member(r, profiles.get(r.user_id)) for r in rows]


async def infos(conn: AsyncConnection, rows: Iterable[sa.Row],
                roles: Mapping[str, int]) -> list[GroupInfo]:
    rows = list(rows)
    counts = await store.count(conn, [r.group_id for r in rows])
    return [info(r, counts[r.group_id], roles.get(r.group_id, GroupRole.NONE)) for r in rows]
