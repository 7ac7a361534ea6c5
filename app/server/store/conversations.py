"""Queries on conversation logs (``conversations``) and per-user conversation rows.

The conversation state a client sees (``ConversationState``) is assembled in one query: the
per-user row, the log's ``max_seq``, the unread count and the last visible message body come
back together, with unread and last message as correlated subqueries, so a sync of many
conversations costs one round trip rather than three per conversation.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from app.protocol import AT_ALL

from .db import insert_ignore
from .schema import (
    conversations,
    group_departures,
    hidden_messages,
    message_mentions,
    messages,
    modified_messages,
    read_resets,
    revoked_messages,
    user_conversations,
)

uc = user_conversations


def _hidden(user_id: Any, conv_key: Any, seq: Any) -> sa.Exists:
    return sa.exists().where(hidden_messages.c.user_id == user_id,
                             hidden_messages.c.conv_key == conv_key,
                             hidden_messages.c.seq == seq)


def _unread_count(user_id: Any, conv_key: Any, read_seq: Any, min_seq: Any) -> sa.Select:
    """C3: messages from others after the read position that count, visible to the user."""
    m = messages.alias("m")
    return sa.select(sa.func.count()).select_from(m).where(
        m.c.conv_key == conv_key, m.c.seq > read_seq, m.c.seq >= min_seq,
        m.c.sender != user_id, m.c.counts_unread, sa.not_(m.c.revoked),
        sa.not_(_hidden(user_id, m.c.conv_key, m.c.seq)))


def _unread_column(user_id: str) -> sa.Case:
    """A row's unread count as of ``max_seq``; nothing to count once read up to it."""
    return sa.case(
        (uc.c.read_seq >= conversations.c.max_seq, 0),
        else_=_unread_count(user_id, uc.c.conv_key, uc.c.read_seq, uc.c.min_seq)
        .scalar_subquery())


def _mention_seq(user_id: Any, mentioned: Any) -> sa.ScalarSelect:
    """M11: the newest unread message from someone else mentioning ``mentioned``, or 0."""
    mm = message_mentions.alias("mm")
    m = messages.alias("mm_m")
    return (sa.select(sa.func.coalesce(sa.func.max(mm.c.seq), 0))
            .join_from(mm, m, sa.and_(m.c.conv_key == mm.c.conv_key, m.c.seq == mm.c.seq))
            .where(mm.c.conv_key == uc.c.conv_key, mm.c.user_id == mentioned,
                   mm.c.seq > uc.c.read_seq, mm.c.seq >= uc.c.min_seq, m.c.sender != user_id,
                   sa.not_(m.c.revoked), sa.not_(_hidden(user_id, m.c.conv_key, m.c.seq)))
            .scalar_subquery())


def _departed_until() -> sa.ScalarSelect:
    """Where a former member's view of a group's log ended, or NULL."""
    return (sa.select(group_departures.c.until_seq)
            .where(group_departures.c.user_id == uc.c.user_id,
                   group_departures.c.conv_key == uc.c.conv_key)
            .scalar_subquery())


def _read_reset() -> sa.ScalarSelect:
    return (sa.select(read_resets.c.version)
            .where(read_resets.c.user_id == uc.c.user_id,
                   read_resets.c.conv_key == uc.c.conv_key)
            .scalar_subquery())


def _last_body(user_id: Any) -> sa.ScalarSelect:
    m = messages.alias("lm")
    return (sa.select(m.c.body)
            .where(m.c.conv_key == uc.c.conv_key, m.c.seq >= uc.c.min_seq,
                   sa.not_(m.c.exclude_last), sa.not_(_hidden(user_id, m.c.conv_key, m.c.seq)))
            .order_by(m.c.seq.desc()).limit(1).scalar_subquery())


# --- conversation logs ---------------------------------------------------------------------

async def ensure(conn: AsyncConnection, keys: Mapping[str, int]) -> None:
    """Create the logs of ``{conv_key: conv_type}`` that do not exist yet."""
    if keys:
        await conn.execute(insert_ignore(conn, conversations),
                           [{"conv_key": k, "conv_type": t, "max_seq": 0} for k, t in keys.items()])


async def allocate_seqs(conn: AsyncConnection, counts: Mapping[str, int]) -> dict[str, int]:
    """Reserve ``counts[key]`` seqs in each log; returns each log's new ``max_seq``.

    The increment happens in the database (``max_seq = max_seq + n … RETURNING``), so two nodes
    allocating at once can never hand out the same seq. Logs are grouped by increment so a batch
    costs one statement per distinct ``n`` rather than one per conversation.
    """
    by_count: dict[int, list[str]] = {}
    for key, n in counts.items():
        by_count.setdefault(n, []).append(key)
    new_max: dict[str, int] = {}
    for n, keys in by_count.items():
        result = await conn.execute(
            conversations.update().where(conversations.c.conv_key.in_(keys))
            .values(max_seq=conversations.c.max_seq + n)
            .returning(conversations.c.conv_key, conversations.c.max_seq))
        new_max.update((row.conv_key, row.max_seq) for row in result)
    return new_max


