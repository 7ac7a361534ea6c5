"""Queries on groups, their members and join applications.

Rows are locked in one order wherever a transaction changes a group: the ``groups`` row first
(``locked``, ``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's write transactions hold the whole
database), then member rows, then per-user rows. Member counts are counted, never kept, so no
counter can drift from the rows it counts.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from .db import insert_ignore
from .schema import group_applications, group_members, groups

gm = group_members
ga = group_applications


def custom_fields(text: str) -> dict[str, str]:
    value = json.loads(text or "{}")
    return value if isinstance(value, dict) else {}


def encode_custom(fields: Mapping[str, str]) -> str:
    return json.dumps(dict(sorted(fields.items())), ensure_ascii=False, separators=(",", ":"))


# --- groups --------------------------------------------------------------------------------

async def insert(conn: AsyncConnection, values: dict[str, Any]) -> bool:
    """Create the group; False when the ID is taken (dismissed groups keep theirs)."""
    result = await conn.execute(insert_ignore(conn, groups).values(**values))
    return result.rowcount == 1


async def get(conn: AsyncConnection, group_id: str) -> sa.Row | None:
    return (await conn.execute(sa.select(groups).where(groups.c.group_id == group_id))).first()


async def locked(conn: AsyncConnection, group_id: str) -> sa.Row | None:
    """The group's row, locked for the rest of the transaction: the first lock a change takes."""
    result = await conn.execute(
        sa.select(groups).where(groups.c.group_id == group_id).with_for_update())
    return result.first()


async def many(conn: AsyncConnection, group_ids: Collection[str]) -> dict[str, sa.Row]:
    if not group_ids:
        return {}
    rows = await conn.execute(sa.select(groups).where(groups.c.group_id.in_(list(group_ids))))
    return {r.group_id: r for r in rows}


async def update(conn: AsyncConnection, group_id: str, **values: Any) -> None:
    await conn.execute(groups.update().where(groups.c.group_id == group_id).values(**values))


async def owned_count(conn: AsyncConnection, user_id: str) -> int:
    """Groups, not dismissed, the user owns."""
    result = await conn.execute(
        sa.select(sa.func.count()).select_from(groups)
        .where(groups.c.owner == user_id, sa.not_(groups.c.dismissed)))
    return result.scalar_one()


def _after(created_at: int, group_id: str) -> sa.ColumnElement[bool]:
    """Rows after ``(created_at, group_id)`` in the listing order."""
    return sa.or_(groups.c.created_at > created_at,
                  sa.and_(groups.c.created_at == created_at, groups.c.group_id > group_id))


def _of_type(query: sa.Select, group_type: str | None) -> sa.Select:
    query = query.where(sa.not_(groups.c.dismissed))
    return query if group_type is None else query.where(groups.c.group_type == group_type)


async def app_groups(conn: AsyncConnection, group_type: str | None, after_key: int,
                     limit: int) -> tuple[list[str], int]:
    """Live groups (of ``group_type``, or all) for the admin's ``get_appid_group_list``: up to
    ``limit`` IDs after the cursor ``after_key``, and the cursor of the next page (0: no more).

    The order is ``(created_at, group_id)``, and the cursor is a *position* in that order over
    every row of ``groups``, dismissed ones and other types included: the number of rows up to
    and including the last one listed. That stays put on any node and as groups come and go,
    because a group's row is never deleted (dismissal only marks it, its ID stays taken) and a
    new group's ``created_at`` is the time it was made, so it sorts after the rows already
    there. (Nodes whose clocks disagree could sort a new group before the cursor; then a page
    repeats one group, it never skips one.) The position is a small integer, as Tencent's
    ``Next`` is; ``rowid`` would do the same on SQLite only, and ``group_id`` alone as the key
    would need a string cursor and scatter new groups among the old.
    """
    query = _of_type(sa.select(groups.c.group_id, groups.c.created_at), group_type)
    if after_key:
        last = (await conn.execute(
            sa.select(groups.c.created_at, groups.c.group_id)
            .order_by(groups.c.created_at, groups.c.group_id)
            .offset(after_key - 1).limit(1))).first()
        if last is None:
            return [], 0
        query = query.where(_after(last.created_at, last.group_id))
    rows = list(await conn.execute(
        query.order_by(groups.c.created_at, groups.c.group_id).limit(limit + 1)))
    if len(rows) <= limit:
        return [r.group_id for r in rows], 0
    end = rows[limit - 1]
    position = (await conn.execute(
        sa.select(sa.func.count()).select_from(groups)
        .where(sa.not_(_after(end.created_at, end.group_id))))).scalar_one()
    return [r.group_id for r in rows[:limit]], position


