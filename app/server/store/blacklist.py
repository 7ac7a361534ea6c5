"""Queries on blacklists: one row per (blocker, blocked)."""

from __future__ import annotations

from collections.abc import Collection

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from .db import insert_ignore
from .schema import blacklist

bl = blacklist


async def blocked(conn: AsyncConnection, user_id: str,
                  others: Collection[str] | None = None) -> dict[str, int]:
    """Whom of ``others`` (everyone when None) ``user_id`` blocks → since when (ms)."""
    query = sa.select(bl.c.blocked_id, bl.c.add_time).where(bl.c.user_id == user_id)
    if others is not None:
        if not others:
            return {}
        query = query.where(bl.c.blocked_id.in_(list(others)))
    return {r.blocked_id: r.add_time for r in await conn.execute(query)}


async def blockers(conn: AsyncConnection, user_id: str, others: Collection[str]) -> set[str]:
    """Who of ``others`` blocks ``user_id``."""
    if not others:
        return set()
    rows = await conn.execute(sa.select(bl.c.user_id).where(
        bl.c.blocked_id == user_id, bl.c.user_id.in_(list(others))))
    return set(rows.scalars())


async def blocks(conn: AsyncConnection, user_id: str, other: str) -> bool:
    result = await conn.execute(sa.select(bl.c.user_id).where(
        bl.c.user_id == user_id, bl.c.blocked_id == other))
    return result.first() is not None


async def add(conn: AsyncConnection, user_id: str, other: str, now_ms: int) -> bool:
    """True when ``other`` was not blocked before."""
    result = await conn.execute(insert_ignore(conn, bl).values(
        user_id=user_id, blocked_id=other, add_time=now_ms))
    return result.rowcount == 1


async def remove(conn: AsyncConnection, user_id: str, others: Collection[str]) -> set[str]:
    """Unblock ``others``; the ones that were blocked."""
    present = set(await blocked(conn, user_id, others))
    if present:
        await conn.execute(bl.delete().where(bl.c.user_id == user_id,
                                             bl.c.blocked_id.in_(list(present))))
    return present
