"""Queries on presence: the service nodes with their leases, and the sessions connected to each.

A connection row exists while its session is connected to its node. Rows are only believed while
their node's lease (``nodes.seen_at``) is fresh, so a node that died without cleaning up stops
being believed when its lease runs out, and ``sweep`` deletes it with its rows (cascade).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from .db import insert_ignore
from .schema import connections, nodes


async def renew(conn: AsyncConnection, node_id: str, now_ms: int) -> bool:
    """Extend the node's lease; False when the node has no row (it was swept as dead)."""
    result = await conn.execute(
        nodes.update().where(nodes.c.node_id == node_id).values(seen_at=now_ms))
    return result.rowcount == 1


async def register(conn: AsyncConnection, node_id: str, now_ms: int) -> None:
    await conn.execute(insert_ignore(conn, nodes).values(node_id=node_id, seen_at=now_ms))
    await renew(conn, node_id, now_ms)


async def sweep(conn: AsyncConnection, expired_before_ms: int) -> int:
    """Delete the nodes whose lease ran out, and with them their connections; how many."""
    result = await conn.execute(nodes.delete().where(nodes.c.seen_at < expired_before_ms))
    return result.rowcount


async def retire(conn: AsyncConnection, node_id: str) -> None:
    """A node that stops cleanly takes its connections with it."""
    await conn.execute(nodes.delete().where(nodes.c.node_id == node_id))


async def add(conn: AsyncConnection, rows: Iterable[dict[str, object]]) -> None:
    values = list(rows)
    if values:
        await conn.execute(insert_ignore(conn, connections), values)


async def remove(conn: AsyncConnection, connection_ids: Collection[str]) -> None:
    if connection_ids:
        await conn.execute(connections.delete().where(
            connections.c.connection_id.in_(list(connection_ids))))


async def connected_platforms(conn: AsyncConnection, user_ids: Collection[str],
                              live_after_ms: int) -> set[tuple[str, str]]:
    """(user_id, platform) of the sessions connected to a node whose lease is fresh."""
    if not user_ids:
        return set()
    rows = await conn.execute(
        sa.select(connections.c.user_id, connections.c.platform)
        .join_from(connections, nodes, connections.c.node_id == nodes.c.node_id)
        .where(connections.c.user_id.in_(list(user_ids)), nodes.c.seen_at >= live_after_ms))
    return {(row.user_id, row.platform) for row in rows}
