"""Queries on an AVChatRoom's attributes (§1.8): one row per key. Callers hold the group's row
lock (``groups.locked``) first, so two changes to one group's set never interleave."""

from __future__ import annotations

from collections.abc import Collection, Mapping

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from .schema import group_attributes as attrs


async def all_of(conn: AsyncConnection, group_id: str) -> dict[str, str]:
    rows = await conn.execute(
        sa.select(attrs.c.key, attrs.c.value).where(attrs.c.group_id == group_id)
        .order_by(attrs.c.key))
    return {key: value for key, value in rows}


async def put(conn: AsyncConnection, group_id: str, values: Mapping[str, str]) -> None:
    """Add or replace the keys given: the old rows go, the new ones come, in one statement
    each (portable: no dialect's upsert needed)."""
    if not values:
        return
    await remove(conn, group_id, list(values))
    await conn.execute(attrs.insert(), [{"group_id": group_id, "key": k, "value": v}
                                        for k, v in values.items()])


async def remove(conn: AsyncConnection, group_id: str, keys: Collection[str] | None) -> None:
    """Remove those keys; None removes every key."""
    query = attrs.delete().where(attrs.c.group_id == group_id)
    if keys is not None:
        if not keys:
            return
        query = query.where(attrs.c.key.in_(list(keys)))
    await conn.execute(query)
