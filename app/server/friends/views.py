"""Rows → the wire's structs: friend records with their groups and profiles, applications as
each side sees them."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from app.protocol.friends import ApplicationType, Friend, FriendApplication
from app.server.store import friend_groups as groups_store
from app.server.store import profiles as profile_store


async def friends(conn: AsyncConnection, owner: str, rows: Sequence[sa.Row]) -> list[Friend]:
    """``owner``'s records, in the order given, each with its groups and the friend's profile."""
    ids = [r.friend_id for r in rows]
    groups = await groups_store.groups_of(conn, owner, ids)
    profiles = await profile_store.profiles(conn, ids)
    return [Friend(r.friend_id, r.remark, groups.get(r.friend_id, []),
                   profile_store.decode_custom(r.custom), r.add_source, r.add_wording,
                   r.add_time, profiles.get(r.friend_id)) for r in rows]


async def applications(conn: AsyncConnection, viewer: str,
                       rows: Sequence[sa.Row]) -> list[FriendApplication]:
    """Each request as ``viewer`` sees it: from the other side's user ID, with their name."""
    others = [r.applicant if r.target == viewer else r.target for r in rows]
    profiles = await profile_store.profiles(conn, others)
    out = []
    for row, other in zip(rows, others, strict=True):
        profile = profiles.get(other)
        incoming = row.target == viewer
        out.append(FriendApplication(
            other, ApplicationType.COME_IN if incoming else ApplicationType.SEND_OUT,
            row.add_type, row.add_source, row.add_wording, row.time,
            read=row.read if incoming else False,
            nick=profile.nick if profile else "", face_url=profile.face_url if profile else ""))
    return out
