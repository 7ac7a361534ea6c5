"""Queries on media: the content held, uploads under way, uploaders and message references.

The bytes themselves are in the blob store (``app.server.media.storage``); these tables say what
exists, how far each upload has come and who may read what, so that every node of the service
answers the same.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from .db import insert_ignore
from .schema import (
    media_blobs,
    media_owners,
    media_public,
    media_refs,
    media_uploads,
    messages,
    user_conversations,
)

up = media_uploads


# --- uploads -------------------------------------------------------------------------------

async def create_upload(conn: AsyncConnection, *, upload_id: str, user_id: str, kind: str,
                        size: int, sha256: str, name: str, now_ms: int,
                        expires_at: int) -> None:
    await conn.execute(up.insert().values(
        upload_id=upload_id, user_id=user_id, kind=kind, size=size, sha256=sha256, name=name,
        received=0, created_at=now_ms, expires_at=expires_at))


async def upload(conn: AsyncConnection, upload_id: str, user_id: str,
                 now_ms: int) -> sa.Row | None:
    """The caller's upload, unless it expired: another user's is as unknown as a made-up ID."""
    result = await conn.execute(
        sa.select(up.c.upload_id, up.c.kind, up.c.size, up.c.sha256, up.c.received)
        .where(up.c.upload_id == upload_id, up.c.user_id == user_id,
               up.c.expires_at > now_ms))
    return result.first()


async def advance(conn: AsyncConnection, upload_id: str, start: int, end: int) -> bool:
    """Move the upload's offset from ``start`` to ``end``; False when it no longer stands at
    ``start`` (a concurrent chunk got there first), so two writers never both succeed."""
    result = await conn.execute(
        up.update().where(up.c.upload_id == upload_id, up.c.received == start)
        .values(received=end))
    return result.rowcount == 1


async def finish_upload(conn: AsyncConnection, upload_id: str, start: int) -> bool:
    """Remove the upload that stood at ``start`` (its last chunk is in); False if it did not."""
    result = await conn.execute(
        up.delete().where(up.c.upload_id == upload_id, up.c.received == start))
    return result.rowcount == 1


async def delete_upload(conn: AsyncConnection, upload_id: str) -> None:
    await conn.execute(up.delete().where(up.c.upload_id == upload_id))


async def expired(conn: AsyncConnection, now_ms: int, limit: int) -> list[str]:
    """Up to ``limit`` uploads that expired by ``now_ms``."""
    result = await conn.execute(
        sa.select(up.c.upload_id).where(up.c.expires_at <= now_ms).limit(limit))
    return list(result.scalars())


async def delete_expired(conn: AsyncConnection, upload_ids: Collection[str],
                         now_ms: int) -> None:
    await conn.execute(up.delete().where(up.c.upload_id.in_(list(upload_ids)),
                                         up.c.expires_at <= now_ms))


# --- content and who may read it -------------------------------------------------------------

async def add_blob(conn: AsyncConnection, sha256: str, size: int, kind: str,
                   now_ms: int) -> None:
    """Record content as held; content already recorded keeps its first row."""
    await conn.execute(insert_ignore(conn, media_blobs).values(
        sha256=sha256, size=size, kind=kind, created_at=now_ms))


async def add_owner(conn: AsyncConnection, sha256: str, user_id: str, now_ms: int) -> None:
    await conn.execute(insert_ignore(conn, media_owners).values(
        sha256=sha256, user_id=user_id, created_at=now_ms))


async def blob_size(conn: AsyncConnection, sha256: str) -> int | None:
    result = await conn.execute(
        sa.select(media_blobs.c.size).where(media_blobs.c.sha256 == sha256))
    return result.scalar_one_or_none()


async def sizes(conn: AsyncConnection, sha256s: Collection[str]) -> dict[str, int]:
    """Digest → size of the given digests whose content is held."""
    if not sha256s:
        return {}
    result = await conn.execute(
        sa.select(media_blobs.c.sha256, media_blobs.c.size)
        .where(media_blobs.c.sha256.in_(list(sha256s))))
    return {row.sha256: row.size for row in result}


async def stored(conn: AsyncConnection, sha256s: Collection[str]) -> set[str]:
    """The given digests whose content is held."""
    if not sha256s:
        return set()
    result = await conn.execute(
        sa.select(media_blobs.c.sha256).where(media_blobs.c.sha256.in_(list(sha256s))))
    return set(result.scalars())


async def readable(conn: AsyncConnection, user_id: str, sha256s: Collection[str]) -> set[str]:
    """The given digests the user may read: content they uploaded, that a message they can
    see refers to — a message not revoked, in a conversation they have a row for — or that was
    uploaded as an avatar (``media_public``)."""
    if not sha256s:
        return set()
    wanted = list(sha256s)
    owned = sa.select(media_owners.c.sha256).where(
        media_owners.c.user_id == user_id, media_owners.c.sha256.in_(wanted))
    r, m, uc = media_refs, messages, user_conversations
    referred = (
        sa.select(r.c.sha256)
        .join(m, sa.and_(m.c.conv_key == r.c.conv_key, m.c.seq == r.c.seq))
        .join(uc, sa.and_(uc.c.conv_key == r.c.conv_key, uc.c.user_id == user_id))
        .where(r.c.sha256.in_(wanted), sa.not_(m.c.revoked)))
    public = sa.select(media_public.c.sha256).where(media_public.c.sha256.in_(wanted))
    result = await conn.execute(sa.union(owned, referred, public))
    return set(result.scalars())


async def publish(conn: AsyncConnection, sha256: str) -> None:
    """Make content readable by everyone: it was uploaded as an avatar."""
    await conn.execute(insert_ignore(conn, media_public).values(sha256=sha256))


async def public(conn: AsyncConnection, sha256s: Collection[str]) -> set[str]:
    if not sha256s:
        return set()
    result = await conn.execute(sa.select(media_public.c.sha256).where(
        media_public.c.sha256.in_(list(sha256s))))
    return set(result.scalars())


def references(conv_key: str, seq: int, sha256s: Iterable[str]) -> list[dict[str, Any]]:
    """The ``media_refs`` rows of a message about to be stored."""
    return [{"sha256": sha, "conv_key": conv_key, "seq": seq} for sha in dict.fromkeys(sha256s)]


async def add_references(conn: AsyncConnection, rows: list[dict[str, Any]]) -> None:
    """One executemany for a batch of messages; a row already there is left as it is."""
    if rows:
        await conn.execute(insert_ignore(conn, media_refs), rows)
