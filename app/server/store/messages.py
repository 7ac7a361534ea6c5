"""Queries on stored messages: dedup lookups, batch inserts, ranges, pages."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from .schema import hidden_messages, message_mentions, messages

m = messages

# What a reader needs: the stored body, and the columns to build a placeholder from when the
# message is hidden for them.
_LISTED = (m.c.seq, m.c.msg_id, m.c.sender, m.c.receiver, m.c.group_id, m.c.time, m.c.body)


def _hidden_for(user_id: str) -> sa.Exists:
    return sa.exists().where(hidden_messages.c.user_id == user_id,
                             hidden_messages.c.conv_key == m.c.conv_key,
                             hidden_messages.c.seq == m.c.seq)


async def find_stored(conn: AsyncConnection,
                      keys: Collection[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, int]]:
    """(msg_id, sender) → (seq, time) for the keys already stored.

    Queried by ``msg_id`` alone, which the unique (msg_id, sender) index serves, and filtered by
    sender here: one statement whatever the mix of senders in the batch.
    """
    if not keys:
        return {}
    rows = await conn.execute(
        sa.select(m.c.msg_id, m.c.sender, m.c.seq, m.c.time)
        .where(m.c.msg_id.in_({msg_id for msg_id, _ in keys})))
    return {(r.msg_id, r.sender): (r.seq, r.time) for r in rows if (r.msg_id, r.sender) in keys}


POSITIONS_PER_STATEMENT = 200
"""(conv_key, seq) pairs looked up per statement: 400 bound parameters, below every SQLite
build's limit."""