async def app_group_count(conn: AsyncConnection, group_type: str | None) -> int:
    """Live groups (of ``group_type``, or all): ``get_appid_group_list``'s ``TotalCount``."""
    query = _of_type(sa.select(sa.func.count()).select_from(groups), group_type)
    return (await conn.execute(query)).scalar_one()


# --- members -------------------------------------------------------------------------------

async def member(conn: AsyncConnection, group_id: str, user_id: str) -> sa.Row | None:
    result = await conn.execute(
        sa.select(gm).where(gm.c.group_id == group_id, gm.c.user_id == user_id))
    return result.first()


async def members(conn: AsyncConnection, group_id: str,
                  user_ids: Collection[str]) -> dict[str, sa.Row]:
    if not user_ids:
        return {}
    rows = await conn.execute(
        sa.select(gm).where(gm.c.group_id == group_id, gm.c.user_id.in_(list(user_ids))))
    return {r.user_id: r for r in rows}


async def member_ids(conn: AsyncConnection, group_ids: Collection[str]) -> dict[str, list[str]]:
    """Each group's members now: whom a message stored now is fanned out to."""
    found: dict[str, list[str]] = {g: [] for g in group_ids}
    if group_ids:
        rows = await conn.execute(
            sa.select(gm.c.group_id, gm.c.user_id).where(gm.c.group_id.in_(list(group_ids))))
        for group_id, user_id in rows:
            found[group_id].append(user_id)
    return found


