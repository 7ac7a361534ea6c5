"""Queries on friend records: one row per direction, (user_id, friend_id) meaning friend_id is
in user_id's list.

Every relationship change first locks the ``accounts`` rows of the users it concerns, in
user-ID order (``lock_users``): two changes to one pair, or to overlapping sets, queue behind
each other on any number of nodes and can never wait on each other in a cycle. Counts (a full
list) are counted from the rows, never kept beside them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from app.protocol.friends import Relation

from .db import insert_ignore
from .schema import accounts, friends

fr = friends


async def lock_users(conn: AsyncConnection, user_ids: Iterable[str]) -> set[str]:
    """Lock the accounts rows of ``user_ids`` in ID order (``FOR UPDATE`` on PostgreSQL;
    SQLite's write transaction holds the database); the ones that exist."""
    wanted = sorted(set(user_ids))
    if not wanted:
        return set()
    rows = await conn.execute(
        sa.select(accounts.c.user_id).where(accounts.c.user_id.in_(wanted))
        .order_by(accounts.c.user_id).with_for_update())
    return set(rows.scalars())


async def records(conn: AsyncConnection, user_id: str,
                  friend_ids: Collection[str] | None = None) -> dict[str, sa.Row]:
    """``user_id``'s records of ``friend_ids`` (all of them when None)."""
    query = sa.select(fr).where(fr.c.user_id == user_id)
    if friend_ids is not None:
        if not friend_ids:
            return {}
        query = query.where(fr.c.friend_id.in_(list(friend_ids)))
    return {r.friend_id: r for r in await conn.execute(query)}


async def holders(conn: AsyncConnection, friend_id: str,
                  user_ids: Collection[str] | None = None) -> set[str]:
    """Who of ``user_ids`` (everyone when None) has ``friend_id`` in their list."""
    query = sa.select(fr.c.user_id).where(fr.c.friend_id == friend_id)
    if user_ids is not None:
        if not user_ids:
            return set()
        query = query.where(fr.c.user_id.in_(list(user_ids)))
    return set((await conn.execute(query)).scalars())


async def relations(conn: AsyncConnection, user_id: str,
                    others: Collection[str]) -> dict[str, Relation]:
    mine = set(await records(conn, user_id, others))
    theirs = await holders(conn, user_id, others)
    out = {}
    for other in others:
        bits = (Relation.IN_MY_LIST if other in mine else 0) | (
            Relation.IN_OTHER_LIST if other in theirs else 0)
        out[other] = Relation(bits)
    return out


async def has(conn: AsyncConnection, user_id: str, friend_id: str) -> bool:
    result = await conn.execute(sa.select(fr.c.user_id).where(
        fr.c.user_id == user_id, fr.c.friend_id == friend_id))
    return result.first() is not None


async def count(conn: AsyncConnection, user_id: str) -> int:
    result = await conn.execute(
        sa.select(sa.func.count()).select_from(fr).where(fr.c.user_id == user_id))
    return result.scalar_one()


async def insert(conn: AsyncConnection, values: dict[str, Any]) -> bool:
    """Add the record unless it exists; True when it was added."""
    result = await conn.execute(insert_ignore(conn, fr).values(**values))
    return result.rowcount == 1


async def update(conn: AsyncConnection, user_id: str, friend_id: str, **values: Any) -> None:
    await conn.execute(fr.update().where(fr.c.user_id == user_id, fr.c.friend_id == friend_id)
                       .values(**values))


async def delete(conn: AsyncConnection, user_id: str, friend_ids: Collection[str]) -> set[str]:
    """Remove ``friend_ids`` from ``user_id``'s list; the ones that were in it."""
    present = set(await records(conn, user_id, friend_ids))
    if present:
        await conn.execute(fr.delete().where(fr.c.user_id == user_id,
                                             fr.c.friend_id.in_(list(present))))
    return present


async def page(conn: AsyncConnection, user_id: str, after: str, limit: int) -> list[sa.Row]:
    """``user_id``'s records with ``friend_id > after``, in ID order."""
    rows = await conn.execute(
        sa.select(fr).where(fr.c.user_id == user_id, fr.c.friend_id > after)
        .order_by(fr.c.friend_id).limit(limit))
    return list(rows)


async def page_at(conn: AsyncConnection, user_id: str, start: int, limit: int) -> list[sa.Row]:
    """``user_id``'s records from position ``start`` in ID order (the admin's StartIndex)."""
    rows = await conn.execute(
        sa.select(fr).where(fr.c.user_id == user_id)
        .order_by(fr.c.friend_id).offset(start).limit(limit))
    return list(rows)
