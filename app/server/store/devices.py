"""Queries on login places: which devices of an account may be signed in, per platform.

Places are rows rather than live sessions so the policy survives restarts and a device that was
evicted while offline can be told so when it comes back (L8).
"""

from __future__ import annotations

from collections.abc import Collection

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from .schema import devices


async def has_place(conn: AsyncConnection, user_id: str, platform: str, device_id: str) -> bool:
    result = await conn.execute(sa.select(sa.literal(1)).where(
        devices.c.user_id == user_id, devices.c.platform == platform,
        devices.c.device_id == device_id))
    return result.first() is not None


async def take_place(conn: AsyncConnection, user_id: str, platform: str, device_id: str,
                     now_ms: int, keep: int) -> list[str]:
    """Give the device a place and evict the oldest others beyond ``keep``; the evicted IDs."""
    await conn.execute(devices.delete().where(
        devices.c.user_id == user_id, devices.c.platform == platform,
        devices.c.device_id == device_id))
    await conn.execute(devices.insert().values(
        user_id=user_id, platform=platform, device_id=device_id, login_at=now_ms))
    others = (await conn.execute(
        sa.select(devices.c.device_id)
        .where(devices.c.user_id == user_id, devices.c.platform == platform,
               devices.c.device_id != device_id)
        .order_by(devices.c.login_at.desc(), devices.c.device_id))).scalars().all()
    evicted = list(others[max(keep - 1, 0):])
    if evicted:
        await conn.execute(devices.delete().where(
            devices.c.user_id == user_id, devices.c.platform == platform,
            devices.c.device_id.in_(evicted)))
    return evicted


async def release(conn: AsyncConnection, user_id: str, platform: str | None = None,
                  device_id: str | None = None) -> None:
    """Free one device's place, or all of a user's places when no device is named."""
    query = devices.delete().where(devices.c.user_id == user_id)
    if platform is not None and device_id is not None:
        query = query.where(devices.c.platform == platform, devices.c.device_id == device_id)
    await conn.execute(query)


async def signed_in_platforms(conn: AsyncConnection,
                              user_ids: Collection[str]) -> set[tuple[str, str]]:
    """(user_id, platform) of the places held: devices signed in and not signed out, whether
    connected now or not."""
    if not user_ids:
        return set()
    rows = await conn.execute(
        sa.select(devices.c.user_id, devices.c.platform)
        .where(devices.c.user_id.in_(list(user_ids))))
    return {(row.user_id, row.platform) for row in rows}
