"""Rate-limit state shared by every node: one row per (scope, key) holding an encoded window.

``locked`` makes the rows that are missing and locks them all (``SELECT … FOR UPDATE`` on
PostgreSQL; SQLite's write transactions hold the whole database), in key order, so two nodes'
transactions over several keys take their locks in the same order and cannot deadlock. The
caller decides with what it read and writes the new state back before its transaction commits.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from .db import insert_ignore
from .schema import rate_windows as rw


async def locked(conn: AsyncConnection, scope: str, keys: Collection[str]) -> dict[str, str]:
    """key → its state ("" for a new row), every row locked for the rest of the transaction."""
    ordered = sorted(set(keys))
    if not ordered:
        return {}
    await conn.execute(insert_ignore(conn, rw), [{"scope": scope, "key": k, "state": ""}
                                                 for k in ordered])
    rows = await conn.execute(
        sa.select(rw.c.key, rw.c.state).where(rw.c.scope == scope, rw.c.key.in_(ordered))
        .order_by(rw.c.key).with_for_update())
    return {key: state for key, state in rows}


async def save(conn: AsyncConnection, scope: str, states: Mapping[str, str]) -> None:
    if not states:
        return
    await conn.execute(
        rw.update().where(rw.c.scope == scope, rw.c.key == sa.bindparam("k"))
        .values(state=sa.bindparam("s")),
        [{"k": k, "s": s} for k, s in states.items()])
