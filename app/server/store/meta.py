"""Queries on the store's own facts (the ``meta`` table)."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from .db import insert_ignore
from .schema import meta

STORE_ID = "store_id"


async def store_id(conn: AsyncConnection) -> str:
    """The store's identity, made on first use and kept for the life of the data.

    Inserted with ``ON CONFLICT DO NOTHING`` and read back, so two nodes starting on one new
    database agree on a single value.
    """
    await conn.execute(insert_ignore(conn, meta).values(key=STORE_ID,
                                                        value=secrets.token_hex(16)))
    result = await conn.execute(sa.select(meta.c.value).where(meta.c.key == STORE_ID))
    return result.scalar_one()
