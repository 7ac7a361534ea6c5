"""Who is in a group, as the message log sees it: joining gives a member a conversation row
whose ``min_seq`` says where their view of the log starts, leaving takes it away and records
where it ended (``group_departures``), so the former member's state stops there while the log
goes on: no unread, no newer last message, nothing left to pull.

Read diffusion: a group message is stored once, in the group's log; each member has a
``user_conversations`` row (read position, first visible seq, pin, draft, receive option) and
the writer fans a message out to the members it finds when it stores it. These run inside the
caller's transaction, after it locked the group's row (``store.groups.locked``), and return the
users whose conversation rows changed so the caller can tell their devices after the commit.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from app.protocol.ids import group_conversation_id
from app.server.services.keys import group_key
from app.server.store import accounts as accounts_store
from app.server.store import conversations as conv_store
from app.server.store import groups as store
from app.server.store.schema import conversations, user_conversations

from .rules import TypeRules

uc = user_conversations


async def enter(conn: AsyncConnection, group: sa.Row, rules: TypeRules,
                entries: Sequence[tuple[str, int]], now_ms: int) -> None:
    """Make ``(user_id, role)`` members of the group (none of them may be one already).

    A member's view starts at the next message unless the type shows earlier history (Meeting);
    nothing before joining counts as unread either way.
    """
    if not entries:
        return
    first = await store.reserve_member_seqs(conn, group.group_id, len(entries))
    await store.add_members(conn, group.group_id, first, entries, now_ms)
    if not rules.stores_messages:
        return
    key = group_key(group.group_id)
    max_seq = (await conn.execute(
        sa.select(conversations.c.max_seq).where(conversations.c.conv_key == key))).scalar_one()
    min_seq = 1 if rules.sees_history_before_join else max_seq + 1
    conv_id = group_conversation_id(group.group_id)
    user_ids = [user_id for user_id, _ in entries]
    await conv_store.create_rows(conn, [(u, key, conv_id) for u in user_ids])
    await conv_store.clear_departures(conn, key, user_ids)
    for user_id in user_ids:
        version = await accounts_store.next_version(conn, user_id)
        await conv_store.update_row(conn, user_id, key, min_seq=min_seq, read_seq=max_seq,
                                    deleted=False, version=version)


async def leave(conn: AsyncConnection, group_id: str, rules: TypeRules,
                user_ids: Collection[str]) -> None:
    """End the memberships: the conversation goes from the users' lists (on every device, by the
    state version) and the log is no longer theirs to read."""
    await store.remove_members(conn, group_id, user_ids)
    if rules.stores_messages:
        await _close_rows(conn, group_id, user_ids)


async def dissolve(conn: AsyncConnection, group_id: str, rules: TypeRules) -> list[str]:
    """End every membership (dismissal); returns who the members were."""
    user_ids = await store.remove_all_members(conn, group_id)
    if rules.stores_messages:
        await _close_rows(conn, group_id, user_ids)
    return user_ids


async def _close_rows(conn: AsyncConnection, group_id: str, user_ids: Collection[str]) -> None:
    """The rows are deleted with everything up to now below their ``min_seq`` (as C5 deletes a
    conversation), and their view ends here."""
    key = group_key(group_id)
    max_seq = (await conn.execute(
        sa.select(conversations.c.max_seq).where(conversations.c.conv_key == key))).scalar_one()
    for user_id in sorted(user_ids):
        version = await accounts_store.next_version(conn, user_id)
        await conn.execute(uc.update().where(uc.c.user_id == user_id, uc.c.conv_key == key)
                           .values(deleted=True, min_seq=max_seq + 1, version=version))
    await conv_store.record_departures(conn, key, user_ids, max_seq)