# --- per-user rows -------------------------------------------------------------------------

async def deleted_flags(conn: AsyncConnection,
                        pairs: Collection[tuple[str, str]]) -> dict[tuple[str, str], bool]:
    """For the (user_id, conv_key) pairs that have a row: whether it is deleted."""
    if not pairs:
        return {}
    users = {u for u, _ in pairs}
    keys = {k for _, k in pairs}
    rows = await conn.execute(
        sa.select(uc.c.user_id, uc.c.conv_key, uc.c.deleted)
        .where(uc.c.user_id.in_(users), uc.c.conv_key.in_(keys)))
    return {(r.user_id, r.conv_key): bool(r.deleted) for r in rows
            if (r.user_id, r.conv_key) in pairs}


async def create_rows(conn: AsyncConnection, rows: Iterable[tuple[str, str, str]]) -> None:
    """Create (user_id, conv_key, conv_id) rows that do not exist yet."""
    values = [{"user_id": u, "conv_key": k, "conv_id": c} for u, k, c in rows]
    if values:
        await conn.execute(insert_ignore(conn, uc), values)


async def row(conn: AsyncConnection, user_id: str, conv_key: str) -> sa.Row | None:
    """The user's row joined with the log's type and ``max_seq``."""
    result = await conn.execute(
        sa.select(uc, conversations.c.conv_type, conversations.c.max_seq)
        .join_from(uc, conversations, uc.c.conv_key == conversations.c.conv_key)
        .where(uc.c.user_id == user_id, uc.c.conv_key == conv_key))
    return result.first()


async def update_row(conn: AsyncConnection, user_id: str, conv_key: str,
                     **values: Any) -> None:
    await conn.execute(uc.update().where(uc.c.user_id == user_id, uc.c.conv_key == conv_key)
                       .values(**values))


async def raise_peer_read(conn: AsyncConnection, user_id: str, conv_key: str, seq: int) -> bool:
    """Move ``peer_read_seq`` forward (never back); True when it moved."""
    result = await conn.execute(
        uc.update().where(uc.c.user_id == user_id, uc.c.conv_key == conv_key,
                          uc.c.peer_read_seq < seq)
        .values(peer_read_seq=seq))
    return result.rowcount == 1


async def sync_candidates(conn: AsyncConnection, user_id: str) -> list[sa.Row]:
    """Cheap columns of all the user's rows, to pick what a sync must return."""
    result = await conn.execute(
        sa.select(uc.c.conv_key, uc.c.conv_id, uc.c.version,
                  sa.func.coalesce(_departed_until(), conversations.c.max_seq).label("max_seq"))
        .join_from(uc, conversations, uc.c.conv_key == conversations.c.conv_key)
        .where(uc.c.user_id == user_id))
    return list(result)


async def states(conn: AsyncConnection, user_id: str, conv_keys: Collection[str]) -> list[sa.Row]:
    """Rows with ``conv_type``, ``max_seq``, ``unread`` and ``last_body`` (bytes or None)."""
    if not conv_keys:
        return []
    result = await conn.execute(
        sa.select(uc, conversations.c.conv_type, conversations.c.max_seq,
                  _unread_column(user_id).label("unread"), _last_body(user_id).label("last_body"),
                  _mention_seq(user_id, user_id).label("at_me_seq"),
                  _mention_seq(user_id, AT_ALL).label("at_all_seq"),
                  _read_reset().label("read_reset"), _departed_until().label("departed_until"))
        .join_from(uc, conversations, uc.c.conv_key == conversations.c.conv_key)
        .where(uc.c.user_id == user_id, uc.c.conv_key.in_(list(conv_keys))))
    return list(result)


async def unread_counts(conn: AsyncConnection, user_id: str) -> list[sa.Row]:
    """``conv_key``, ``recv_opt`` and ``unread`` of all the user's rows, counted as ``states``
    counts them."""
    return list(await conn.execute(
        sa.select(uc.c.conv_key, uc.c.recv_opt, _unread_column(user_id).label("unread"))
        .join_from(uc, conversations, uc.c.conv_key == conversations.c.conv_key)
        .where(uc.c.user_id == user_id)))


async def unread(conn: AsyncConnection, user_id: str, conv_key: str, read_seq: int,
                 min_seq: int, max_seq: int) -> int:
    if read_seq >= max_seq:
        return 0
    result = await conn.execute(_unread_count(user_id, conv_key, read_seq, min_seq))
    return result.scalar_one()


async def counted_seq(conn: AsyncConnection, user_id: str, conv_key: str, min_seq: int,
                      rank: int) -> int | None:
    """The seq of the ``rank``-th newest message that counts as unread for the user (1 the
    newest), or None when fewer count."""
    m = messages.alias("m")
    result = await conn.execute(
        sa.select(m.c.seq).where(
            m.c.conv_key == conv_key, m.c.seq >= min_seq, m.c.sender != user_id,
            m.c.counts_unread, sa.not_(m.c.revoked),
            sa.not_(_hidden(user_id, m.c.conv_key, m.c.seq)))
        .order_by(m.c.seq.desc()).offset(rank - 1).limit(1))
    return result.scalar_one_or_none()