async def name_cards(conn: AsyncConnection,
                     pairs: Collection[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(group, user) → the name card set, for the pairs that have one."""
    if not pairs:
        return {}
    rows = await conn.execute(
        sa.select(gm.c.group_id, gm.c.user_id, gm.c.name_card)
        .where(sa.tuple_(gm.c.group_id, gm.c.user_id).in_(list(pairs)), gm.c.name_card != ""))
    return {(group_id, user_id): card for group_id, user_id, card in rows}


async def ids_with_role(conn: AsyncConnection, group_id: str, roles: Collection[int]) -> list[str]:
    rows = await conn.execute(
        sa.select(gm.c.user_id).where(gm.c.group_id == group_id, gm.c.role.in_(list(roles))))
    return list(rows.scalars())


async def count(conn: AsyncConnection, group_ids: Collection[str]) -> dict[str, int]:
    found = dict.fromkeys(group_ids, 0)
    if group_ids:
        rows = await conn.execute(
            sa.select(gm.c.group_id, sa.func.count()).where(gm.c.group_id.in_(list(group_ids)))
            .group_by(gm.c.group_id))
        found.update((group_id, n) for group_id, n in rows)
    return found


async def add_members(conn: AsyncConnection, group_id: str, first_seq: int,
                      entries: Iterable[tuple[str, int]], join_time: int) -> None:
    """Add (user_id, role) members; ``first_seq`` is the first member seq reserved for them."""
    values = [{"group_id": group_id, "user_id": user_id, "role": role, "join_time": join_time,
               "member_seq": first_seq + i} for i, (user_id, role) in enumerate(entries)]
    if values:
        await conn.execute(gm.insert(), values)


async def reserve_member_seqs(conn: AsyncConnection, group_id: str, n: int) -> int:
    """Reserve ``n`` member seqs; returns the first."""
    result = await conn.execute(
        groups.update().where(groups.c.group_id == group_id)
        .values(member_seq=groups.c.member_seq + n).returning(groups.c.member_seq))
    return result.scalar_one() - n + 1


async def remove_members(conn: AsyncConnection, group_id: str, user_ids: Collection[str]) -> None:
    if user_ids:
        await conn.execute(gm.delete().where(gm.c.group_id == group_id,
                                             gm.c.user_id.in_(list(user_ids))))


async def remove_all_members(conn: AsyncConnection, group_id: str) -> list[str]:
    ids = list((await conn.execute(
        sa.select(gm.c.user_id).where(gm.c.group_id == group_id))).scalars())
    await conn.execute(gm.delete().where(gm.c.group_id == group_id))
    return ids


async def update_member(conn: AsyncConnection, group_id: str, user_id: str,
                        **values: Any) -> None:
    await conn.execute(gm.update().where(gm.c.group_id == group_id, gm.c.user_id == user_id)
                       .values(**values))


async def page(conn: AsyncConnection, group_id: str, roles: Collection[int] | None,
               after_seq: int, limit: int) -> list[sa.Row]:
    """Members by member seq after the cursor, of the roles given (None: all)."""
    query = (sa.select(gm).where(gm.c.group_id == group_id, gm.c.member_seq > after_seq)
             .order_by(gm.c.member_seq).limit(limit))
    if roles is not None:
        query = query.where(gm.c.role.in_(list(roles)))
    return list(await conn.execute(query))


async def joined(conn: AsyncConnection, user_id: str) -> list[tuple[sa.Row, int]]:
    """The user's groups with their role in each, oldest membership first."""
    rows = await conn.execute(
        sa.select(groups, gm.c.role.label("my_role"))
        .join_from(gm, groups, gm.c.group_id == groups.c.group_id)
        .where(gm.c.user_id == user_id).order_by(gm.c.join_time, gm.c.group_id))
    return [(r, r.my_role) for r in rows]


async def roles_of(conn: AsyncConnection, user_id: str,
                   group_ids: Collection[str]) -> dict[str, int]:
    if not group_ids:
        return {}
    rows = await conn.execute(
        sa.select(gm.c.group_id, gm.c.role)
        .where(gm.c.user_id == user_id, gm.c.group_id.in_(list(group_ids))))
    return {group_id: role for group_id, role in rows}


async def joined_of_type(conn: AsyncConnection, user_id: str, group_type: str) -> list[str]:
    rows = await conn.execute(
        sa.select(gm.c.group_id).join_from(gm, groups, gm.c.group_id == groups.c.group_id)
        .where(gm.c.user_id == user_id, groups.c.group_type == group_type))
    return list(rows.scalars())


# --- join applications ---------------------------------------------------------------------

async def put_application(conn: AsyncConnection, group_id: str, applicant: str, message: str,
                          time: int) -> None:
    """A new application, or a new try replacing a decided one."""
    await conn.execute(ga.delete().where(ga.c.group_id == group_id, ga.c.applicant == applicant))
    await conn.execute(ga.insert().values(group_id=group_id, applicant=applicant,
                                          message=message, time=time))


async def application(conn: AsyncConnection, group_id: str, applicant: str) -> sa.Row | None:
    result = await conn.execute(
        sa.select(ga).where(ga.c.group_id == group_id, ga.c.applicant == applicant))
    return result.first()


async def decide(conn: AsyncConnection, group_id: str, applicant: str, status: int,
                 handler: str, message: str) -> bool:
    """Decide a pending application; False when it was no longer pending (someone else was
    first). A conditional update, so two admins deciding at once cannot both win."""
    result = await conn.execute(
        ga.update().where(ga.c.group_id == group_id, ga.c.applicant == applicant,
                          ga.c.status == 0)
        .values(status=status, handler=handler, handle_message=message))
    return result.rowcount == 1


async def applications_for(conn: AsyncConnection, group_ids: Collection[str]) -> list[sa.Row]:
    """Applications to the groups, newest first."""
    if not group_ids:
        return []
    rows = await conn.execute(
        sa.select(ga).where(ga.c.group_id.in_(list(group_ids))).order_by(ga.c.time.desc()))
    return list(rows)


async def drop_applications(conn: AsyncConnection, group_id: str) -> None:
    await conn.execute(ga.delete().where(ga.c.group_id == group_id))