async def msg_ids_at(conn: AsyncConnection,
                     positions: Collection[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """(conv_key, seq) → msg_id for the positions that hold a message.

    The pairs are OR-ed rather than matched with a row-value ``IN``: SQLite serves each term of
    the OR with a primary-key lookup but scans the whole table for ``(a, b) IN (VALUES …)``.
    """
    found: dict[tuple[str, int], str] = {}
    wanted = list(positions)
    for start in range(0, len(wanted), POSITIONS_PER_STATEMENT):
        chunk = wanted[start:start + POSITIONS_PER_STATEMENT]
        rows = await conn.execute(
            sa.select(m.c.conv_key, m.c.seq, m.c.msg_id)
            .where(sa.or_(*(sa.and_(m.c.conv_key == key, m.c.seq == seq) for key, seq in chunk))))
        found.update(((r.conv_key, r.seq), r.msg_id) for r in rows)
    return found


async def insert(conn: AsyncConnection, rows: Sequence[dict[str, Any]]) -> None:
    """One executemany for the whole batch."""
    await conn.execute(m.insert(), list(rows))


async def insert_mentions(conn: AsyncConnection, rows: Sequence[dict[str, Any]]) -> None:
    """Rows of ``conv_key``, ``user_id`` (a member or AT_ALL), ``seq``."""
    if rows:
        await conn.execute(message_mentions.insert(), list(rows))


async def seq_range(conn: AsyncConnection, user_id: str, conv_key: str, after_seq: int,
                    until_seq: int, limit: int) -> list[sa.Row]:
    """Messages with ``after_seq < seq <= until_seq`` ascending, each with a ``hidden`` flag."""
    result = await conn.execute(
        sa.select(*_LISTED, _hidden_for(user_id).label("hidden"))
        .where(m.c.conv_key == conv_key, m.c.seq > after_seq, m.c.seq <= until_seq)
        .order_by(m.c.seq).limit(limit))
    return list(result)


async def page_before(conn: AsyncConnection, user_id: str, conv_key: str, before_seq: int,
                      min_seq: int, limit: int) -> list[sa.Row]:
    """Messages with ``min_seq <= seq < before_seq``, newest first, with a ``hidden`` flag."""
    result = await conn.execute(
        sa.select(*_LISTED, _hidden_for(user_id).label("hidden"))
        .where(m.c.conv_key == conv_key, m.c.seq < before_seq, m.c.seq >= min_seq)
        .order_by(m.c.seq.desc()).limit(limit))
    return list(result)


async def recent_with_random(conn: AsyncConnection, conv_key: str, sender: str, random: int,
                             since_ms: int) -> tuple[int, int] | None:
    """(seq, time) of the sender's newest message with this ``random`` since ``since_ms``."""
    result = await conn.execute(
        sa.select(m.c.seq, m.c.time)
        .where(m.c.conv_key == conv_key, m.c.time >= since_ms, m.c.sender == sender,
               m.c.random == random)
        .order_by(m.c.seq.desc()).limit(1))
    found = result.first()
    return (found.seq, found.time) if found is not None else None


async def recent_with_random_in(conn: AsyncConnection, conv_keys: Collection[str], sender: str,
                                random: int, since_ms: int) -> set[str]:
    """The logs among ``conv_keys`` holding a message of the sender with this ``random`` since
    ``since_ms``: ``recent_with_random`` for a batch, in one statement."""
    if not conv_keys:
        return set()
    result = await conn.execute(
        sa.select(m.c.conv_key).distinct()
        .where(m.c.conv_key.in_(list(conv_keys)), m.c.time >= since_ms, m.c.sender == sender,
               m.c.random == random))
    return set(result.scalars())


_REVOCABLE = (m.c.seq, m.c.msg_id, m.c.sender, m.c.random, m.c.time, m.c.revoked, m.c.body)


async def at_seq(conn: AsyncConnection, conv_key: str, seq: int) -> sa.Row | None:
    """The message at ``seq`` of the log, with what a revocation checks."""
    result = await conn.execute(
        sa.select(*_REVOCABLE).where(m.c.conv_key == conv_key, m.c.seq == seq))
    return result.first()


async def with_ids(conn: AsyncConnection, conv_key: str, sender: str,
                   msg_ids: Collection[str]) -> list[sa.Row]:
    """The sender's messages in the log among ``msg_ids`` (the unique (msg_id, sender) index
    serves it), newest first, with what a revocation checks."""
    result = await conn.execute(
        sa.select(*_REVOCABLE)
        .where(m.c.msg_id.in_(list(msg_ids)), m.c.sender == sender, m.c.conv_key == conv_key)
        .order_by(m.c.seq.desc()))
    return list(result)


async def seqs_from(conn: AsyncConnection, conv_key: str, sender: str) -> list[int]:
    """Seqs of the log's messages from ``sender`` not revoked, ascending."""
    result = await conn.execute(
        sa.select(m.c.seq).where(m.c.conv_key == conv_key, m.c.sender == sender,
                                 sa.not_(m.c.revoked)).order_by(m.c.seq))
    return list(result.scalars())


async def mark_revoked(conn: AsyncConnection, conv_key: str, seq: int, body: bytes) -> None:
    """Flag the message revoked and store its revoked form as the body pulls and pushes send."""
    await conn.execute(m.update().where(m.c.conv_key == conv_key, m.c.seq == seq)
                       .values(revoked=True, body=body))


async def rewrite_body(conn: AsyncConnection, conv_key: str, seq: int, body: bytes) -> None:
    """Store an edited message's new form as the body pulls and pushes send."""
    await conn.execute(m.update().where(m.c.conv_key == conv_key, m.c.seq == seq)
                       .values(body=body))


async def bodies_at(conn: AsyncConnection, conv_key: str, seqs: Collection[int]) -> list[bytes]:
    """The stored bodies at those seqs of the log."""
    if not seqs:
        return []
    result = await conn.execute(
        sa.select(m.c.body).where(m.c.conv_key == conv_key, m.c.seq.in_(list(seqs))))
    return list(result.scalars())


async def first_seq_after(conn: AsyncConnection, conv_key: str, time_ms: int) -> int | None:
    """The lowest seq of the log whose message is newer than ``time_ms``."""
    result = await conn.execute(
        sa.select(sa.func.min(m.c.seq)).where(m.c.conv_key == conv_key, m.c.time > time_ms))
    return result.scalar_one()


async def visible_in_time_range(conn: AsyncConnection, user_id: str, conv_key: str,
                                min_seq: int, min_ms: int, max_ms: int, before_seq: int | None,
                                limit: int) -> list[sa.Row]:
    """Messages the user can see with ``min_ms <= time <= max_ms``, newest first."""
    query = (sa.select(m.c.body)
             .where(m.c.conv_key == conv_key, m.c.time >= min_ms, m.c.time <= max_ms,
                    m.c.seq >= min_seq, sa.not_(_hidden_for(user_id)))
             .order_by(m.c.seq.desc()).limit(limit))
    if before_seq is not None:
        query = query.where(m.c.seq < before_seq)
    return list(await conn.execute(query))
