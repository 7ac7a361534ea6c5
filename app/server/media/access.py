"""Who may read which media, one rule for downloads and for sends.

A user may read content they uploaded themselves, or content a message refers to in a
conversation they take part in, as long as that message is not revoked. Nothing else grants
access: knowing a digest is not enough (anyone may learn one from a file they hold), so a user
who wants to send bytes someone else stored must upload them — proving they have them — and the
upload then just records them as an uploader (``uploads``).

A send may only refer to content its sender may read (their upload, or a message they received:
forwarding), so a message cannot be used to open someone else's file to a third party.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from sqlalchemy.ext.asyncio import AsyncConnection

from app.protocol import ErrorCode, IMError
from app.protocol.elements import Elem, media_ref_uuid, media_uuids
from app.server.store import media as store
from app.server.store.db import Database

from .elements import declared_sizes
from .storage import is_sha256


def referenced(elems: Iterable[Elem]) -> set[str]:
    """Every media uuid the elements refer to."""
    return {uuid for elem in elems for uuid in media_uuids(elem)}


async def check_references(db: Database, user_id: str, elems: Collection[Elem]) -> None:
    """Refuse a send that refers to media its sender may not read (23008), or states a size
    other than the item's (20001; 0 says "unknown"): a receiver checks what it downloads
    against the message, and a wrong size would fail every download."""
    uuids = referenced(elems)
    if not uuids:
        return
    held: dict[str, int] = {}
    wanted = {u for u in uuids if is_sha256(u)}
    if wanted:
        async with db.read() as conn:
            held = await store.sizes(conn, await store.readable(conn, user_id, wanted))
    missing = uuids - held.keys()
    if missing:
        raise IMError(ErrorCode.MEDIA_REFERENCE_INVALID,
                      f"media {min(missing)[:80]!r} is not one you uploaded or received")
    for elem in elems:
        for uuid, size in declared_sizes(elem):
            if size and size != held[uuid]:
                raise IMError(ErrorCode.INVALID_MESSAGE,
                              f"media {uuid} is {held[uuid]} bytes, not {size}")


async def check_download(db: Database, user_id: str, uuid: str) -> None:
    """404 (23006) for content not held, 403 (23007) for content the user may not read."""
    async with db.read() as conn:
        if not is_sha256(uuid) or await store.blob_size(conn, uuid) is None:
            raise IMError(ErrorCode.MEDIA_NOT_FOUND, f"no media item {uuid[:80]!r}")
        if not await store.readable(conn, user_id, [uuid]):
            raise IMError(ErrorCode.MEDIA_FORBIDDEN)


async def check_face(conn: AsyncConnection, face_url: str | None) -> None:
    """A face held by the service (``tidings-media:``) must be content uploaded as an avatar,
    which everyone may read: a private photo would show as a broken face to all but its owner
    (23008)."""
    uuid = media_ref_uuid(face_url or "")
    if uuid is not None and not await store.public(conn, [uuid]):
        raise IMError(ErrorCode.MEDIA_REFERENCE_INVALID,
                      f"face_url: {uuid[:80]!r} is no avatar upload; upload it as kind avatar")
