"""Queries on friend groups: a user's named folders of friends; one friend may be in several
(§4.5). Membership rows go with the friend record they are about (``leave_all``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from .db import insert_ignore
from .schema import friend_group_members, friend_group_names

gn = friend_group_names
gm = friend_group_members


async def names(conn: AsyncConnection, user_id: str) -> list[str]:
    """The user's groups, oldest first."""
    rows = await conn.execute(sa.select(gn.c.name).where(gn.c.user_id == user_id)
                              .order_by(gn.c.created_at, gn.c.name))
    return list(rows.scalars())


async def create(conn: AsyncConnection, user_id: str, name: str, now_ms: int) -> bool:
    """False when the user has a group of that name already."""
    result = await conn.execute(insert_ignore(conn, gn).values(
        user_id=user_id, name=name, created_at=now_ms))
    return result.rowcount == 1


async def delete(conn: AsyncConnection, user_id: str, group_names: Collection[str]) -> None:
    await conn.execute(gm.delete().where(gm.c.user_id == user_id,
                                         gm.c.name.in_(list(group_names))))
    await conn.execute(gn.delete().where(gn.c.user_id == user_id,
                                         gn.c.name.in_(list(group_names))))


async def rename(conn: AsyncConnection, user_id: str, old: str, new: str) -> None:
    await conn.execute(gn.update().where(gn.c.user_id == user_id, gn.c.name == old)
                       .values(name=new))
    await conn.execute(gm.update().where(gm.c.user_id == user_id, gm.c.name == old)
                       .values(name=new))


async def members(conn: AsyncConnection, user_id: str,
                  group_names: Collection[str]) -> dict[str, list[str]]:
    """Group name → its friends in ID order, for each of ``group_names``."""
    out: dict[str, list[str]] = {name: [] for name in group_names}
    if not group_names:
        return out
    rows = await conn.execute(sa.select(gm.c.name, gm.c.friend_id).where(
        gm.c.user_id == user_id, gm.c.name.in_(list(group_names))).order_by(gm.c.friend_id))
    for row in rows:
        out[row.name].append(row.friend_id)
    return out


async def groups_of(conn: AsyncConnection, user_id: str,
                    friend_ids: Collection[str]) -> dict[str, list[str]]:
    """Friend → the names of the user's groups holding them (in name order)."""
    out: dict[str, list[str]] = defaultdict(list)
    if not friend_ids:
        return out
    rows = await conn.execute(sa.select(gm.c.name, gm.c.friend_id).where(
        gm.c.user_id == user_id, gm.c.friend_id.in_(list(friend_ids))).order_by(gm.c.name))
    for row in rows:
        out[row.friend_id].append(row.name)
    return out


async def join(conn: AsyncConnection, user_id: str, name: str,
               friend_ids: Collection[str]) -> None:
    if friend_ids:
        await conn.execute(insert_ignore(conn, gm), [
            {"user_id": user_id, "name": name, "friend_id": f} for f in friend_ids])


async def leave(conn: AsyncConnection, user_id: str, name: str,
                friend_ids: Collection[str]) -> None:
    if friend_ids:
        await conn.execute(gm.delete().where(gm.c.user_id == user_id, gm.c.name == name,
                                             gm.c.friend_id.in_(list(friend_ids))))


async def leave_all(conn: AsyncConnection, user_id: str, friend_ids: Collection[str]) -> None:
    """The friends left the user's list: out of every group of theirs too."""
    if friend_ids:
        await conn.execute(gm.delete().where(gm.c.user_id == user_id,
                                             gm.c.friend_id.in_(list(friend_ids))))
