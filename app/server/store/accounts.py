"""Queries on accounts: profiles, password hashes, existence, the per-user state version."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from app.protocol import Profile

from . import profiles as profile_store
from .db import insert_ignore
from .schema import accounts


async def create(conn: AsyncConnection, user_id: str, now_ms: int, *, nick: str = "",
                 face_url: str = "", password_hash: str | None = None) -> bool:
    """Insert the account unless it exists; True when it was created."""
    result = await conn.execute(insert_ignore(conn, accounts).values(
        user_id=user_id, nick=nick, face_url=face_url, password_hash=password_hash,
        created_at=now_ms))
    return result.rowcount == 1


async def create_many(conn: AsyncConnection, user_ids: Collection[str], now_ms: int) -> None:
    """Insert the accounts that do not exist yet (one statement); existing ones are untouched."""
    if user_ids:
        await conn.execute(insert_ignore(conn, accounts),
                           [{"user_id": u, "created_at": now_ms} for u in user_ids])


async def profiles(conn: AsyncConnection, user_ids: Collection[str]) -> dict[str, Profile]:
    """Whole profiles (§3.1) of the accounts that exist."""
    return await profile_store.profiles(conn, user_ids)


async def update_profile(conn: AsyncConnection, user_id: str, *, nick: str | None,
                         face_url: str | None, extra: dict[str, Any] | None = None
                         ) -> Profile | None:
    """Change the given fields (``extra``: those of ``user_profiles``); None when the account
    does not exist."""
    values = {k: v for k, v in (("nick", nick), ("face_url", face_url)) if v is not None}
    if values:
        await conn.execute(accounts.update().where(accounts.c.user_id == user_id).values(values))
    if not await existing(conn, [user_id]):
        return None
    await profile_store.update_extra(conn, user_id, extra or {})
    return (await profiles(conn, [user_id])).get(user_id)


async def password_hash(conn: AsyncConnection, user_id: str) -> str | None:
    """The stored hash, or None for an unknown account or one without a password."""
    result = await conn.execute(
        sa.select(accounts.c.password_hash).where(accounts.c.user_id == user_id))
    return result.scalar_one_or_none()


async def set_password_hash(conn: AsyncConnection, user_id: str, hashed: str) -> None:
    await conn.execute(
        accounts.update().where(accounts.c.user_id == user_id).values(password_hash=hashed))


async def existing(conn: AsyncConnection, user_ids: Collection[str]) -> set[str]:
    if not user_ids:
        return set()
    rows = await conn.execute(
        sa.select(accounts.c.user_id).where(accounts.c.user_id.in_(list(user_ids))))
    return set(rows.scalars())


async def delete(conn: AsyncConnection, user_ids: Collection[str]) -> set[str]:
    """Remove the accounts; their devices, connections and per-user conversation rows go with
    them (cascade). The ones that existed."""
    found = await existing(conn, user_ids)
    if found:
        await conn.execute(accounts.delete().where(accounts.c.user_id.in_(list(found))))
    return found


async def next_version(conn: AsyncConnection, user_id: str) -> int:
    """Take the user's next state version; the caller stamps it on the rows it changes."""
    result = await conn.execute(
        accounts.update().where(accounts.c.user_id == user_id)
        .values(state_version=accounts.c.state_version + 1)
        .returning(accounts.c.state_version))
    return result.scalar_one()


async def state_version(conn: AsyncConnection, user_id: str) -> int:
    result = await conn.execute(
        sa.select(accounts.c.state_version).where(accounts.c.user_id == user_id))
    return result.scalar_one_or_none() or 0
