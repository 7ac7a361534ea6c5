"""Queries on friend applications: one pending request per (applicant, target); a request
sent again replaces the one before (its wording, time and unread state)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from app.protocol.friends import ApplicationType

from .schema import friend_applications

fa = friend_applications


async def get(conn: AsyncConnection, applicant: str, target: str) -> sa.Row | None:
    result = await conn.execute(sa.select(fa).where(fa.c.applicant == applicant,
                                                    fa.c.target == target))
    return result.first()


async def put(conn: AsyncConnection, values: dict[str, Any]) -> None:
    """Store the request, replacing an earlier one of the same pair."""
    await remove(conn, values["applicant"], values["target"])
    await conn.execute(fa.insert().values(**values))


async def remove(conn: AsyncConnection, applicant: str, target: str) -> bool:
    result = await conn.execute(fa.delete().where(fa.c.applicant == applicant,
                                                  fa.c.target == target))
    return result.rowcount > 0


def _of(user_id: str, kind: ApplicationType) -> sa.ColumnElement[bool]:
    if kind == ApplicationType.COME_IN:
        return fa.c.target == user_id
    if kind == ApplicationType.SEND_OUT:
        return fa.c.applicant == user_id
    return sa.or_(fa.c.target == user_id, fa.c.applicant == user_id)


async def page(conn: AsyncConnection, user_id: str, kind: ApplicationType, start: int,
               limit: int) -> list[sa.Row]:
    """Newest first (then by applicant and target, so the order is total)."""
    rows = await conn.execute(
        sa.select(fa).where(_of(user_id, kind))
        .order_by(fa.c.time.desc(), fa.c.applicant, fa.c.target).offset(start).limit(limit))
    return list(rows)


async def unread(conn: AsyncConnection, user_id: str) -> int:
    result = await conn.execute(sa.select(sa.func.count()).select_from(fa).where(
        fa.c.target == user_id, sa.not_(fa.c.read)))
    return result.scalar_one()


async def mark_read(conn: AsyncConnection, user_id: str, until_ms: int | None) -> int:
    """Mark the user's incoming requests read (those up to ``until_ms`` when given); how many
    changed."""
    query = fa.update().where(fa.c.target == user_id, sa.not_(fa.c.read))
    if until_ms is not None:
        query = query.where(fa.c.time <= until_ms)
    return (await conn.execute(query.values(read=True))).rowcount