async def record_departures(conn: AsyncConnection, conv_key: str, user_ids: Collection[str],
                            until_seq: int) -> None:
    await clear_departures(conn, conv_key, user_ids)
    if user_ids:
        await conn.execute(sa.insert(group_departures), [
            {"user_id": u, "conv_key": conv_key, "until_seq": until_seq} for u in user_ids])


async def clear_departures(conn: AsyncConnection, conv_key: str,
                           user_ids: Collection[str]) -> None:
    if user_ids:
        await conn.execute(sa.delete(group_departures).where(
            group_departures.c.conv_key == conv_key,
            group_departures.c.user_id.in_(list(user_ids))))


async def reset_read(conn: AsyncConnection, user_id: str, conv_key: str, read_seq: int,
                     version: int) -> None:
    """Set the read position exactly, back or forward, and stamp the reset."""
    await update_row(conn, user_id, conv_key, read_seq=read_seq, version=version)
    await conn.execute(sa.delete(read_resets).where(read_resets.c.user_id == user_id,
                                                    read_resets.c.conv_key == conv_key))
    await conn.execute(sa.insert(read_resets).values(user_id=user_id, conv_key=conv_key,
                                                     version=version))


# --- deleted for me ------------------------------------------------------------------------

async def hide(conn: AsyncConnection, entries: Iterable[tuple[str, str, int]],
               version: int = 0) -> None:
    """Hide (user_id, conv_key, seq) messages for those users only; ``version`` is the user's
    state version of the deletion (0: hidden from the start, nothing to tell other devices)."""
    values = [{"user_id": u, "conv_key": k, "seq": s, "version": version} for u, k, s in entries]
    if values:
        await conn.execute(insert_ignore(conn, hidden_messages), values)


async def hidden_since(conn: AsyncConnection, user_id: str, conv_keys: Collection[str],
                       version: int) -> dict[str, list[int]]:
    """Per conversation, the seqs deleted for the user after state ``version``, ascending."""
    return await _seqs_since(conn, hidden_messages, user_id, conv_keys, version)


async def drop_hidden_below(conn: AsyncConnection, user_id: str, conv_key: str,
                            seq: int) -> None:
    """Hidden markers below ``min_seq`` are redundant once the history is cut there."""
    await conn.execute(hidden_messages.delete().where(
        hidden_messages.c.user_id == user_id, hidden_messages.c.conv_key == conv_key,
        hidden_messages.c.seq < seq))


# --- revoked -------------------------------------------------------------------------------

async def record_revoked(conn: AsyncConnection, user_id: str, conv_key: str, seq: int,
                         version: int) -> None:
    """Note that the message at ``seq`` was revoked, at the user's state ``version``."""
    await conn.execute(insert_ignore(conn, revoked_messages).values(
        user_id=user_id, conv_key=conv_key, seq=seq, version=version))


async def revoked_since(conn: AsyncConnection, user_id: str, conv_keys: Collection[str],
                        version: int) -> dict[str, list[int]]:
    """Per conversation, the seqs revoked after the user's state ``version``, ascending."""
    return await _seqs_since(conn, revoked_messages, user_id, conv_keys, version)


# --- modified ------------------------------------------------------------------------------

async def record_modified(conn: AsyncConnection, user_id: str, conv_key: str, seq: int,
                          version: int) -> None:
    """Note that the message at ``seq`` was edited, at the user's state ``version``: a later
    edit restamps the row, so a sync from between the two still sees the message."""
    t = modified_messages.c
    await conn.execute(modified_messages.delete().where(
        t.user_id == user_id, t.conv_key == conv_key, t.seq == seq))
    await conn.execute(modified_messages.insert().values(
        user_id=user_id, conv_key=conv_key, seq=seq, version=version))


async def modified_since(conn: AsyncConnection, user_id: str, conv_keys: Collection[str],
                         version: int) -> dict[str, list[int]]:
    """Per conversation, the seqs edited after the user's state ``version``, ascending."""
    return await _seqs_since(conn, modified_messages, user_id, conv_keys, version)


async def _seqs_since(conn: AsyncConnection, table: sa.Table, user_id: str,
                      conv_keys: Collection[str], version: int) -> dict[str, list[int]]:
    """Per conversation, the seqs of a per-user marker table stamped after ``version``."""
    if not conv_keys:
        return {}
    t = table.c
    rows = await conn.execute(
        sa.select(t.conv_key, t.seq)
        .where(t.user_id == user_id, t.conv_key.in_(list(conv_keys)), t.version > version)
        .order_by(t.conv_key, t.seq))
    found: dict[str, list[int]] = {}
    for conv_key, seq in rows:
        found.setdefault(conv_key, []).append(seq)
    return found
