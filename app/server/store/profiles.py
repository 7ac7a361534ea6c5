"""Queries on profiles: the account's nickname and avatar joined with the §3.1 fields of
``user_profiles`` (an account without a row there has every field at its default)."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from app.protocol.friends import CustomValue, Profile

from .db import insert_ignore
from .schema import accounts, user_profiles

EXTRA_FIELDS = ("self_signature", "gender", "birthday", "location", "language", "level", "role",
                "allow_type", "admin_forbid_type", "custom")
"""The profile fields kept in ``user_profiles`` rather than ``accounts``."""

up = user_profiles


def decode_custom(text: str) -> dict[str, CustomValue]:
    value = json.loads(text or "{}")
    return value if isinstance(value, dict) else {}


def encode_custom(fields: Mapping[str, CustomValue]) -> str:
    return json.dumps(dict(sorted(fields.items())), ensure_ascii=False, separators=(",", ":"))


def _profile(row: sa.Row) -> Profile:
    if row.allow_type is None:  # no user_profiles row
        return Profile(row.user_id, row.nick, row.face_url)
    return Profile(row.user_id, row.nick, row.face_url, row.self_signature, row.gender,
                   row.birthday, row.location, row.language, row.level, row.role,
                   row.allow_type, row.admin_forbid_type, decode_custom(row.custom))


async def profiles(conn: AsyncConnection, user_ids: Collection[str]) -> dict[str, Profile]:
    if not user_ids:
        return {}
    rows = await conn.execute(
        sa.select(accounts.c.user_id, accounts.c.nick, accounts.c.face_url,
                  *(up.c[name] for name in EXTRA_FIELDS))
        .select_from(accounts.outerjoin(up, up.c.user_id == accounts.c.user_id))
        .where(accounts.c.user_id.in_(list(user_ids))))
    return {row.user_id: _profile(row) for row in rows}


async def update_extra(conn: AsyncConnection, user_id: str, values: dict[str, Any]) -> None:
    """Set the given ``user_profiles`` fields of an existing account (``custom`` as a dict,
    already merged)."""
    if not values:
        return
    stored = dict(values)
    if "custom" in stored:
        stored["custom"] = encode_custom(stored["custom"])
    await conn.execute(insert_ignore(conn, up).values(user_id=user_id))
    await conn.execute(up.update().where(up.c.user_id == user_id).values(stored))
